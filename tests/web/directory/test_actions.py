"""Directory actions: every write is audited in its own transaction; champions' personal data
never reaches the audit log, and withdrawing consent erases it for good."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from healthgap.web.audit import record as audit_record
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory import actions
from healthgap.web.directory.actions._common import REDACTED
from healthgap.web.directory.models import CommunityChampion, Service, ServiceAtLocation
from tests.web.directory.factories import (
    WALSALL_LAD,
    WALSALL_LSOA,
    community,
    link,
    make_champion,
    make_location,
    make_service,
    term,
)
from tests.web.factories import TEST_JOB, make_organisation, make_user

pytestmark = pytest.mark.django_db


def events(action=None):
    rows = AuditEvent.objects.order_by("id")
    return list(rows.filter(action=action) if action else rows)


def test_create_organisation_with_communities_and_coverage_is_one_event():
    admin = make_user("administrator")
    organisation = actions.create_organisation(
        by=admin,
        name="Hub",
        kind="voluntary",
        communities=[community("pa"), community("carers")],
        coverage_areas=[WALSALL_LSOA, WALSALL_LAD],
    )
    (event,) = events()
    assert event.changes == {
        "name": "Hub",
        "kind": "voluntary",
        "communities": ["carers", "pa"],
        "coverage_areas": [WALSALL_LSOA, WALSALL_LAD],
    }
    assert sorted(organisation.coverage_areas.values_list("code", flat=True)) == [
        WALSALL_LSOA,
        WALSALL_LAD,
    ]


def test_update_records_relation_changes_and_nothing_when_nothing_changed():
    organisation = make_organisation(name="Hub")
    organisation.communities.add(community("pa"))
    actions.update_organisation(
        by=TEST_JOB,
        organisation=organisation,
        name="Hub",
        communities=[community("pa")],
        coverage_areas=[],
    )
    assert events() == []
    actions.update_organisation(
        by=TEST_JOB,
        organisation=organisation,
        communities=[community("ur")],
        coverage_areas=[WALSALL_LAD],
    )
    (event,) = events()
    assert event.changes == {"communities": [["pa"], ["ur"]], "coverage_areas": [[], [WALSALL_LAD]]}


def test_service_with_locations_creates_audited_links_and_moves_last_modified():
    organisation = make_organisation()
    place, other = make_location(organisation), make_location(organisation)
    service = actions.create_service(
        by=TEST_JOB,
        organisation=organisation,
        name="Clinic",
        taxonomy_terms=[term("vaccination")],
        languages=[community("so")],
        locations=[place],
    )
    assert [e.object_type for e in events(Action.CREATE)] == [
        "directory.service",
        "directory.serviceatlocation",
    ]
    before = service.last_modified
    actions.update_service(
        by=TEST_JOB, service=Service.objects.get(pk=service.pk), locations=[other]
    )
    assert ServiceAtLocation.objects.get().location == other
    assert [e.object_type for e in events()[2:]] == [
        "directory.serviceatlocation",
        "directory.serviceatlocation",
    ]
    assert Service.objects.get(pk=service.pk).last_modified > before
    actions.update_service(
        by=TEST_JOB, service=Service.objects.get(pk=service.pk), locations=[other]
    )
    assert len(events()) == 4  # no change, no event


def test_deleting_counts_what_cascades():
    organisation = make_organisation(name="Gone")
    service = make_service(organisation)
    link(service, make_location(organisation))
    actions.delete_organisation(by=TEST_JOB, organisation=organisation)
    (event,) = events()
    assert event.summary == "Deleted organisation Gone"
    assert event.changes == {
        "also_deleted": {
            "directory.location": 1,
            "directory.service": 1,
            "directory.serviceatlocation": 1,
        }
    }


def test_a_failed_audit_write_leaves_no_service(monkeypatch, transactional_db):
    def broken(**kwargs):
        raise IntegrityError("audit table unavailable")

    organisation = make_organisation()
    monkeypatch.setattr(audit_record.AuditEvent.objects, "create", broken)
    with pytest.raises(IntegrityError):
        actions.create_service(
            by=TEST_JOB,
            organisation=organisation,
            name="S",
            locations=[make_location(organisation)],
        )
    assert not Service.objects.exists()


def _everything_logged() -> str:
    return json.dumps([[e.summary, e.changes, e.object_id] for e in AuditEvent.objects.all()])


def test_champion_personal_details_never_reach_the_audit_log():
    partner = make_user("partner", organisation=make_organisation())
    account = make_user("champion")
    champion = actions.create_champion(
        by=partner,
        organisation=partner.organisation,
        consent_given_on=datetime.date(2026, 1, 5),
        name="Farah Private",
        email="farah@example.org",
        phone="01632 960123",
        languages=[community("ur")],
        neighbourhoods=[WALSALL_LSOA],
        user=account,
    )
    actions.update_champion(by=partner, champion=champion, name="Farah P", phone="01632 960124")
    logged = _everything_logged()
    for secret in ("Farah", "farah@example.org", "01632 96012"):
        assert secret not in logged
    create, change = events()
    assert create.changes["name"] == REDACTED and create.changes["user"] == REDACTED
    assert create.changes["languages"] == ["ur"] and create.changes["neighbourhoods"] == [
        WALSALL_LSOA
    ]
    assert create.changes["consent_version"] == "1.0"
    assert change.changes == {"name": [REDACTED, REDACTED], "phone": [REDACTED, REDACTED]}
    assert champion.consent_recorded_by == partner


def test_withdrawal_erases_personal_details_and_keeps_an_anonymous_record():
    admin = make_user("administrator")
    organisation = make_organisation()
    champion = make_champion(
        organisation,
        name="Kasia",
        email="kasia@example.org",
        phone="01632 960555",
        languages=["pl"],
        neighbourhoods=[WALSALL_LSOA],
        user=make_user("champion"),
    )
    actions.withdraw_consent(by=admin, champion=champion)
    stored = CommunityChampion.objects.get(pk=champion.pk)
    assert (stored.name, stored.email, stored.phone, stored.user) == ("", "", "", None)
    assert stored.withdrawn and stored.withdrawal_recorded_by == admin
    assert list(stored.languages.values_list("code", flat=True)) == ["pl"]
    assert list(stored.neighbourhoods.values_list("code", flat=True)) == [WALSALL_LSOA]
    assert stored.organisation == organisation
    (event,) = events()
    assert event.actor == admin and event.object_id == str(champion.pk)
    assert "Recorded withdrawal of consent" in event.summary
    assert "Kasia" not in _everything_logged()
    with pytest.raises(ValidationError, match="already withdrawn"):
        actions.withdraw_consent(by=admin, champion=stored)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        actions.update_champion(by=admin, champion=stored, name="Back again")


def test_withdrawing_ones_own_consent_leaves_no_link_back_to_the_account():
    account = make_user("champion")
    champion = make_champion(name="Ionela", user=account)
    actions.withdraw_consent(by=account, champion=champion)
    stored = CommunityChampion.objects.get(pk=champion.pk)
    assert stored.user is None and stored.withdrawal_recorded_by is None
    (event,) = events()
    assert event.actor == account and event.object_id == ""
    assert event.summary == "A community champion withdrew their consent; personal details erased"
