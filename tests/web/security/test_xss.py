"""Stored XSS: every free-text field of every healthgap model holds a script payload, and every
page of the URLconf (as an administrator and as the public) shows it escaped, never raw.

The payload is written straight into the database (`QuerySet.update`, past any form validation),
as an attacker's import or an old record might hold it. A field is free text when it is a
CharField or TextField without choices that is not a slug, e-mail, URL or code field, an
identifier (NOT_SHOWN) or an uploaded file kept as text (`*_csv`).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tests.web.access import collect

pytestmark = pytest.mark.django_db
EXPECTED = collect()
PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW = ("<script>a", "<img src=x")  # also catches payloads cut short by a field's max_length
#: Text fields that hold identifiers or uploaded files, not text shown to people.
NOT_SHOWN = {"password", "username", "secret", "digest", "prefix", "key", "framework"}
ESCAPED = "&lt;script&gt;alert"
PAGE_NAMES = sorted(
    name
    for name, cases in EXPECTED.items()
    if not name.startswith(("api:", "oruk:")) and cases[0].method == "get"
)


def _free_text(field: models.Field) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.primary_key
        and "code" not in field.name
        and field.name not in NOT_SHOWN
        and not field.name.endswith("_csv")
        and (field.max_length or 100) >= len("<script>a")
    )


def _poison_every_free_text_field() -> list[str]:
    """Write PAYLOAD (plus the row's pk, for unique fields) into every non-blank free-text field;
    the names of the fields (model.field) it covers."""
    poisoned = []
    for model in apps.get_models():
        if not model.__module__.startswith("healthgap.web."):
            continue
        fields = [f for f in model._meta.concrete_fields if _free_text(f)]
        if not fields:
            continue
        names = [f.name for f in fields]
        for row in model.objects.values("pk", *names):
            text = PAYLOAD + str(row["pk"])
            values = {
                f.name: text[: f.max_length] if f.max_length else text
                for f in fields
                if row[f.name]  # blank stays blank (some constraints need it empty)
            }
            if values:
                model.objects.filter(pk=row["pk"]).update(**values)
        poisoned += [f"{model._meta.label}.{f.name}" for f in fields]
    return poisoned


def test_every_page_escapes_stored_scripts(client, role_users):
    urls = {}
    for name in PAGE_NAMES:
        case = EXPECTED[name][0]
        urls[name] = reverse(name, kwargs=case.kwargs(role_users))
    poisoned = _poison_every_free_text_field()
    assert len(poisoned) > 20, poisoned  # the walk reaches the models' text fields
    raw, escaped, errors = [], [], []
    client.raise_request_exception = False  # collect every failing page, not just the first
    for role in ("administrator", "public"):
        client.logout()
        if role != "public":
            client.force_login(role_users[role])
        for name, url in urls.items():
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"{url} as {role}: {response.status_code}")
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            page = response.content.decode()
            if any(marker in page for marker in RAW):
                raw.append(f"{url} as {role}")
            if ESCAPED in page:
                escaped.append(name)
    assert not raw, f"raw stored script on: {raw}"
    assert not errors, f"pages failing on stored markup: {errors}"
    # The payload really is shown (escaped) on the detail pages of the main records.
    for name in (
        "directory:organisation-detail",
        "directory:service-detail",
        "action:programme-detail",
        "action:activity-detail",
        "library:case-study-detail",
    ):
        assert name in escaped, f"{name} did not show the stored text at all"
