"""`for_area`: what is being done in a set of LSOAs, for the neighbourhood profile."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from healthgap.web.action.queries import for_area
from tests.web.action.factories import (
    SANDWELL_LAD,
    SANDWELL_LSOA,
    SANDWELL_LSOA_2,
    WALSALL_LSOA,
    make_activity,
    make_insight,
    make_programme,
)
from tests.web.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]

TODAY = date(2026, 6, 30)
SANDWELL_MSOA = "E02002051"  # Sandwell 009, which holds SANDWELL_LSOA


def test_the_factory_codes_are_where_the_tests_say(area_lookups):
    rows = area_lookups.set_index("lsoa21_code")
    assert rows.loc[SANDWELL_LSOA, ["msoa21_code", "lad24_code", "icb24_code"]].tolist() == [
        SANDWELL_MSOA,
        SANDWELL_LAD,
        "E54000062",
    ]
    assert rows.loc[SANDWELL_LSOA_2, "lad24_code"] == SANDWELL_LAD
    assert rows.loc[SANDWELL_LSOA_2, "msoa21_code"] != SANDWELL_MSOA
    assert rows.loc[WALSALL_LSOA, "lad24_name"] == "Walsall"


def test_programmes_targeting_the_area_or_its_parents_or_working_there(area_lookups):
    by_lad = make_programme(name="By LAD", target_areas=[SANDWELL_LAD])
    by_msoa = make_programme(name="By MSOA", target_areas=[SANDWELL_MSOA])
    by_lsoa = make_programme(name="By LSOA", target_areas=[SANDWELL_LSOA])
    make_programme(name="Elsewhere", target_areas=[WALSALL_LSOA])
    make_programme(name="Ended", target_areas=[SANDWELL_LAD], end_date=date(2026, 6, 1))
    make_programme(name="Paused", target_areas=[SANDWELL_LAD], status="paused")
    working = make_programme(name="Working here", target_areas=[WALSALL_LSOA])
    make_activity(programme=working, lsoa21=SANDWELL_LSOA, date=date(2026, 6, 1))

    result = for_area([SANDWELL_LSOA], today=TODAY)
    assert {p["name"] for p in result["programmes"]} == {
        "By LAD", "By MSOA", "By LSOA", "Working here"
    }  # fmt: skip
    targets = {p["id"]: p["target_areas"] for p in result["programmes"]}
    assert targets[by_lad.pk] == [SANDWELL_LAD]
    assert targets[by_msoa.pk] == [SANDWELL_MSOA]
    assert targets[by_lsoa.pk] == [SANDWELL_LSOA]
    assert targets[working.pk] == []


def test_recent_activities_in_the_area_newest_first(area_lookups):
    new = make_activity(lsoa21=SANDWELL_LSOA, date=date(2026, 6, 1), reach={"ethnicity:Indian": 5})
    old = make_activity(lsoa21=SANDWELL_LSOA_2, date=date(2025, 9, 1))
    make_activity(lsoa21=SANDWELL_LSOA, date=date(2025, 6, 29))  # 366 days before TODAY
    make_activity(lsoa21=WALSALL_LSOA, date=date(2026, 6, 1))
    make_activity(lsoa21="", date=date(2026, 6, 1))

    result = for_area([SANDWELL_LSOA, SANDWELL_LSOA_2], today=TODAY)
    assert [a["id"] for a in result["activities"]] == [new.pk, old.pk]
    first = result["activities"][0]
    assert (first["people_reached"], first["lsoa21"], first["url"]) == (
        5,
        SANDWELL_LSOA,
        f"/action/activities/{new.pk}/",
    )
    limited = for_area([SANDWELL_LSOA, SANDWELL_LSOA_2], today=TODAY, activity_limit=1)
    assert len(limited["activities"]) == 1


def test_insight_counts_for_the_lsoas_and_their_msoas(area_lookups):
    pak, ind = "ethnicity:Pakistani", "ethnicity:Indian"
    make_insight("trust", (pak, ind), neighbourhood=SANDWELL_LSOA)
    make_insight("trust", (pak,), neighbourhood=SANDWELL_MSOA)
    make_insight("cost", (pak,), neighbourhood=SANDWELL_LSOA)
    make_insight("cost", (pak,), neighbourhood=WALSALL_LSOA)
    make_insight("cost", (pak,))

    insights = for_area([SANDWELL_LSOA], today=TODAY)["insights"]
    # Three insights name the LSOA or its MSOA: trust 2, cost 1; Pakistani in all 3, Indian in 1.
    assert insights["total"] == 3
    assert [(t["theme"], t["count"]) for t in insights["by_theme"]] == [("trust", 2), ("cost", 1)]
    assert [(g["group"], g["count"]) for g in insights["by_group"]] == [
        ("Indian", 1),
        ("Pakistani", 3),
    ]


@pytest.mark.parametrize(("user", "shown"), [(AnonymousUser(), "*"), (None, 3)])
def test_counts_are_suppressed_when_a_viewer_is_given(area_lookups, user, shown):
    make_activity(lsoa21=SANDWELL_LSOA, date=date(2026, 6, 1), reach={"ethnicity:Indian": 3})
    make_insight("trust", neighbourhood=SANDWELL_LSOA)
    result = for_area([SANDWELL_LSOA], today=TODAY, user=user)
    assert result["activities"][0]["people_reached"] == shown
    if user is None:
        assert result["insights"]["total"] == 1
    else:  # only the protected table's own rows: the LSOA's one trust insight is hidden
        assert result["insights"]["total"] is None
        places = result["insights"]["neighbourhoods"]
        assert [(p["code"], p["total"]) for p in places] == [(SANDWELL_LSOA, "*")]


def test_analysts_get_exact_counts(area_lookups):
    make_activity(lsoa21=SANDWELL_LSOA, date=date(2026, 6, 1), reach={"ethnicity:Indian": 3})
    result = for_area([SANDWELL_LSOA], today=TODAY, user=make_user("analyst"))
    assert result["activities"][0]["people_reached"] == 3


def test_an_empty_area(area_lookups):
    assert for_area([SANDWELL_LSOA], today=TODAY) == {
        "lsoa_codes": [SANDWELL_LSOA],
        "programmes": [],
        "activities": [],
        "insights": {"total": 0, "by_theme": [], "by_group": [], "neighbourhoods": []},
    }
