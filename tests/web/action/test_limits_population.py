"""People reached against the Census 2021 population of the programme's areas (issue 12,
docs/action.md "Sanity limits"; `healthgap.web.action.population`).

Populations come from the geography fixture mirror (tests/geography/mirror_fixture.py), whose
numbers are written by hand: every age band of LSOA E0100000k holds 10k people. So:

- E01000001 (Alpha 001A): 10 per band, 6 x 10 = 60 people;
- E02000001 (MSOA Alpha 001 = E01000001 + E01000002): 10 + 20 = 30 per band, 180 people;
- E08000001 (local authority Alpha = E01000001..3): 10 + 20 + 30 = 60 per band, 360 people.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from healthgap.geography import DataConfig
from healthgap.web.action import actions
from healthgap.web.action.models import Activity
from healthgap.web.action.population import Residents, reach_problems, residents
from tests.geography.mirror_fixture import write_mirror
from tests.web.action.factories import make_activity, make_programme
from tests.web.action.test_api import activity_payload, post
from tests.web.factories import TEST_JOB

ALPHA_001A, ALPHA_001B = "E01000001", "E01000002"
ALPHA_MSOA, ALPHA_LAD = "E02000001", "E08000001"
BANDS = ("0 to 15", "16 to 24", "25 to 34", "35 to 49", "50 to 64", "65 and over")
HOMELESS = "plus:People experiencing homelessness"
MIGRANTS = "plus:Vulnerable migrants"


@pytest.fixture(scope="module")
def fixture_config(tmp_path_factory) -> DataConfig:
    root = tmp_path_factory.mktemp("reach-geo")
    return DataConfig(mirror=write_mirror(root / "mirror"), var=root / "var", verify=False)


@pytest.fixture
def census(monkeypatch, fixture_config):
    """The fixture mirror stands in for the open-data mirror."""
    monkeypatch.setattr(DataConfig, "from_env", classmethod(lambda cls, **kw: fixture_config))


@pytest.fixture
def no_mirror(monkeypatch, tmp_path):
    empty = DataConfig(mirror=tmp_path / "none", var=tmp_path / "var", verify=False)
    monkeypatch.setattr(DataConfig, "from_env", classmethod(lambda cls, **kw: empty))


# --- the residents of the areas ----------------------------------------------------------------
def test_an_lsoas_residents_are_its_census_counts(census):
    people = residents([ALPHA_001A])
    assert people.all_ages == 60
    assert dict(people.by_age) == dict.fromkeys(BANDS, 10)


def test_an_lsoa_listed_with_its_msoa_is_counted_once(census):
    # MSOA E02000001 = E01000001 (60) + E01000002 (120) = 180, not 180 + 60 = 240.
    people = residents([ALPHA_MSOA, ALPHA_001A])
    assert people.all_ages == 180
    assert people.by_age["65 and over"] == 30


def test_a_local_authoritys_residents_are_its_lsoas(census):
    people = residents([ALPHA_LAD])
    assert (people.all_ages, people.by_age["0 to 15"]) == (360, 60)  # (10+20+30) x 6; 10+20+30


def test_no_areas_or_an_unknown_area_means_no_check(census):
    assert residents([]) is None
    assert residents([ALPHA_001A, "E01999999"]) is None  # well formed, not in the lookups


# --- the rule, on hand-written residents ----------------------------------------------------
SMALL = Residents(areas=(ALPHA_001A,), all_ages=60, by_age=dict.fromkeys(BANDS, 10))


def test_an_age_band_holds_at_most_its_residents(census):
    assert reach_problems({"age:65 and over": 10}, SMALL) == []
    problems = reach_problems({"age:65 and over": 11}, SMALL)
    assert problems[0] == (
        "Aged 65 and over: 11 people reached is more than the 10 residents aged 65 and over "
        "of the programme's areas (E01000001 Alpha 001A) (Census 2021)."
    )
    assert problems[-1].startswith("Check the counts")


def test_ethnic_groups_add_up_to_at_most_all_residents(census):
    assert reach_problems({"ethnicity:Indian": 40, "ethnicity:Pakistani": 20}, SMALL) == []
    (problem, _) = reach_problems({"ethnicity:Indian": 40, "ethnicity:Pakistani": 21}, SMALL)
    assert problem == (
        "Ethnic group (Census 2021): 61 people reached in all is more than the 60 people who "
        "live in the programme's areas (E01000001 Alpha 001A) (Census 2021)."
    )


def test_overlapping_plus_groups_are_not_added_up(census):
    # A person can be in both groups: 40 + 40 = 80 > 60 is no proof of a slip; 61 in one is.
    assert reach_problems({HOMELESS: 40, MIGRANTS: 40}, SMALL) == []
    (problem, _) = reach_problems({HOMELESS: 61}, SMALL)
    assert problem.startswith("PLUS group: 61 people reached in one group is more than the 60")


def test_a_long_list_of_areas_is_shortened():
    many = Residents(areas=("A", "B", "C", "D", "E"), all_ages=1, by_age=dict.fromkeys(BANDS, 0))
    (problem, _) = reach_problems({"age:0 to 15": 1}, many)
    assert "the programme's areas (A, B, C and 2 more)" in problem


# --- through the API, the page and the actions -------------------------------------------------
@pytest.mark.django_db
def test_more_people_than_live_in_the_lsoa_is_refused_by_the_api(census, client_for, role_users):
    programme = make_programme(lead=role_users["partner"].organisation, target_areas=[ALPHA_001A])
    client = client_for("partner")
    reach = [{"group_type": "ethnicity", "group": "Indian", "count": 61}]
    payload = activity_payload(programme, lsoa21=ALPHA_001A, reach=reach)
    refused = post(client, "api:action-activities", payload)
    assert refused.status_code == 422
    assert refused.json()["detail"]["reach"][0] == (
        "Ethnic group (Census 2021): 61 people reached in all is more than the 60 people who "
        "live in the programme's areas (E01000001 Alpha 001A) (Census 2021)."
    )
    assert not Activity.objects.exists()
    reach[0]["count"] = 60
    accepted = post(
        client, "api:action-activities", activity_payload(programme, lsoa21=ALPHA_001A, reach=reach)
    )
    assert accepted.status_code == 201, accepted.content


@pytest.mark.django_db
def test_the_record_activity_page_shows_the_census_limit(census, client_for, role_users):
    programme = make_programme(lead=role_users["partner"].organisation, target_areas=[ALPHA_MSOA])
    url = reverse("action:activity-create", kwargs={"programme_pk": programme.pk})
    data = {
        "kind": "outreach", "date": "2026-02-03", "place": "Hall",
        "reach-TOTAL_FORMS": "1", "reach-INITIAL_FORMS": "0",
        "reach-0-group": "age:65 and over", "reach-0-count": "31",
    }  # fmt: skip
    response = client_for("partner").post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "31 people reached is more than the 30 residents aged 65 and over" in page
    assert "E02000001 Alpha 001" in page
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_changing_the_reach_is_checked_too(census):
    programme = make_programme(target_areas=[ALPHA_LAD])
    activity = make_activity(programme, reach={"age:0 to 15": 5})
    with pytest.raises(ValidationError, match="61 people reached is more than the 60 residents"):
        actions.update_activity(by=TEST_JOB, activity=activity, reach={"age:0 to 15": 61})
    assert {r.key: r.count for r in activity.reach.all()} == {"age:0 to 15": 5}
    actions.update_activity(by=TEST_JOB, activity=activity, reach={"age:0 to 15": 60})


@pytest.mark.django_db
def test_without_target_areas_only_the_per_activity_cap_applies(census):
    activity = actions.create_activity(
        by=TEST_JOB,
        programme=make_programme(),
        kind="outreach",
        date=date(2026, 2, 3),
        place="Hall",
        reach={"ethnicity:Indian": 5_000},
    )
    assert activity.reach.get().count == 5_000


@pytest.mark.django_db
def test_without_the_mirror_the_reach_is_refused_saying_why(no_mirror, client_for, role_users):
    programme = make_programme(lead=role_users["partner"].organisation, target_areas=[ALPHA_LAD])
    response = post(
        client_for("partner"), "api:action-activities", activity_payload(programme, lsoa21="")
    )
    assert response.status_code == 422
    (message,) = response.json()["detail"]["reach"]
    assert message.startswith(
        "People reached cannot be checked against the Census 2021 population of the "
        "programme's areas:"
    )
    assert not Activity.objects.exists()
