"""The equality lead walked over every equality URL: its own organisation's records open, the
records of another organisation answer 404 (GET and POST), pages without a record open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.equality.factories import make_eds, make_ehia, make_lead, make_maturity, make_wres
from tests.web.factories import make_organisation
from tests.web.test_permission_walk import url_names

pytestmark = pytest.mark.django_db

PAGES = {"home", "reviews-due", "wres-upload", "eds-create", "maturity-create", "ehia-create"}
RECORDS = {
    "wres-detail": "wres", "wres-narrative": "wres", "wres-action-add": "wres",
    "wres-report": "wres", "eds-detail": "eds", "eds-service-add": "eds", "eds-outcome": "eds",
    "eds-action-add": "eds", "eds-summary": "eds", "eds-report": "eds",
    "maturity-detail": "maturity", "maturity-moderate": "maturity", "ehia-detail": "ehia",
    "ehia-export": "ehia",
}  # fmt: skip
POST_ONLY = {"eds-publish": "eds", "ehia-profile": "ehia", "ehia-action-add": "ehia",
             "ehia-move": "ehia"}  # fmt: skip


def _records(organisation) -> dict[str, int]:
    return {
        "wres": make_wres(organisation).pk,
        "eds": make_eds(organisation).pk,  # complete, not published
        "maturity": make_maturity(organisation).pk,  # assessed by another lead
        "ehia": make_ehia(organisation).pk,
    }


def _url(name: str, pk: int) -> str:
    kwargs = {"pk": pk} | ({"code": "2A"} if name == "eds-outcome" else {})
    return reverse(f"equality:{name}", kwargs=kwargs)


def test_the_walk_lists_every_equality_url():
    names = {n.removeprefix("equality:") for n in url_names() if n.startswith("equality:")}
    assert names == PAGES | set(RECORDS) | set(POST_ONLY)


def test_equality_lead_own_and_other_organisation(client):
    lead = make_lead(make_organisation(name="Trust A"))
    own, other = _records(lead.organisation), _records(make_organisation(name="Trust B"))
    client.force_login(lead)
    failures = []
    for name in PAGES:
        status = client.get(reverse(f"equality:{name}")).status_code
        failures += [f"{name}: {status}"] if status != 200 else []
    for name, kind in RECORDS.items():
        for records, expected in ((own, 200), (other, 404)):
            status = client.get(_url(name, records[kind])).status_code
            failures += [f"{name} {expected}: {status}"] if status != expected else []
    for name, kind in POST_ONLY.items():
        assert client.get(_url(name, own[kind])).status_code == 405
        status = client.post(_url(name, other[kind]), {"direction": "advance"}).status_code
        failures += [f"POST {name} of another organisation: {status}"] if status != 404 else []
    assert not failures, failures
