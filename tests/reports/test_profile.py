"""build_profile on the hand-made store (tests/reports/stores.py): expected values by hand."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from healthgap.errors import InputDataError
from healthgap.reports.model import (
    Activity,
    Community,
    IndicatorLine,
    Insight,
    Partner,
    Profile,
)
from healthgap.reports.profile import build_profile
from healthgap.reports.render import render_html
from tests.reports.stores import SMALL_LSOA, make_store, reference


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("results")
    make_store(root)
    return root


def profile(root: Path, code: str, policy: str = "none", **kwargs: object) -> Profile:
    return build_profile(
        root, code, policy=policy, reference=reference(), today=date(2026, 12, 7), **kwargs
    )


def line(p: Profile, indicator: str) -> IndicatorLine:
    return next(x for x in p.indicators if x.indicator_id == indicator)


def test_key_facts_of_an_msoa(store: Path) -> None:
    # MSOA 1 = LSOAs 1-4: 1000 + 1200 + 1400 + 1600 = 5200 residents, deciles 1, 2, 3, 4.
    # Cumulative residents by decile 1000, 2200, 3600: the first reaching 5200 / 2 = 2600 is
    # decile 3. Core20 (deciles 1-2): (1000 + 1200) / 5200.
    facts = profile(store, "E02000001").facts
    assert facts.residents == 5200
    assert facts.imd_decile == 3
    assert facts.core20_share == pytest.approx(2200 / 5200)
    assert (facts.lsoas, facts.lsoas_decile_1) == (4, 1)


def test_lad_against_icb_without_disclosure_control(store: Path) -> None:
    # Flu: numerators 150+160+170+180+3+200+210+220+230+240+250+260 = 2273 of
    # 200+220+230+240+6+260+270+280+290+300+310+320 = 2926; the ICB is the same total.
    p = profile(store, "E08000030")
    flu = line(p, "flu_vaccination_65_plus")
    assert (flu.area.numerator, flu.area.denominator) == (2273, 2926)
    assert flu.area.value == pytest.approx(2273 / 2926 * 100)
    assert flu.icb.value == pytest.approx(2273 / 2926 * 100)
    assert flu.vs_icb == "Similar" and flu.benchmark_label == "ICB"
    assert p.area.parents == (("icb24", "E54000062", "Test ICB"),)
    assert p.warnings and "OFF" in p.warnings[0]


def test_public_policy_rounds_counts_and_hides_the_small_lsoa(store: Path) -> None:
    # 2273 -> 2275 and 2926 -> 2925 (nearest 5); the LSOA with 3 of 6 is hidden.
    lad = line(profile(store, "E08000030", "public"), "flu_vaccination_65_plus")
    assert (lad.area.numerator, lad.area.denominator) == (2275, 2925)
    small = line(profile(store, SMALL_LSOA, "public"), "flu_vaccination_65_plus")
    assert small.area.hidden and small.vs_icb == "Not compared"
    assert small.area.numerator != small.area.numerator  # NaN


def test_spine_spread_over_the_icbs_lsoas(store: Path) -> None:
    # Flu by LSOA: 75, 72.73, 73.91, 75, 50 (3/6), 76.92, 77.78, 78.57, 79.31, 80, 80.65,
    # 81.25 (= 260/320). Higher is better: worst 50, best 81.25; the median of 12 values is the
    # mean of the 6th and 7th: (200/260 + 210/270) / 2 * 100.
    spread = line(profile(store, "E01000002"), "flu_vaccination_65_plus").spread
    assert spread.areas == 12 and spread.label == "12 LSOAs in Test ICB"
    assert (spread.worst, spread.best) == (pytest.approx(50.0), pytest.approx(81.25))
    assert spread.median == pytest.approx((200 / 260 + 210 / 270) / 2 * 100)


def test_england_is_the_published_figure_or_not_published(store: Path) -> None:
    p = profile(store, "E08000030")
    diabetes = line(p, "diabetes_recorded_prevalence")
    assert diabetes.england.value == 7.07 and diabetes.england.period == "2019/20"
    assert not diabetes.england.from_run and diabetes.vs_england == "Not compared"
    assert line(p, "flu_vaccination_65_plus").england is None
    assert "not computed here" in p.england_note


def test_england_from_an_england_run_is_the_benchmark(tmp_path: Path) -> None:
    # England flu 7000 / 10000 = 70% (limits 69-71); the LAD's 77.7% (76.7-78.7) is above it.
    make_store(tmp_path, england=True)
    flu = line(profile(tmp_path, "E08000030"), "flu_vaccination_65_plus")
    assert flu.england.from_run and flu.england.value == pytest.approx(70.0)
    assert flu.benchmark_label == "England" and flu.benchmark == pytest.approx(70.0)
    assert flu.vs_england == "Better"


def test_gap_of_an_lsoa_is_measured_in_its_local_authority(store: Path) -> None:
    # LSOA 2 has decile 2; the LAD's deciles: decile 1 = LSOAs 1 and 5 = (150 + 3) / (200 + 6).
    p = profile(store, "E01000002")
    gap = next(g for g in p.gaps if g.indicator_id == "flu_vaccination_65_plus")
    assert gap.measured_in == "Walsall" and gap.highlight == 2
    assert (gap.sii, gap.lowercl, gap.uppercl) == (12.5, 10.5, 14.5)
    assert [b.decile for b in gap.bars] == list(range(1, 11))
    assert gap.bars[0].value == pytest.approx(153 / 206 * 100)


def test_priorities_drop_hidden_groups_round_headroom_and_take_turns(store: Path) -> None:
    # Ranks: 1 flu 002A, 2 flu 001B, 3 flu 003A, 4 diabetes 003A. Each indicator's best first
    # (flu rank 1, diabetes rank 4), then flu's second and third.
    everything = profile(store, "E08000030").priorities
    assert [(x.indicator_name[:8], x.area_name) for x in everything] == [
        ("Flu vacc", "Walsall 002A"),
        ("Diabetes", "Walsall 003A"),
        ("Flu vacc", "Walsall 001B"),
        ("Flu vacc", "Walsall 003A"),
    ]
    public = profile(store, "E08000030", "public").priorities
    assert [(x.position, x.area_name) for x in public] == [
        (1, "Walsall 001B"),
        (2, "Walsall 003A"),
        (3, "Walsall 003A"),
    ]
    # 42.4 -> 40, its limits 32.4 -> 30 and 52.4 -> 50; 12.0 -> 10 (its limits: 2.0 is under
    # 8, so hidden, and 22.0 -> 20); 17.6 -> 20.
    assert (public[0].headroom, public[0].headroom_lowercl, public[0].headroom_uppercl) == (
        40,
        30,
        50,
    )
    assert (public[1].headroom, public[2].headroom) == (10, 20)
    assert math.isnan(public[1].headroom_lowercl) and public[1].headroom_uppercl == 20
    assert [x.area_name for x in profile(store, "E02000001", "public").priorities] == [
        "Walsall 001B"
    ]


def test_disclosure_statement_names_the_policy_and_shares(store: Path) -> None:
    p = profile(store, "E01000002", "public")
    assert p.disclosure.policy == "public" and "nearest 5" in p.disclosure.rule
    assert p.disclosure.hidden_share["lsoa21"] > 0
    assert p.disclosure.hidden_share["icb24"] == 0
    assert list(p.disclosure.hidden_share) == ["lsoa21", "msoa21", "lad24", "icb24"]


def test_unknown_or_unsupported_areas_are_user_errors(store: Path) -> None:
    with pytest.raises(InputDataError, match=r"E01999999.*no results"):
        profile(store, "E01999999")


def test_the_community_section_is_optional_plain_data(store: Path) -> None:
    community = Community(
        partners=(Partner("Walsall Together", "voluntary organisation"),),
        activities=(
            Activity("Flu clinic at the mosque", "Walsall Together", date(2026, 10, 4), ("Asian",)),
        ),
        insights=(Insight("Evening clinics wanted", "Shift workers cannot come by day."),),
    )
    html = render_html(profile(store, "E02000002", "public", community=community))
    assert "Partners, activities and insights" in html
    for text in ("Walsall Together", "Flu clinic at the mosque", "2026-10-04", "Evening clinics"):
        assert text in html
    assert "Partners, activities and insights" not in render_html(profile(store, "E02000002"))
