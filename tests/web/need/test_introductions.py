"""Introductions: the workflow, its audit trail, the views and who may use them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from healthgap.web.audit import record as audit_record
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import CommunityChampion, CoverageArea
from healthgap.web.need import actions
from healthgap.web.need.models import Introduction, Priority
from tests.web.factories import TEST_JOB, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(loaded):
    return Priority.objects.select_related("indicator", "area").get(rank=1)


@pytest.fixture
def reachable(priority):
    """An organisation covering the priority's LSOA (E01000005)."""
    organisation = make_organisation(name="Beta Health Circle")
    CoverageArea.objects.create(organisation=organisation, code="E01000005")
    return organisation


def test_proposing_copies_the_priority_and_is_audited(priority, reachable):
    analyst = make_user("analyst")
    council = make_organisation(name="Council")
    introduction = actions.propose_introduction(
        by=analyst, priority=priority, to_organisation=reachable, from_organisation=council,
        notes="Ask about Somali-speaking volunteers",
    )  # fmt: skip
    assert (introduction.area_code, introduction.category, introduction.indicator_id) == (
        "E01000005", "Black", "flu_vaccination_65_plus",
    )  # fmt: skip
    assert (introduction.status, introduction.from_user, introduction.area_name) == (
        "proposed", analyst, "Beta 001B",
    )  # fmt: skip
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="need.introduction")
    assert event.actor == analyst
    assert event.changes["to"] == "Beta Health Circle"
    assert event.changes["from_organisation"] == "Council"


def test_an_introduction_needs_exactly_one_target(priority, reachable):
    with pytest.raises(ValidationError, match="Choose the organisation or champion"):
        actions.propose_introduction(by=TEST_JOB, priority=priority)
    champion = CommunityChampion.objects.create(name="Amina", consent_given_on=date.today())
    with pytest.raises(ValidationError, match="not both"):
        actions.propose_introduction(
            by=TEST_JOB,
            priority=priority,
            to_organisation=reachable,
            to_champion=champion,
        )
    assert not Introduction.objects.exists()
    assert not AuditEvent.objects.filter(object_type="need.introduction").exists()


def test_a_champion_is_named_in_the_audit_log_by_id_only(priority):
    champion = CommunityChampion.objects.create(name="Amina Khan", consent_given_on=date.today())
    actions.propose_introduction(by=TEST_JOB, priority=priority, to_champion=champion)
    event = AuditEvent.objects.get(object_type="need.introduction")
    assert "Amina" not in event.summary and "Amina" not in str(event.changes)
    assert str(champion.uuid) in event.summary


def test_the_workflow_stamps_dates_and_refuses_other_moves(priority, reachable):
    broker = make_user("analyst")
    introduction = actions.propose_introduction(
        by=broker, priority=priority, to_organisation=reachable
    )
    with pytest.raises(
        ValidationError, match="proposed cannot become active; allowed: contacted, closed"
    ):
        actions.change_introduction(by=broker, introduction=introduction, status="active")
    for status in ("contacted", "accepted", "active", "closed"):
        actions.change_introduction(by=broker, introduction=introduction, status=status)
    introduction.refresh_from_db()
    assert introduction.status == "closed"
    assert introduction.contacted_at <= introduction.responded_at <= introduction.active_at
    assert introduction.active_at <= introduction.closed_at
    changes = AuditEvent.objects.filter(action=Action.CHANGE).order_by("id")
    assert [e.changes["status"] for e in changes] == [
        ["proposed", "contacted"], ["contacted", "accepted"], ["accepted", "active"],
        ["active", "closed"],
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="closed cannot become proposed; allowed: none"):
        actions.change_introduction(by=broker, introduction=introduction, status="proposed")


@pytest.mark.django_db(transaction=True)
def test_no_change_is_left_when_the_audit_write_fails(priority, reachable, monkeypatch):
    introduction = actions.propose_introduction(
        by=TEST_JOB, priority=priority, to_organisation=reachable
    )

    def broken_create(**kwargs):
        raise IntegrityError("audit table unavailable")

    monkeypatch.setattr(audit_record.AuditEvent.objects, "create", broken_create)
    with pytest.raises(IntegrityError):
        actions.change_introduction(by=TEST_JOB, introduction=introduction, status="contacted")
    with pytest.raises(IntegrityError):
        actions.propose_introduction(by=TEST_JOB, priority=priority, to_organisation=reachable)
    assert Introduction.objects.get().status == "proposed"
    assert Introduction.objects.count() == 1


