"""Brokering: who can reach a priority (scores by hand), and cold spots."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from healthgap.web.directory.models import Community, CommunityChampion, CoverageArea
from healthgap.web.need.brokering import candidates, cold_spots, matching_groups
from healthgap.web.need.models import Introduction, IntroductionStatus, Priority
from tests.web.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

BLACK = "Black, Black British, Black Welsh, Caribbean or African"


def _community(kind, label):
    return Community.objects.get(kind=kind, label=label)


def _organisation(name, codes=(), communities=(), **fields):
    organisation = make_organisation(name=name, **fields)
    for code in codes:
        CoverageArea.objects.create(organisation=organisation, code=code)
    organisation.communities.set(communities)
    return organisation


def _champion(name, codes=(), languages=(), communities=(), **fields):
    champion = CommunityChampion.objects.create(
        name=name, consent_given_on=date(2026, 1, 1), **fields
    )
    for code in codes:
        CoverageArea.objects.create(champion=champion, code=code)
    champion.languages.set(languages)
    champion.communities.set(communities)
    return champion


@pytest.fixture
def partners(loaded):
    """Partners around the rank-1 priority: Black residents of LSOA E01000005, which lies in
    MSOA E02000003 and local authority E08000002."""
    somali = _community("language", "Somali")
    urdu = _community("language", "Urdu")
    return {
        "A": _organisation("A: covers the LSOA", ["E01000005"],
                           [_community("ethnic_group", BLACK), somali],
                           capacity_people_per_month=40),
        "B": _organisation("B: covers the MSOA", ["E02000003"],
                           [_community("ethnic_group", "Caribbean"), urdu]),
        "C": _organisation("C: covers the LAD", ["E08000002"], capacity_sessions_per_month=4),
        "D": _organisation("D: based there", lsoa21="E01000005"),
        "E": _organisation("E: inactive", ["E01000005"], active=False),
        "F": _organisation("F: elsewhere", ["E01000001"]),
        "X": _champion("X: champion in the MSOA", ["E02000003"], [somali]),
        "Y": _champion("", ["E01000005"], withdrawn_at=timezone.now()),  # withdrawn: anonymous
    }  # fmt: skip


def test_matching_groups_cover_broader_and_narrower_census_groups(db):
    black = matching_groups("ethnicity5", "Black")
    labels = set(Community.objects.filter(pk__in=black).values_list("label", flat=True))
    assert labels == {BLACK, "African", "Caribbean", "Other Black"}
    pakistani = matching_groups("ethnicity19", "Pakistani")
    assert set(Community.objects.filter(pk__in=pakistani).values_list("label", flat=True)) == {
        "Pakistani",
        "Asian, Asian British or Asian Welsh",
    }
    assert matching_groups("all", "All") == set()


def test_candidates_are_scored_by_coverage_communities_languages_and_capacity(partners):
    priority = Priority.objects.get(rank=1)
    found = candidates(priority)
    # Default languages: those of champions in the neighbourhood or its MSOA: X speaks Somali.
    scores = [(c.name, c.coverage, c.communities, c.languages, c.capacity, c.score) for c in found]
    assert scores == [
        ("A: covers the LSOA", 3, 2, 1, 1, 7),  # 3 + 2 (Black) + 1 (Somali) + 1 (40 a month)
        ("B: covers the MSOA", 2, 2, 0, 0, 4),  # Caribbean is a Black group; Urdu not wanted
        ("D: based there", 3, 0, 0, 0, 3),
        ("X: champion in the MSOA", 2, 0, 1, 0, 3),  # ties go to the closer coverage
        ("C: covers the LAD", 1, 0, 0, 1, 2),
    ]
    assert found[0].reasons == [
        "covers this neighbourhood",
        f"works with {BLACK}",
        "speaks Somali",
        "capacity: 40 people a month",
    ]
    assert found[3].key == f"champion:{partners['X'].pk}"


def test_the_broker_chooses_the_languages(partners):
    priority = Priority.objects.get(rank=1)
    by_name = {c.name: c for c in candidates(priority, languages=["ur"])}
    assert by_name["B: covers the MSOA"].score == 2 + 2 + 1
    assert by_name["A: covers the LSOA"].languages == 0
    assert by_name["X: champion in the MSOA"].score == 2


def test_an_msoa_priority_is_reached_through_its_lsoas(partners):
    priority = Priority.objects.get(rank=3)  # MSOA E02000003, everyone
    scores = {c.name: c.score for c in candidates(priority, languages=[])}
    # A covers one of its LSOAs (3) + capacity 1; B covers it (3); D is based in it (3);
    # C covers its local authority (1) + capacity (1); X works in it (3). No group bonus.
    assert scores == {
        "A: covers the LSOA": 4,
        "B: covers the MSOA": 3,
        "D: based there": 3,
        "X: champion in the MSOA": 3,
        "C: covers the LAD": 2,
    }


def test_cold_spots_are_priority_neighbourhoods_without_a_local_partner(loaded, client):
    analyst = make_user("analyst")  # sees every priority row, hidden or not
    # No partners at all: every priority neighbourhood is cold, best rank first.
    assert [s.area.code for s in cold_spots(analyst)] == [
        "E01000005", "E01000001", "E02000003", "E01000003",
    ]  # fmt: skip
    _organisation("covers E01000005", ["E01000005"])
    # E01000005 is covered, and so is its MSOA E02000003 (through that LSOA).
    assert [s.area.code for s in cold_spots(analyst)] == ["E01000001", "E01000003"]
    # Coverage of the whole local authority is not local presence.
    _organisation("council", ["E08000001"])
    assert [s.area.code for s in cold_spots(analyst)] == ["E01000001", "E01000003"]
    # A champion covering the MSOA around E01000001 counts.
    _champion("local champion", ["E02000001"])
    assert [s.area.code for s in cold_spots(analyst)] == ["E01000003"]
    # An introduction counts once accepted, not while proposed.
    introduction = Introduction.objects.create(
        indicator_id="x", indicator_name="x", period="p", area_code="E01000003",
        area_name="x", category_type="all", category="All",
        to_organisation=make_organisation(), status=IntroductionStatus.PROPOSED,
    )  # fmt: skip
    assert [s.area.code for s in cold_spots(analyst)] == ["E01000003"]
    introduction.status = IntroductionStatus.ACCEPTED
    introduction.save()
    assert cold_spots(analyst) == []


def test_cold_spot_page_withholds_explanations_resting_on_small_counts(loaded, client_for):
    public = client_for("public").get(reverse("need:cold-spots")).content.decode()
    # Only published priorities rank a cold spot for the public (docs/priorities.md).
    assert "Flu vaccination in Beta 001: 65 more people." in public
    assert "Black residents" not in public and "5 of 40 people vaccinated" not in public
    assert "(2 in all)" in public
    analyst = client_for("analyst").get(reverse("need:cold-spots")).content.decode()
    assert "5 of 40 people vaccinated" in analyst
    assert "(4 in all)" in analyst


def test_the_pages_show_the_scores_of_the_pure_rule(partners, client_for):
    """The broker's table and the area's active partners, rendered from the same matches."""
    priority = Priority.objects.get(rank=1)
    page = client_for("analyst").get(reverse("need:priority-detail", args=[priority.pk]))
    text = page.content.decode()
    order = [text.index(name) for name in ("A: covers the LSOA", "B: covers the MSOA",
                                            "D: based there", "X: champion in the MSOA",
                                            "C: covers the LAD")]  # fmt: skip
    assert order == sorted(order)  # scores 7, 4, 3, 3, 2
    assert "E: inactive" not in text  # F appears only as a possible "on behalf of" partner
    assert f"covers this neighbourhood; works with {BLACK}; speaks Somali" in text
    area = client_for("analyst").get(reverse("need:area", args=["E01000005"])).content.decode()
    assert "A: covers the LSOA</a>: covers this neighbourhood" in area
    assert "X: champion in the MSOA (Community Champion): covers the MSOA around it" in area
