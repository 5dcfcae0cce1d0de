"""Sanity limits on what people record (issue 12, docs/action.md "Sanity limits"): people
reached per activity, dates that have happened or are planned within a year, and an activity's
neighbourhood inside its programme's areas. Checked through the API (the pages use the same
model rules) and on the validators at their boundaries."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from healthgap.web.action.models import Activity, Insight, Programme
from healthgap.web.action.validators import (
    validate_not_future,
    validate_people_reached,
    validate_planned,
)
from tests.web.action.factories import (
    SANDWELL_LAD,
    SANDWELL_LSOA,
    WALSALL_LSOA,
    make_insight,
    make_programme,
)
from tests.web.action.test_api import PROGRAMME, activity_payload, post

TODAY = date(2026, 6, 15)


# --- the validators at their boundaries ------------------------------------------------------
def test_ten_thousand_people_of_a_group_is_the_most_one_activity_reaches():
    validate_people_reached(10_000)
    with pytest.raises(ValidationError, match=r"10,001 people .* at most 10,000 people"):
        validate_people_reached(10_001)


def test_something_that_happened_is_dated_today_at_the_latest():
    validate_not_future(TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="16 June 2026 is in the future"):
        validate_not_future(date(2026, 6, 16), today=TODAY)


def test_a_plan_starts_within_366_days():
    # 15 June 2026 + 366 days = 16 June 2027 (2027 is not a leap year: 365 days to 15 June).
    validate_planned(date(2027, 6, 16), today=TODAY)
    with pytest.raises(ValidationError, match="17 June 2027 is more than a year ahead"):
        validate_planned(date(2027, 6, 17), today=TODAY)


# --- through the API ---------------------------------------------------------------------------
pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_a_trillion_people_reached_is_refused_with_the_rule(client_for, role_users):
    programme = make_programme(lead=role_users["partner"].organisation)
    reach = [{"group_type": "ethnicity", "group": "Indian", "count": 1_000_000_000_000}]
    response = post(
        client_for("partner"), "api:action-activities", activity_payload(programme, reach=reach)
    )
    assert response.status_code == 422
    text = json.dumps(response.json())
    assert "1,000,000,000,000 people is more than one activity can reach" in text
    assert "one activity per session" in text
    assert not Activity.objects.exists()


@pytestmark_db
def test_an_activity_dated_tomorrow_is_refused(client_for, role_users):
    programme = make_programme(lead=role_users["partner"].organisation)
    tomorrow = date.today() + timedelta(days=1)
    payload = activity_payload(programme, date=tomorrow.isoformat())
    response = post(client_for("partner"), "api:action-activities", payload)
    assert response.status_code == 422
    assert response.json()["detail"]["date"] == [
        f"The date {tomorrow:%d %B %Y} is in the future. Record activities and insights once "
        f"they have happened (today, {date.today():%d %B %Y}, at the latest)."
    ]


@pytestmark_db
def test_an_insight_dated_next_year_is_refused(client_for):
    later = date.today() + timedelta(days=400)
    payload = {"theme": "digital", "summary": "Booking only online.", "date": later.isoformat()}
    response = post(client_for("champion"), "api:action-insights", payload)
    assert response.status_code == 422
    assert "is in the future" in response.json()["detail"]["date"][0]
    assert not Insight.objects.exists()


@pytestmark_db
def test_a_programme_starting_in_two_years_is_refused(client_for):
    start = date.today() + timedelta(days=730)
    payload = {**PROGRAMME, "start_date": start.isoformat()}
    response = post(client_for("administrator"), "api:action-programmes", payload)
    assert response.status_code == 422
    assert "is more than a year ahead" in response.json()["detail"]["start_date"][0]
    assert not Programme.objects.exists()


@pytestmark_db
def test_an_activity_outside_the_programmes_areas_is_refused(client_for, role_users, area_lookups):
    programme = make_programme(lead=role_users["partner"].organisation, target_areas=[SANDWELL_LAD])
    client = client_for("partner")
    outside = post(
        client, "api:action-activities", activity_payload(programme, lsoa21=WALSALL_LSOA)
    )
    assert outside.status_code == 422
    assert outside.json()["detail"]["lsoa21"] == [
        f"Neighbourhood {WALSALL_LSOA} is outside the programme's areas ({SANDWELL_LAD}). "
        "Choose a neighbourhood inside them, or add its area to the programme first."
    ]
    inside = post(
        client, "api:action-activities", activity_payload(programme, lsoa21=SANDWELL_LSOA)
    )
    assert inside.status_code == 201, inside.content


@pytestmark_db
def test_the_record_activity_page_shows_the_limit(client_for, role_users):
    programme = make_programme(lead=role_users["partner"].organisation)
    client = client_for("partner")
    url = reverse("action:activity-create", kwargs={"programme_pk": programme.pk})
    data = {
        "kind": "outreach", "date": "2026-02-03", "place": "Hall",
        "reach-TOTAL_FORMS": "1", "reach-INITIAL_FORMS": "0",
        "reach-0-group": "ethnicity:Indian", "reach-0-count": "1000000000000",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        "1,000,000,000,000 people is more than one activity can reach" in response.content.decode()
    )
    assert not Activity.objects.exists()


# --- a public chart with every bar hidden says why (issue 12) ---------------------------------
@pytestmark_db
def test_a_public_insight_chart_with_every_bar_hidden_says_why(client_for):
    make_insight("cost")
    make_insight("trust")
    page = client_for("public").get(reverse("action:insight-summary")).content.decode()
    assert "No bars are drawn: every count here is below 8" in page
    assert "<rect" not in page.split('id="by-theme-title"')[1].split("</svg>")[0]
    analyst = client_for("analyst").get(reverse("action:insight-summary")).content.decode()
    assert "No bars are drawn" not in analyst
