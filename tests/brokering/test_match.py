"""Brokering's matching and scoring on plain records (no database). Expected scores are the
rule's arithmetic: coverage (3 this neighbourhood, 2 its MSOA, 1 its local authority)
+ communities 2 + languages 1 + capacity 1."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from healthgap.brokering import (
    CHAMPION,
    ORGANISATION,
    Language,
    Partner,
    candidates,
    coverage_score,
    default_languages,
    group_labels,
    has_local_presence,
    reach,
    reaching,
)

BLACK = "Black, Black British, Black Welsh, Caribbean or African"
SOMALI, URDU = Language("so", "Somali"), Language("ur", "Urdu")

# LSOA E01000005 lies in MSOA E02000003 (with E01000006), in local authority E08000002.
LSOA = reach("E01000005", "lsoa21", ancestors=[("E02000003", "msoa21"), ("E08000002", "lad24")])
MSOA = reach(
    "E02000003", "msoa21", lsoas=["E01000005", "E01000006"], ancestors=[("E08000002", "lad24")]
)


def org(id_, name, coverage=(), **fields):
    return Partner(ORGANISATION, id_, name, coverage=frozenset(coverage), **fields)


def champion(id_, name, coverage=(), **fields):
    return Partner(CHAMPION, id_, name, coverage=frozenset(coverage), **fields)


PARTNERS = [
    org(1, "A: covers the LSOA", ["E01000005"], communities=(BLACK,), languages=(SOMALI,),
        capacity_people_per_month=40),
    org(2, "B: covers the MSOA", ["E02000003"], communities=("Caribbean",), languages=(URDU,)),
    org(3, "C: covers the LAD", ["E08000002"], capacity_sessions_per_month=4),
    org(4, "D: based there", based_in="E01000005"),
    org(6, "F: elsewhere", ["E01000001"]),
    champion(7, "X: champion in the MSOA", ["E02000003"], languages=(SOMALI,)),
]  # fmt: skip
BLACK_GROUPS = frozenset({"Black", BLACK, "African", "Caribbean", "Other Black"})


def scores(matches):
    return [(m.partner.name, m.coverage, m.communities, m.languages, m.capacity, m.score)
            for m in matches]  # fmt: skip


def test_reach_of_an_lsoa_and_of_an_msoa():
    assert dict(LSOA.scores) == {"E01000005": 3, "E02000003": 2, "E08000002": 1}
    assert LSOA.lsoas == {"E01000005"}
    # An MSOA is reached through itself and its LSOAs (3 each), and its local authority (1).
    assert dict(MSOA.scores) == {"E02000003": 3, "E01000005": 3, "E01000006": 3, "E08000002": 1}
    assert MSOA.lsoas == {"E01000005", "E01000006"}
    assert LSOA.local == {"E01000005", "E02000003"}


def test_coverage_is_the_best_of_the_coverage_areas_and_where_it_is_based():
    both = org(9, "both", ["E08000002", "E02000003"])
    assert coverage_score(both, LSOA) == max(1, 2)
    assert coverage_score(org(9, "based", based_in="E01000006"), LSOA) == 0
    assert coverage_score(org(9, "based", based_in="E01000006"), MSOA) == 3


def test_candidates_for_black_residents_of_the_lsoa():
    wanted = default_languages(PARTNERS, LSOA)
    assert wanted == ["so"]  # X, the only champion in the neighbourhood or its MSOA
    found = candidates(PARTNERS, LSOA, groups=BLACK_GROUPS, languages=wanted)
    assert scores(found) == [
        ("A: covers the LSOA", 3, 2, 1, 1, 7),  # 3 + 2 (Black) + 1 (Somali) + 1 (40 a month)
        ("B: covers the MSOA", 2, 2, 0, 0, 4),  # 2 + 2 (Caribbean is a Black group); Urdu unwanted
        ("D: based there", 3, 0, 0, 0, 3),  # 3
        ("X: champion in the MSOA", 2, 0, 1, 0, 3),  # 2 + 1; ties go to the closer coverage
        ("C: covers the LAD", 1, 0, 0, 1, 2),  # 1 + 1 (4 sessions a month)
    ]  # F works elsewhere: not a candidate
    assert found[0].reasons == (
        "covers this neighbourhood",
        f"works with {BLACK}",
        "speaks Somali",
        "capacity: 40 people a month",
    )
    assert found[3].partner.key == "champion:7"


def test_the_broker_chooses_the_languages():
    by_name = {m.partner.name: m for m in candidates(PARTNERS, LSOA, groups=BLACK_GROUPS,
                                                     languages=["ur"])}  # fmt: skip
    assert by_name["B: covers the MSOA"].score == 2 + 2 + 1
    assert by_name["A: covers the LSOA"].languages == 0
    assert by_name["X: champion in the MSOA"].score == 2


def test_a_champion_has_no_capacity_score():
    busy = champion(8, "busy", ["E01000005"], capacity_people_per_month=10)
    (match,) = candidates([busy], LSOA)
    assert (match.capacity, match.score) == (0, 3)


def test_an_msoa_priority_for_everyone():
    found = {m.partner.name: m.score for m in candidates(PARTNERS, MSOA)}
    # A covers one of its LSOAs (3) + capacity 1; B covers it (3); D is based in one of its
    # LSOAs (3); C covers its local authority (1) + capacity 1; X works in it (3).
    assert found == {
        "A: covers the LSOA": 4,
        "B: covers the MSOA": 3,
        "D: based there": 3,
        "X: champion in the MSOA": 3,
        "C: covers the LAD": 2,
    }


def test_partners_reaching_an_area_best_coverage_then_organisations_first():
    assert [(m.partner.name, m.score) for m in reaching(PARTNERS, LSOA)] == [
        ("A: covers the LSOA", 3),
        ("D: based there", 3),
        ("B: covers the MSOA", 2),
        ("X: champion in the MSOA", 2),  # organisations before champions at equal coverage
        ("C: covers the LAD", 1),
    ]


def test_local_presence_is_the_neighbourhood_or_its_msoa_not_the_local_authority():
    assert has_local_presence(LSOA, {"E02000003"})
    assert has_local_presence(MSOA, {"E01000006"})  # one of its LSOAs
    assert not has_local_presence(LSOA, {"E08000002"})
    assert not has_local_presence(LSOA, {"E01000006"})  # a neighbouring LSOA


@dataclass(frozen=True)
class Group:
    label: str
    high_level: str


CENSUS = [Group("Indian", "Asian"), Group("Pakistani", "Asian"), Group("African", "Black")]
HIGH = {"Asian": "Asian, Asian British or Asian Welsh", "Black": BLACK}


@pytest.mark.parametrize(
    ("category_type", "category", "expected"),
    [
        ("all", "All", set()),
        ("ethnicity5", "Asian", {"Asian", HIGH["Asian"], "Indian", "Pakistani"}),
        ("ethnicity19", "Pakistani", {"Pakistani", HIGH["Asian"]}),
        ("plus_group", "Carers", {"Carers"}),
    ],
)
def test_group_labels_cover_broader_and_narrower_census_groups(category_type, category, expected):
    assert group_labels(category_type, category, CENSUS, HIGH) == expected