@pytest.mark.parametrize("role", ["administrator", "analyst"])
def test_brokers_see_candidates_and_record_an_introduction(reachable, client_for, role):
    # A published priority (MSOA E02000003, 70 of 180): brokers other than analysts see only
    # those (docs/priorities.md, "In the app"); the organisation covers one of its LSOAs.
    priority = Priority.objects.get(rank=3)
    client = client_for(role)
    page = client.get(reverse("need:priority-detail", args=[priority.pk])).content.decode()
    assert "Beta Health Circle" in page and "Propose introduction" in page
    response = client.post(
        reverse("need:introduction-create", args=[priority.pk]),
        {"to": f"organisation:{reachable.pk}", "notes": "Call Monday"},
    )
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("need:introduction-detail", args=[introduction.pk])
    assert (introduction.to_organisation, introduction.notes) == (reachable, "Call Monday")
    assert AuditEvent.objects.filter(action=Action.CREATE, actor__role=role).exists()


def test_an_invalid_introduction_shows_the_error_and_records_nothing(
    priority, reachable, client_for
):
    response = client_for("analyst").post(
        reverse("need:introduction-create", args=[priority.pk]), {"to": "organisation:999999"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Introduction.objects.exists()


@pytest.mark.parametrize("role", ["public", "partner", "champion"])
def test_others_see_the_priority_but_not_who_can_reach_it(priority, reachable, client_for, role):
    client = client_for(role)
    # The Black group's figure in E01000005 is not published: its page is not found.
    assert client.get(reverse("need:priority-detail", args=[priority.pk])).status_code == 404
    priority = Priority.objects.get(rank=3)  # published: MSOA E02000003, 70 of 180
    page = client.get(reverse("need:priority-detail", args=[priority.pk])).content.decode()
    assert "Everyone in Beta 001" in page
    assert "Beta Health Circle" not in page and "Propose introduction" not in page
    response = client.post(
        reverse("need:introduction-create", args=[priority.pk]),
        {"to": f"organisation:{reachable.pk}"},
    )
    assert response.status_code == (302 if role == "public" else 403)
    assert not Introduction.objects.exists()


def test_htmx_status_change_returns_the_row(priority, reachable, client_for):
    introduction = actions.propose_introduction(
        by=TEST_JOB, priority=priority, to_organisation=reachable
    )
    client = client_for("analyst")
    url = reverse("need:introduction-status", args=[introduction.pk])
    row = client.post(url, {"status": "contacted"}, headers={"HX-Request": "true"})
    assert row.status_code == 200
    html = row.content.decode()
    assert html.startswith(f'<tr class="nhsuk-table__row" id="introduction-{introduction.pk}">')
    assert "Contacted" in html and 'value="accepted"' in html
    bad = client.post(url, {"status": "closed-forever"}, headers={"HX-Request": "true"})
    assert "cannot become closed-forever" in bad.content.decode()
    plain = client.post(url, {"status": "accepted"})
    assert plain.status_code == 302 and plain["Location"] == reverse("need:introduction-list")
    introduction.refresh_from_db()
    assert introduction.status == "accepted"


def test_list_filters_and_detail_updates_notes(priority, reachable, client_for):
    introduction = actions.propose_introduction(
        by=TEST_JOB, priority=priority, to_organisation=reachable
    )
    client = client_for("administrator")
    listing = client.get(reverse("need:introduction-list"), {"status": "proposed"}).content.decode()
    assert "Beta Health Circle" in listing and "(1 in all)" in listing
    assert (
        "(0 in all)"
        in client.get(reverse("need:introduction-list"), {"status": "active"}).content.decode()
    )
    url = reverse("need:introduction-detail", args=[introduction.pk])
    response = client.post(url, {"status": "contacted", "notes": "Left a message"})
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert (introduction.status, introduction.notes) == ("contacted", "Left a message")
    refused = client.post(url, {"status": "active", "notes": ""})
    assert refused.status_code == 400
    assert "can become: accepted, declined, closed." in refused.content.decode()
