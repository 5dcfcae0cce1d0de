"""Action writes: validation (nothing written on error) and an audit event for every write, in
the same transaction as the change."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from healthgap.web.action import actions
from healthgap.web.action.models import Activity, ActivityReach, Insight, InsightGroup, Programme
from healthgap.web.audit import record as audit_record
from healthgap.web.audit.models import Action, AuditEvent
from tests.web.action.factories import (
    SANDWELL_LAD,
    SANDWELL_LSOA,
    make_activity,
    make_programme,
)
from tests.web.factories import TEST_JOB, make_organisation, make_user

pytestmark = pytest.mark.django_db


def programme_fields(**overrides):
    return {
        "name": "Vaccine ambassadors",
        "kind": "vaccine_ambassadors",
        "aims": "More MMR doses.",
        "start_date": date(2026, 1, 1),
        "target_indicators": ["mmr2_by_age_5"],
        "target_areas": [SANDWELL_LAD, SANDWELL_LSOA, "E02002051"],
        "target_groups": ["ethnicity:Pakistani", "age:0 to 15", "plus:Young carers"],
        **overrides,
    }


# --- programmes ------------------------------------------------------------------------------
def test_create_programme_is_audited_with_its_fields_and_partners():
    admin = make_user("administrator")
    lead, partner = make_organisation(), make_organisation()
    programme = actions.create_programme(
        by=admin, lead_organisation=lead, partners=[partner], **programme_fields()
    )
    assert list(programme.partners.all()) == [partner]
    event = AuditEvent.objects.get()
    assert (event.actor, event.action) == (admin, Action.CREATE)
    assert (event.object_type, event.object_id) == ("action.programme", str(programme.pk))
    assert event.changes["lead_organisation"] == lead.pk
    assert event.changes["partners"] == [partner.pk]
    assert event.changes["target_indicators"] == ["mmr2_by_age_5"]
    assert event.changes["start_date"] == "2026-01-01"


def test_update_programme_records_changed_fields_and_partners_only():
    first, second = make_organisation(), make_organisation()
    programme = make_programme(name="Old", partners=(first,))
    actions.update_programme(
        by=make_user("administrator"),
        programme=programme,
        partners=[second],
        name="New",
        kind=programme.kind,
    )
    event = AuditEvent.objects.get()
    assert event.action == Action.CHANGE
    assert event.changes == {"name": ["Old", "New"], "partners": [[first.pk], [second.pk]]}
    assert Programme.objects.get().name == "New"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_indicators": ["mmr3_by_age_99"]}, "target_indicators", "Unknown indicator id"),
        ({"target_areas": ["E0101002"]}, "target_areas", "Not an LSOA, MSOA or local authority"),
        ({"target_areas": ["E12000005"]}, "target_areas", "E12000005"),  # a region: too big
        ({"target_groups": ["ethnicity:Martian"]}, "target_groups", "Unknown group"),
        ({"target_groups": "ethnicity:Indian"}, "target_groups", "list of text values"),
        ({"kind": "parade"}, "kind", "not a valid choice"),
        ({"end_date": date(2025, 1, 1)}, "__all__", "end date must be on or after"),
    ],
)
def test_invalid_programmes_write_nothing(overrides, field, message):
    with pytest.raises(ValidationError, match=message) as raised:
        actions.create_programme(
            by=TEST_JOB,
            lead_organisation=make_organisation(),
            **programme_fields(**overrides),
        )
    assert field in raised.value.message_dict
    assert not Programme.objects.exists()
    assert not AuditEvent.objects.exists()


# --- activities ------------------------------------------------------------------------------
def test_create_activity_stores_reach_by_group_and_is_audited():
    partner_org = make_organisation()
    partner = make_user("partner", organisation=partner_org)
    programme = make_programme(partners=(partner_org,))
    reach = {"ethnicity:Pakistani": 12, "ethnicity:Indian": 0, "age:65 and over": 3}
    activity = actions.create_activity(
        by=partner,
        programme=programme,
        reach=reach,
        kind="outreach",
        date=date(2026, 4, 2),
        place="Mosque hall",
        lsoa21=SANDWELL_LSOA,
    )
    assert activity.organisation == partner_org  # the recorder's organisation owns it
    assert activity.recorded_by == partner
    rows = {(r.group_type, r.group): r.count for r in ActivityReach.objects.all()}
    assert rows == {
        ("ethnicity", "Pakistani"): 12,
        ("ethnicity", "Indian"): 0,
        ("age", "65 and over"): 3,
    }
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type) == (Action.CREATE, "action.activity")
    assert event.changes["reach"] == reach
    assert event.changes["organisation"] == partner_org.pk
    assert event.changes["programme"] == programme.pk


@pytest.mark.parametrize(
    ("reach", "fields", "message"),
    [
        ({"ethnicity:Pakistani": -3}, {}, "greater than or equal to 0"),
        ({"ethnicity:Klingon": 3}, {}, "not a known group"),
        ({"religion:Sikh": 3}, {}, "not a known group"),
        ({}, {"lsoa21": "E02002051"}, "Not an LSOA code"),
        ({}, {"attendees": 12}, "co-production meetings only"),
        ({}, {"outcomes": "Agreed things"}, "co-production meetings only"),
        ({}, {"kind": "coproduction", "attendees": -1}, "greater than or equal to 0"),
    ],
)
def test_invalid_activities_write_nothing(reach, fields, message):
    programme = make_programme()
    values = {"kind": "outreach", "date": date(2026, 4, 2), "place": "Hall", **fields}
    with pytest.raises(ValidationError, match=message):
        actions.create_activity(by=TEST_JOB, programme=programme, reach=reach, **values)
    assert not Activity.objects.exists()
    assert not ActivityReach.objects.exists()
    assert not AuditEvent.objects.exists()


def test_coproduction_meetings_record_attendees_and_outcomes():
    activity = actions.create_activity(
        by=TEST_JOB,
        programme=make_programme(),
        kind="coproduction",
        date=date(2026, 4, 2),
        place="Library",
        attendees=14,
        outcomes="A Saturday clinic.",
    )
    assert (activity.attendees, activity.outcomes) == (14, "A Saturday clinic.")


def test_the_database_refuses_attendees_for_other_kinds():
    activity = make_activity()
    activity.attendees = 5
    with pytest.raises(IntegrityError):
        activity.save()


def test_update_activity_replaces_reach_and_records_old_and_new():
    activity = make_activity(reach={"ethnicity:Pakistani": 10, "age:65 and over": 4})
    actions.update_activity(
        by=make_user("administrator"),
        activity=activity,
        reach={"ethnicity:Pakistani": 11},
        place="New hall",
    )
    assert [(r.group, r.count) for r in activity.reach.all()] == [("Pakistani", 11)]
    event = AuditEvent.objects.get()
    assert event.changes == {
        "place": ["Community hall", "New hall"],
        "reach": [{"age:65 and over": 4, "ethnicity:Pakistani": 10}, {"ethnicity:Pakistani": 11}],
    }


def test_update_activity_with_a_bad_count_keeps_the_old_reach():
    activity = make_activity(reach={"ethnicity:Pakistani": 10})
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        actions.update_activity(by=TEST_JOB, activity=activity, reach={"ethnicity:Pakistani": -1})
    assert [(r.group, r.count) for r in activity.reach.all()] == [("Pakistani", 10)]
    assert not AuditEvent.objects.exists()


# --- insights --------------------------------------------------------------------------------
def test_create_insight_stores_groups_and_is_audited():
    champion_org = make_organisation()
    champion = make_user("champion", organisation=champion_org)
    insight = actions.create_insight(
        by=champion,
        groups=["ethnicity:Roma", "plus:Gypsy, Roma and Traveller communities", "ethnicity:Roma"],
        theme="trust",
        summary="Families are wary of officials.",
        neighbourhood="E02002051",
        date=date(2026, 5, 1),
    )
    assert insight.organisation == champion_org
    assert sorted(InsightGroup.objects.values_list("group_type", "group")) == [
        ("ethnicity", "Roma"),
        ("plus", "Gypsy, Roma and Traveller communities"),
    ]
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type) == (Action.CREATE, "action.insight")
    assert event.changes["groups"] == [
        "ethnicity:Roma",
        "plus:Gypsy, Roma and Traveller communities",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"groups": ["age:200 and over"]}, "not a known group"),
        ({"neighbourhood": "E08000028"}, "Not an LSOA or MSOA code"),
        ({"neighbourhood": "e01010029"}, "Not an LSOA or MSOA code"),
        ({"theme": "weather"}, "not a valid choice"),
    ],
)
def test_invalid_insights_write_nothing(fields, message):
    values = {"theme": "trust", "summary": "x", "date": date(2026, 5, 1), **fields}
    with pytest.raises(ValidationError, match=message):
        actions.create_insight(by=TEST_JOB, **values)
    assert not Insight.objects.exists()
    assert not AuditEvent.objects.exists()


# --- exports and atomicity -------------------------------------------------------------------
def test_record_export_is_an_export_event():
    analyst = make_user("analyst")
    actions.record_export(by=analyst, what="reach", rows=3, filters={"date_from": date(2026, 1, 1)})
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.actor) == (
        Action.EXPORT,
        "action.reach",
        analyst,
    )
    assert event.changes == {"filters": {"date_from": "2026-01-01"}, "rows": 3}


@pytest.mark.django_db(transaction=True)
def test_no_change_is_left_when_the_audit_write_fails(monkeypatch):
    programme = make_programme(name="Kept")
    activity = make_activity(programme=programme, reach={"ethnicity:Indian": 9})

    def broken_create(**kwargs):
        raise IntegrityError("audit table unavailable")

    monkeypatch.setattr(audit_record.AuditEvent.objects, "create", broken_create)
    with pytest.raises(IntegrityError):
        actions.create_programme(
            by=TEST_JOB,
            lead_organisation=programme.lead_organisation,
            **programme_fields(),
        )
    with pytest.raises(IntegrityError):
        actions.update_programme(by=TEST_JOB, programme=programme, name="Changed")
    with pytest.raises(IntegrityError):
        actions.create_activity(
            by=TEST_JOB,
            programme=programme,
            reach={"ethnicity:Indian": 4},
            kind="event",
            date=date(2026, 1, 2),
            place="Park",
        )
    with pytest.raises(IntegrityError):
        actions.update_activity(by=TEST_JOB, activity=activity, reach={"ethnicity:Indian": 1})
    with pytest.raises(IntegrityError):
        actions.create_insight(by=TEST_JOB, theme="cost", summary="x", date=date(2026, 1, 2))
    assert list(Programme.objects.values_list("name", flat=True)) == ["Kept"]
    assert Activity.objects.count() == 1
    assert list(ActivityReach.objects.values_list("count", flat=True)) == [9]
    assert not Insight.objects.exists()
