"""Activity pages: recording (partners of the programme), editing (the recording organisation),
people reached as formset rows (HTMX adds rows), suppression on the public detail page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from healthgap.web.action.models import Activity, ActivityReach
from healthgap.web.audit.models import Action, AuditEvent
from tests.web.action.factories import SANDWELL_LSOA, make_activity, make_programme

pytestmark = pytest.mark.django_db


def activity_data(
    rows=(("ethnicity:Pakistani", "12"), ("age:65 and over", "3")), initial=0, **fields
):
    data = {
        "kind": "outreach",
        "date": "2026-04-02",
        "place": "Mosque hall",
        "lsoa21": SANDWELL_LSOA,
        "notes": "",
        "attendees": "",
        "outcomes": "",
        "reach-TOTAL_FORMS": str(len(rows)),
        "reach-INITIAL_FORMS": str(initial),
        "reach-MIN_NUM_FORMS": "0",
        "reach-MAX_NUM_FORMS": "60",
        **fields,
    }
    for i, row in enumerate(rows):
        data[f"reach-{i}-group"], data[f"reach-{i}-count"] = row[:2]
        if len(row) > 2 and row[2]:
            data[f"reach-{i}-DELETE"] = "on"
    return data


@pytest.fixture
def programme(role_users):
    """Led by the champion's organisation, with the partner's as a partner."""
    return make_programme(
        lead=role_users["champion"].organisation, partners=(role_users["partner"].organisation,)
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 302),
        ("administrator", 302),
        ("analyst", 403),
        ("partner", 302),
        ("champion", 302),
    ],
)
def test_record_by_role(client_for, role_users, programme, role, status):
    url = reverse("action:activity-create", args=[programme.pk])
    response = client_for(role).post(url, activity_data())
    assert response.status_code == status
    activity = Activity.objects.first()
    if role in ("public", "analyst"):
        assert activity is None
        return
    assert response.url == activity.get_absolute_url()
    owner = role_users[role].organisation if role != "administrator" else None
    assert activity.organisation == owner
    assert dict(activity.reach.values_list("group", "count")) == {"Pakistani": 12, "65 and over": 3}
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.changes["reach"] == {"ethnicity:Pakistani": 12, "age:65 and over": 3}


def test_a_partner_cannot_record_for_a_programme_it_is_not_part_of(client_for):
    other = make_programme()
    response = client_for("partner").post(
        reverse("action:activity-create", args=[other.pk]), activity_data()
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_blank_and_removed_rows_are_skipped(client_for, programme):
    rows = [("ethnicity:Indian", "9"), ("", ""), ("ethnicity:Roma", "4", True)]
    client_for("partner").post(
        reverse("action:activity-create", args=[programme.pk]), activity_data(rows=rows)
    )
    assert list(ActivityReach.objects.values_list("group", "count")) == [("Indian", 9)]


@pytest.mark.parametrize(
    ("rows", "fields", "message"),
    [
        ([("ethnicity:Indian", "-4")], {}, "Enter 0 or more people."),
        ([("ethnicity:Indian", "4"), ("ethnicity:Indian", "5")], {}, "counted once per activity"),
        ([("ethnicity:Vulcan", "4")], {}, "Select a valid choice"),
        ([("ethnicity:Indian", "")], {}, "This field is required"),
        ([], {"lsoa21": "E01ABC"}, "Not an LSOA code"),
        ([], {"attendees": "12"}, "Only co-production meetings record this"),
        ([], {"kind": "coproduction", "attendees": "-2"}, "greater than or equal to 0"),
    ],
)
def test_invalid_input_shows_errors_and_writes_nothing(
    client_for, programme, rows, fields, message
):
    page = client_for("partner").post(
        reverse("action:activity-create", args=[programme.pk]), activity_data(rows=rows, **fields)
    )
    assert page.status_code == 200
    assert message in page.text
    assert "There is a problem" in page.text
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_the_recording_organisation_edits_its_activity_others_cannot(
    client_for, role_users, programme
):
    activity = make_activity(
        programme=programme,
        organisation=role_users["partner"].organisation,
        reach={"ethnicity:Pakistani": 12},
    )
    url = reverse("action:activity-edit", args=[activity.pk])
    data = activity_data(rows=[("ethnicity:Pakistani", "15"), ("", "")], initial=1, place="Library")
    assert client_for("champion").post(url, data).status_code == 403  # leads, did not record it
    assert client_for("partner").post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.place == "Library"
    assert list(activity.reach.values_list("group", "count")) == [("Pakistani", 15)]
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.changes["reach"] == [{"ethnicity:Pakistani": 12}, {"ethnicity:Pakistani": 15}]
    assert event.changes["place"] == ["Community hall", "Library"]


def test_administrators_edit_any_activity(client_for):
    activity = make_activity()
    response = client_for("administrator").post(
        reverse("action:activity-edit", args=[activity.pk]), activity_data(rows=[])
    )
    assert response.status_code == 302
    assert not activity.reach.exists()


def test_edit_form_lists_the_reach_rows(client_for, role_users):
    activity = make_activity(
        organisation=role_users["champion"].organisation,
        reach={"ethnicity:Indian": 30, "age:65 and over": 6},
    )
    page = client_for("champion").get(reverse("action:activity-edit", args=[activity.pk]))
    initial = [form.initial for form in page.context["formset"].initial_forms]
    assert initial == [
        {"group": "age:65 and over", "count": 6},
        {"group": "ethnicity:Indian", "count": 30},
    ]


@pytest.mark.parametrize(("role", "shown"), [("public", "*"), ("champion", "*"), ("analyst", 6)])
def test_detail_suppresses_small_counts(client_for, role, shown):
    activity = make_activity(
        kind="coproduction",
        attendees=6,
        outcomes="A Saturday clinic.",
        reach={"ethnicity:Indian": 30, "age:65 and over": 6},
        date=date(2026, 5, 1),
    )
    page = client_for(role).get(reverse("action:activity-detail", args=[activity.pk]))
    assert page.context["attendees"] == shown
    assert page.context["people_reached"] == 30
    ages = page.context["reach_groups"][1]
    assert ages.rows == (("Aged 65 and over", shown),)
    assert "A Saturday clinic." in page.text


def test_reach_row_returns_the_next_row_and_the_new_total(client_for):
    page = client_for("partner").get(reverse("action:reach-row"), {"reach-TOTAL_FORMS": "3"})
    assert page.status_code == 200
    assert 'name="reach-3-group"' in page.text
    assert 'name="reach-3-count"' in page.text
    assert 'name="reach-3-DELETE"' in page.text
    assert 'id="id_reach-TOTAL_FORMS"' in page.text and 'value="4"' in page.text
    assert 'hx-swap-oob="true"' in page.text


def test_reach_row_survives_a_bad_total(client_for):
    page = client_for("partner").get(reverse("action:reach-row"), {"reach-TOTAL_FORMS": "x"})
    assert 'name="reach-0-group"' in page.text
