"""`load_demo`: demo organisations and one account per role, safe to run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from healthgap.web.accounts.models import User
from healthgap.web.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_load_demo_creates_accounts_per_role_and_is_idempotent():
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    assert Organisation.objects.count() == 4
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
    assert "4 existed" in printed
