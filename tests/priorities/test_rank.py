"""`prioritise` on hand-made results: benchmark choice by polarity, headroom, stabilisation,
ranking, flags, explanation text and errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import ArgumentError, InputDataError
from healthgap.priorities import COLUMNS, prioritise
from tests.priorities.stores import ENGLAND, LAD, MSOA, frame, lsoa, no_core20, row, store
from tests.priorities.test_smoothing import MU, N, X
from tests.priorities.test_smoothing import M as PRIOR_M

Z = 1.959963984540054
NO_SMOOTHING = {"min_areas": 100}
HEALTH_CHECK_DECILES = [20, 30, 40, 50, 60, 60, 70, 70, 80, 90]  # of 100 people each
DSR_DECILES = [1000, 900, 800, 700, 600, 500, 500, 400, 400, 300]  # each ± 50


def _tree() -> list[dict[str, object]]:
    """England, Walsall LAD and MSOA rows (so parent_code can be followed), with IMD deciles
    for the two indicators without a target."""
    rows = [row(i, area, 1, 2) for i in ("flu_vaccination_65_plus",) for area in
            (ENGLAND, LAD, MSOA)]  # fmt: skip
    rows += [
        row("nhs_health_check_uptake", LAD, x, 100, category=("imd_decile", str(d)))
        for d, x in enumerate(HEALTH_CHECK_DECILES, start=1)
    ]
    rows += [
        row("emergency_admissions_dsr", LAD, 10, 1000, v, (v - 50, v + 50),
            category=("imd_decile", str(d)))
        for d, v in enumerate(DSR_DECILES, start=1)
    ]  # fmt: skip
    return rows


def _three_indicators() -> pd.DataFrame:
    rows = [
        *_tree(),
        row("flu_vaccination_65_plus", lsoa(1), 30, 60, 50.0, (40.0, 60.0)),
        row("nhs_health_check_uptake", lsoa(1), 40, 80, 50.0, (45.0, 55.0)),
        row("emergency_admissions_dsr", lsoa(1), 90, 10000, 900.0, (850.0, 960.0)),
        row("hypertension_recorded_prevalence", lsoa(1), 10, 100),
    ]
    return frame(rows)


def _run(results: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    kwargs = {"core20": no_core20(["E01000001"]), **NO_SMOOTHING, **kwargs}
    return prioritise(results, **kwargs)  # type: ignore[arg-type]


def test_columns_follow_the_results_contract() -> None:
    assert list(_run(_three_indicators()).columns) == COLUMNS


def test_benchmarks_target_or_best_quintile_by_polarity_and_headroom_by_hand() -> None:
    got = _run(_three_indicators()).set_index("indicator_id")
    assert "hypertension_recorded_prevalence" not in got.index  # no_judgement: no direction

    flu = got.loc["flu_vaccination_65_plus"]
    assert (flu["benchmark_value"], flu["benchmark_source"]) == (75.0, "target")
    assert flu["headroom"] == pytest.approx((75 - 50) * 60 / 100)  # 15 people
    assert flu["headroom_lowercl"] == pytest.approx((75 - 60) * 60 / 100)
    assert flu["headroom_uppercl"] == pytest.approx((75 - 40) * 60 / 100)

    # No target, higher is better: the best quintile of Walsall is quintile 5 (deciles 9 and
    # 10): (80 + 90) / 200 = 85%, with Wilson limits.
    check = got.loc["nhs_health_check_uptake"]
    x, n = 170, 200
    root = Z * math.sqrt(Z**2 + 4 * x * (1 - x / n))
    b_low = (2 * x + Z**2 - root) / (2 * (n + Z**2)) * 100
    b_high = (2 * x + Z**2 + root) / (2 * (n + Z**2)) * 100
    assert check["benchmark_value"] == pytest.approx(85.0)
    assert check["benchmark_source"] == "best IMD quintile (5) of Walsall"
    assert check["headroom"] == pytest.approx((85 - 50) * 80 / 100)  # 28 people
    gap_low = 35 - math.sqrt((85 - b_low) ** 2 + (55 - 50) ** 2)
    gap_high = 35 + math.sqrt((b_high - 85) ** 2 + (50 - 45) ** 2)
    assert check["headroom_lowercl"] == pytest.approx(gap_low * 0.8)
    assert check["headroom_uppercl"] == pytest.approx(gap_high * 0.8)

    # Lower is better: the lowest quintile, 5 = (400 + 300) / 2 = 350 per 100,000.
    dsr = got.loc["emergency_admissions_dsr"]
    se = math.sqrt(2 * (0.5 * 100 / (2 * Z)) ** 2)
    assert dsr["benchmark_value"] == pytest.approx(350.0)
    assert dsr["headroom"] == pytest.approx((900 - 350) * 10_000 / 100_000)  # 55 admissions
    gap_low = 550 - math.sqrt((900 - 850) ** 2 + (Z * se) ** 2)
    assert dsr["headroom_lowercl"] == pytest.approx(gap_low * 0.1)


def test_ranked_within_each_indicator_by_default() -> None:
    # Events and people are different units: each indicator's one area is its rank 1.
    got = _run(_three_indicators())
    assert got["indicator_id"].tolist() == [
        "emergency_admissions_dsr",
        "flu_vaccination_65_plus",
        "nhs_health_check_uptake",
    ]
    assert got["rank"].tolist() == [1, 1, 1]
    assert got["unit"].tolist() == ["events", "people", "people"]
    assert got["group"].tolist() == ["Everyone"] * 3


def _two_indicators_two_areas() -> pd.DataFrame:
    return frame([
        *_tree(),
        row("flu_vaccination_65_plus", lsoa(1), 30, 60, 50.0, (40.0, 60.0)),  # (75-50)*.6 = 15
        row("flu_vaccination_65_plus", lsoa(2), 60, 100, 60.0, (50.0, 70.0)),  # (75-60)*1 = 15
        row("emergency_admissions_dsr", lsoa(1), 90, 10000, 900.0, (850.0, 960.0)),  # 55
        row("emergency_admissions_dsr", lsoa(2), 20, 10000, 200.0, (150.0, 250.0)),  # 0
    ])  # fmt: skip


def test_combined_view_ranks_a_weighted_share_of_each_indicators_total() -> None:
    # flu: headrooms 15 and 15 of a total 30 -> shares 0.5 and 0.5 (the surer gap first: LSOA 1's
    # lower limit (75 - 60) * 0.6 = 9 beats LSOA 2's (75 - 70) * 1 = 5); admissions: 55 of 55
    # -> 1.0 and 0 of 55 -> 0.
    got = _run(_two_indicators_two_areas(), view="combined")
    assert list(zip(got["indicator_id"], got["area_code"], got["rank"], strict=True)) == [
        ("emergency_admissions_dsr", "E01000001", 1),
        ("flu_vaccination_65_plus", "E01000001", 2),
        ("flu_vaccination_65_plus", "E01000002", 3),
        ("emergency_admissions_dsr", "E01000002", 4),
    ]
    assert got["share"].tolist() == pytest.approx([1.0, 0.5, 0.5, 0.0])
    # Weighting flu 3x: scores 1.5, 1.5 against admissions' 1.0.
    weighted = _run(_two_indicators_two_areas(), view="combined",
                    weights={"flu_vaccination_65_plus": 3})  # fmt: skip
    assert weighted["score"].tolist() == pytest.approx([1.5, 1.5, 1.0, 0.0])
    assert weighted["indicator_id"].iloc[2] == "emergency_admissions_dsr"


def test_bad_view_or_weights_are_refused() -> None:
    with pytest.raises(ArgumentError, match="view must be one of indicator, combined"):
        _run(_three_indicators(), view="overall")
    with pytest.raises(ArgumentError, match="weights must be numbers >= 0"):
        _run(_three_indicators(), view="combined", weights={"flu_vaccination_65_plus": -1})


def test_groups_are_nested_under_their_area_ranked_by_its_everyone_row() -> None:
    # LSOA 1: Everyone 50% of 60 -> 15 people; its Black group 40% of 20 -> (75-40)*0.2 = 7,
    # its Asian group 70% of 20 -> 1. LSOA 2: Everyone 40% of 20 -> 7 (ranked second although
    # LSOA 1's Black group has the same headroom: groups do not take ranks of their own).
    rows = [
        *_tree(),
        row("flu_vaccination_65_plus", lsoa(1), 30, 60, 50.0, (40.0, 60.0)),
        row("flu_vaccination_65_plus", lsoa(1), 8, 20, 40.0, (20.0, 60.0),
            category=("ethnicity5", "Black")),
        row("flu_vaccination_65_plus", lsoa(1), 14, 20, 70.0, (50.0, 85.0),
            category=("ethnicity5", "Asian")),
        row("flu_vaccination_65_plus", lsoa(2), 8, 20, 40.0, (20.0, 60.0)),
    ]  # fmt: skip
    got = _run(frame(rows))
    assert list(zip(got["area_code"], got["group"], got["rank"], got["group_rank"],
                    strict=True)) == [
        ("E01000001", "Everyone", 1, 0),
        ("E01000001", "Black ethnic group", 1, 1),
        ("E01000001", "Asian ethnic group", 1, 2),
        ("E01000002", "Everyone", 2, 0),
    ]  # fmt: skip
    assert got["headroom"].tolist() == pytest.approx([15.0, 7.0, 1.0, 7.0])


def test_dsr_headroom_scales_the_observed_events_and_never_exceeds_them() -> None:
    # 260 admissions at a DSR of 1,000 per 100,000 in 40,000 people (an older population than
    # the standard: crude 650). Against the best quintile's 350: events avoided =
    # 260 × (1 − 350/1000) = 169, not (1000 − 350) × 40,000 / 100,000 = 260 (all of them).
    rows = [
        *_tree(),
        row("emergency_admissions_dsr", lsoa(1), 260, 40_000, 1000.0, (880.0, 1130.0)),
    ]
    got = _run(frame(rows)).iloc[0]
    assert got["benchmark_value"] == pytest.approx(350.0)
    assert got["headroom"] == pytest.approx(260 * (1 - 350 / 1000))
    exposure = 260 * 100_000 / 1000  # 26,000 standardised person-years
    assert got["headroom_uppercl"] <= 260
    se = math.sqrt(2 * (0.5 * 100 / (2 * Z)) ** 2)
    upper_gap = 650 + math.sqrt((1130 - 1000) ** 2 + (Z * se) ** 2)
    assert got["headroom_uppercl"] == pytest.approx(upper_gap * exposure / 100_000)


def test_equal_headroom_ranks_the_surer_gap_first_and_top_cuts() -> None:
    rows = [
        *_tree(),
        row("flu_vaccination_65_plus", lsoa(1), 30, 60, 50.0, (30.0, 70.0)),
        row("flu_vaccination_65_plus", lsoa(2), 30, 60, 50.0, (45.0, 55.0)),
        row("flu_vaccination_65_plus", lsoa(3), 10, 100, 10.0, (8.0, 12.0)),
    ]
    got = _run(frame(rows))
    assert got["area_code"].tolist() == ["E01000003", "E01000002", "E01000001"]
    assert _run(frame(rows), top=2)["area_code"].tolist() == ["E01000003", "E01000002"]


def test_benchmark_climbs_to_the_nearest_ancestor_with_imd_rows() -> None:
    rows = [r for r in _tree() if r["indicator_id"] != "nhs_health_check_uptake"]
    rows += [row("nhs_health_check_uptake", ENGLAND, x, 100, category=("imd_decile", str(d)))
             for d, x in enumerate([10] * 8 + [60, 70], start=1)]  # fmt: skip
    rows += [row("nhs_health_check_uptake", lsoa(1), 40, 80, 50.0, (45.0, 55.0))]
    got = _run(frame(rows)).set_index("indicator_id").loc["nhs_health_check_uptake"]
    assert got["benchmark_value"] == pytest.approx(65.0)
    assert got["benchmark_source"] == "best IMD quintile (5) of England"


def test_rows_without_any_benchmark_are_left_out() -> None:
    rows = [r for r in _tree() if r["category_type"] == "all"]
    rows += [row("nhs_health_check_uptake", lsoa(1), 40, 80)]
    with_target = [row("flu_vaccination_65_plus", lsoa(1), 40, 80)]
    got = _run(frame(rows + with_target))
    assert got["indicator_id"].tolist() == ["flu_vaccination_65_plus"]


def test_latest_period_by_default_or_the_one_asked_for() -> None:
    rows = [
        *_tree(),
        row("flu_vaccination_65_plus", lsoa(1), 30, 60, period="2024/25"),
        row("flu_vaccination_65_plus", lsoa(1), 40, 60, period="2025/26"),
    ]
    got = _run(frame(rows), indicators=["flu_vaccination_65_plus"])
    assert got["period"].tolist() == ["2025/26"]
    older = _run(frame(rows), indicators=["flu_vaccination_65_plus"], period="2024/25")
    assert older["numerator"].tolist() == [30.0]


def test_groups_are_ranked_but_area_deprivation_rows_are_not_at_lsoa_level() -> None:
    rows = [
        *_tree(),
        row("flu_vaccination_65_plus", lsoa(1), 30, 60),
        row("flu_vaccination_65_plus", lsoa(1), 5, 20, category=("ethnicity5", "Black")),
        row("flu_vaccination_65_plus", lsoa(1), 30, 60, category=("imd_decile", "1")),
    ]
    got = _run(frame(rows))
    assert sorted(got["category_type"]) == ["all", "ethnicity5"]
    only = _run(frame(rows), category_types=["ethnicity5"])
    assert only["category"].tolist() == ["Black"]


def test_wider_levels_can_be_ranked() -> None:
    got = _run(frame(_tree()), level="lad24", core20=no_core20(["E08000030"]))
    assert got[["area_code", "category_type"]].values.tolist() == [["E08000030", "all"]]
    assert got["headroom"].iloc[0] == pytest.approx((75 - 50) * 2 / 100)


def test_stabilised_values_shrink_towards_the_parent_areas_pool() -> None:
    other_lad = ("lad24", "E08000031", "Wolverhampton", "E92000001")
    other_msoa = ("msoa21", "E02000009", "Wolverhampton 001", "E08000031")
    rows = _tree() + [
        row("flu_vaccination_65_plus", area, 1, 2) for area in (other_lad, other_msoa)
    ]
    rows += [
        row("flu_vaccination_65_plus", lsoa(k), x, n)
        for k, x, n in zip((1, 2, 3), X, N, strict=True)
    ]
    rows += [
        row("flu_vaccination_65_plus", ("lsoa21", f"E0100009{k}", f"W 001{k}", "E02000009"), 9, 10)
        for k in range(3)
    ]  # fmt: skip
    got = prioritise(frame(rows), core20=no_core20([]), min_areas=3).set_index("area_code")
    # Walsall's three LSOAs are pooled alone (Wolverhampton's are a separate pool): the prior
    # is Beta(mu M, (1 - mu) M) with mu = 18/40 and M worked out in test_smoothing.
    for k, (x, n) in enumerate(zip(X, N, strict=True), start=1):
        smoothed = (x + MU * PRIOR_M) / (n + PRIOR_M) * 100
        got_k = got.loc[f"E0100000{k}"]
        assert got_k["smoothed_value"] == pytest.approx(smoothed)
        assert got_k["value"] == pytest.approx(x / n * 100)
        assert got_k["headroom"] == pytest.approx(max(0.0, 75 - smoothed) * n / 100)
    # Wolverhampton: three areas at 90%, no excess variation: everyone at the pool mean.
    assert got.loc["E01000090", "smoothed_value"] == pytest.approx(90.0)


def test_rows_in_unsmoothed_pools_keep_their_observed_limits() -> None:
    rows = [*_tree(), row("flu_vaccination_65_plus", lsoa(1), 30, 60, 50.0, (40.0, 60.0))]
    got = prioritise(frame(rows), core20=no_core20([])).iloc[0]
    assert (got["smoothed_value"], got["smoothed_lowercl"], got["smoothed_uppercl"]) == (
        50.0, 40.0, 60.0,
    )  # fmt: skip


def test_explicit_pool_level_and_missing_ancestor() -> None:
    rows = _tree() + [row("flu_vaccination_65_plus", lsoa(k), x, n) for k, x, n in
                      zip((1, 2, 3), X, N, strict=True)]  # fmt: skip
    by_msoa = prioritise(frame(rows), core20=no_core20([]), min_areas=3, within="msoa21")
    first = by_msoa.set_index("area_code").loc["E01000001", "smoothed_value"]
    assert first == pytest.approx((1 + MU * PRIOR_M) / (10 + PRIOR_M) * 100)
    with pytest.raises(ArgumentError, match="3 rows have no 'icb24' ancestor in the results"):
        prioritise(frame(rows), core20=no_core20([]), within="icb24")


def test_flags_and_explanation_sentence() -> None:
    rows = [
        *_tree(),
        row("flu_vaccination_65_plus", lsoa(1), 424, 604, 70.2, (66.4, 73.7)),
        row("flu_vaccination_65_plus", lsoa(1), 35.1, 60.4, 58.1, (52.0, 63.9),
            category=("ethnicity5", "Black")),
    ]  # fmt: skip
    core20 = pd.DataFrame({"area_code": ["E01000001"], "core20": [True]})
    got = _run(frame(rows), core20=core20).set_index("category")
    black = got.loc["Black"]
    assert bool(black["core20"]) is True
    assert bool(black["plus_group"]) is True  # 63.9 < 70.2
    assert black["core20plus5"] == (
        "Chronic respiratory disease: COVID-19 and flu vaccination (adults)"
    )
    # (75 - 58.1) * 60.4 / 100 = 10.2; limits (75 - 63.9) * 0.604 = 6.7, (75 - 52) * 0.604 = 13.9
    assert black["explanation"] == (
        "Flu vaccination coverage, people aged 65 and over in Walsall 001A (Black ethnic group), "
        "2025/26: 58.1% (95% CI 52.0–63.9) vs the 75.0% target; about 10 (95% CI 7–14) more "
        "people would be reached if it matched; Core20; PLUS group; Core20PLUS5: Chronic "
        "respiratory disease: COVID-19 and flu vaccination (adults)."
    )
    assert bool(got.loc["All", "plus_group"]) is False


def test_explanation_for_events_avoided_and_a_gap_that_could_be_chance() -> None:
    # Headroom: the 5 observed events × (1 − 350/400) = 0.625, "about 1".
    rows = [*_tree(), row("emergency_admissions_dsr", lsoa(1), 5, 1000, 400.0, (300.0, 520.0))]
    got = _run(frame(rows)).iloc[0]
    assert got["explanation"].startswith(
        "Emergency hospital admissions, all ages (directly standardised rate per 100,000) in "
        "Walsall 001A, 2025/26: 400.0 per 100,000 (95% CI 300.0–520.0) vs 350.0 per 100,000 "
        "in the best IMD quintile (5) of Walsall; about 1 (95% CI 0–2) fewer events would "
        "occur if it matched, though the gap could be chance."
    )


def test_accepts_a_results_version(tmp_path: Path) -> None:
    published = store(tmp_path, [*_tree(), row("flu_vaccination_65_plus", lsoa(1), 30, 60)])
    got = prioritise(published, core20=no_core20([]))
    assert got["area_code"].tolist() == ["E01000001"]


def test_core20_unknown_areas_are_missing_not_false() -> None:
    got = _run(frame([*_tree(), row("flu_vaccination_65_plus", lsoa(1), 30, 60)]),
               core20=no_core20([]))  # fmt: skip
    assert got["core20"].isna().all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"level": "ward24"}, "the results have no 'ward24' rows; area types present: england"),
        ({"indicators": ["mmr2_by_age_5"]}, r"no lsoa21 results for indicator\(s\) mmr2_by_age_5"),
        ({"period": "1999/00"}, "no results for period '1999/00'; have: 2025/26"),
        ({"top": 0}, "top must be a positive whole number, got 0"),
    ],
)
def test_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ArgumentError, match=match):
        _run(frame([*_tree(), row("flu_vaccination_65_plus", lsoa(1), 30, 60)]), **kwargs)


def test_indicators_missing_from_the_catalogue_and_missing_columns() -> None:
    results = frame([*_tree(), row("flu_vaccination_65_plus", lsoa(1), 30, 60)])
    with pytest.raises(ArgumentError, match="are not in the catalogue"):
        _run(results, catalogue={})
    with pytest.raises(ArgumentError, match="column 'parent_code' is not in the data"):
        _run(results.drop(columns="parent_code"))


def test_a_multiplier_that_differs_from_the_catalogue_is_rejected() -> None:
    results = frame([*_tree(), row("flu_vaccination_65_plus", lsoa(1), 30, 60)])
    results.loc[results["area_type"] == "lsoa21", "multiplier"] = 1.0
    with pytest.raises(InputDataError, match="multiplier differs from the catalogue's"):
        _run(results)


def test_many_areas_rank_deterministically_by_stabilised_headroom() -> None:
    rng = np.random.default_rng(7)
    areas = [("lsoa21", f"E01{k:06d}", f"Area {k}", "E02000001") for k in range(2000)]
    n = rng.integers(1, 200, size=len(areas))
    x = rng.binomial(n, 0.6)
    rows = _tree() + [row("flu_vaccination_65_plus", a, xi, ni) for a, xi, ni in
                      zip(areas, x, n, strict=True)]  # fmt: skip
    first = prioritise(frame(rows), core20=no_core20([]))
    second = prioritise(frame(rows), core20=no_core20([]))
    pd.testing.assert_frame_equal(first, second)
    assert first["headroom"].is_monotonic_decreasing
    assert first["rank"].tolist() == list(range(1, len(first) + 1))
    assert first["smoothed_value"].between(first[["value"]].min().iloc[0], 100).all()


def test_no_rows_to_rank_gives_an_empty_frame_with_the_columns() -> None:
    results = frame([*_tree(), row("flu_vaccination_65_plus", lsoa(1), 30, 60)])
    got = _run(results, category_types=["sex"])
    assert got.empty
    assert list(got.columns) == COLUMNS
