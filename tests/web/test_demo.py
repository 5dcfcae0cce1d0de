"""`load_demo`: demo organisations and one account per role, safe to run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from healthgap.web.accounts.models import User
from healthgap.web.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_load_demo_creates_accounts_per_role_and_is_idempotent(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # no published results here: the need demo skips, as in CI
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = Organisation.objects.count()
    call_command("load_demo", stdout=out)
    assert Organisation.objects.count() == first >= 10  # the Black Country directory demo
    users = {u.username: u for u in User.objects.select_related("organisation")}
    assert {u: users[u].role for u in users} == {
        "admin": "administrator",
        "analyst": "analyst",
        "partner": "partner",
        "champion": "champion",
    }
    assert users["partner"].organisation.kind == "voluntary"
    assert users["champion"].organisation is not None
    assert users["partner"].check_password("demo-partner-pass")
    printed = out.getvalue()
    assert "username partner   password demo-partner-pass" in printed
