"""The audit log an administrator can use (issue 12): changes as before -> after with human
labels, refused (403) requests and refused imports recorded, filters by who/what/when, and a
CSV export that is itself audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from healthgap.web.action import actions as action_actions
from healthgap.web.audit.labels import describe
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.oruk.actions import import_directory
from healthgap.web.oruk.exchange import read_upload
from tests.web.action.factories import SANDWELL_LSOA, make_activity, make_programme
from tests.web.action.test_api import PROGRAMME

pytestmark = pytest.mark.django_db


def _event(**fields) -> AuditEvent:
    defaults = {"actor_username": "someone", "action": Action.CHANGE, "summary": "x"}
    return AuditEvent.objects.create(**{**defaults, **fields})


def test_a_change_reads_before_to_after_with_field_choice_and_record_names(role_users):
    partner = role_users["partner"]
    programme = make_programme(lead=partner.organisation, name="Vaccine ambassadors")
    activity = make_activity(programme, kind="outreach", date=date(2026, 3, 1))
    action_actions.update_activity(
        by=partner, activity=activity, kind="clinic", lsoa21=SANDWELL_LSOA
    )
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="action.activity")
    rows = {row.label: (row.before, row.after) for row in describe(event)}
    assert rows == {
        "Kind": ("Outreach session", "Clinic"),
        "Neighbourhood (LSOA 2021 code)": ("—", SANDWELL_LSOA),
    }
    created = action_actions.create_activity(
        by=partner, programme=programme, kind="event", date=date(2026, 3, 2), place="Hall"
    )
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(created.pk))
    rows = {row.label: (row.before, row.after) for row in describe(event)}
    assert rows["Programme"] == (None, "Vaccine ambassadors")
    assert rows["Organisation"] == (None, partner.organisation.name)
    assert rows["Kind"] == (None, "Event")


def test_the_page_shows_the_change_with_an_arrow(client_for, role_users):
    partner = role_users["partner"]
    activity = make_activity(make_programme(lead=partner.organisation), kind="outreach")
    action_actions.update_activity(by=partner, activity=activity, kind="clinic")
    page = client_for("administrator").get("/audit/").content.decode()
    assert "<dt>Kind</dt><dd>Outreach session" in page and "→</span> Clinic</dd>" in page


def test_a_refused_page_is_recorded_with_method_and_path_only(client_for):
    assert client_for("partner").get("/audit/?user=private-note").status_code == 403
    (event,) = AuditEvent.objects.filter(action=Action.REFUSED)
    assert (event.actor_username, event.summary) == ("partner", "Refused GET /audit/")
    assert event.changes == {"method": "GET", "path": "/audit/", "status": 403}


def test_a_refused_api_call_is_recorded(client_for):
    response = client_for("analyst").post(
        "/api/action/programmes", data=PROGRAMME, content_type="application/json"
    )
    assert response.status_code == 403
    (event,) = AuditEvent.objects.filter(action=Action.REFUSED)
    assert (event.actor_username, event.summary) == (
        "analyst",
        "Refused POST /api/action/programmes",
    )


def test_anonymous_visitors_are_not_recorded(client):
    client.get("/audit/")
    assert not AuditEvent.objects.filter(action=Action.REFUSED).exists()


def test_a_refused_import_is_recorded(role_users):
    admin = role_users["administrator"]
    bundle = read_upload(
        "broken.json", b'{"services": [{"id": "x", "name": "S", "status": "active"}]}'
    )
    report = import_directory(by=admin, bundle=bundle, source="broken.json")
    assert not report.loaded
    event = AuditEvent.objects.get(action=Action.IMPORT_FAILED)
    assert event.actor_username == "admin"
    assert event.changes["source"] == "broken.json" and event.changes["errors"] >= 1
    assert event.summary.startswith("Refused import of broken.json (Open Referral UK)")


def test_filters_by_who_what_and_when(client_for):
    when = lambda d: datetime(2026, 5, d, 12, tzinfo=UTC)  # noqa: E731
    _event(actor_username="ann", object_type="action.programme", created_at=when(1))
    _event(actor_username="ann", object_type="action.activity", created_at=when(10))
    _event(actor_username="bob", object_type="action.activity", created_at=when(20))
    client = client_for("administrator")  # one LOGIN event, today

    def count(**query) -> str:
        return client.get("/audit/", query).content.decode()

    assert "(2 in all)" in count(user="ann")
    assert "(2 in all)" in count(object_type="action.activity")
    assert "(1 in all)" in count(user="ann", object_type="action.activity")
    # 1 to 10 May inclusive: the events of 1 May and 10 May.
    assert "(2 in all)" in count(date_from="2026-05-01", date_to="2026-05-10")
    assert "(1 in all)" in count(date_from="2026-05-11", date_to="2026-05-31")
    page = count(date_from="2026-05-11", date_to="2026-05-01")
    assert "The end date must be on or after the start date." in page


def test_the_csv_export_is_filtered_safe_and_audited(client_for):
    _event(actor_username="ann", summary='=HYPERLINK("http://x")', object_type="a.b")
    _event(actor_username="bob", summary="Bob's change")
    client = client_for("administrator")
    response = client.get("/audit/export.csv", {"user": "ann"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "when (UTC)", "who", "action", "type of record", "record id", "summary", "changes"
    ]  # fmt: skip
    assert len(rows) == 2
    assert rows[1][1:3] == ["ann", "Change"] and rows[1][5] == '\'=HYPERLINK("http://x")'
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor_username == "admin"
    assert export.changes == {"filters": {"user": "ann"}, "rows": 1}


@pytest.mark.parametrize("role", ["analyst", "partner", "champion"])
def test_the_export_is_for_administrators_only(client_for, role):
    assert client_for(role).get("/audit/export.csv").status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_relations_recorded_by_code_or_text_are_shown_as_stored(client_for):
    _event(
        object_type="directory.organisation",
        object_id="not-a-number",
        changes={"communities": [["roma"], ["roma", "pl"]], "kind": ["voluntary", "council"]},
    )
    # PostgreSQL's jsonb does not keep key order: find the field by its label.
    shown = {c.label: c for c in describe(AuditEvent.objects.get(summary="x"))}
    assert len(shown) == 2
    communities = next(c for label, c in shown.items() if "ommunit" in label)
    assert (communities.before, communities.after) == ("roma", "roma, pl")
    assert client_for("administrator").get("/audit/").status_code == 200
