"""Headroom and its MOVER limits, IMD quintile benchmarks, best quintile by polarity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from healthgap.priorities.headroom import (
    best_quintile,
    ceiling,
    exposure,
    headroom,
    imd_quintiles,
)
from tests.priorities.stores import LAD, frame, row

Z = 1.959963984540054


def _one(value, lower, upper, bench, b_low, b_high, n, k, polarity):
    got = headroom(*(np.array([v], dtype=float) for v in (value, lower, upper, bench, b_low,
                                                        b_high, n, k)),
                   np.array([polarity], dtype=object))  # fmt: skip
    return tuple(float(part[0]) for part in got)


def test_against_a_target_the_limits_carry_the_values_limits_through() -> None:
    h, low, high = _one(58.1, 52.0, 63.9, 75, 75, 75, 604, 100, "higher_is_better")
    assert h == pytest.approx((75 - 58.1) * 604 / 100)  # 102.08 people
    assert low == pytest.approx((75 - 63.9) * 604 / 100)
    assert high == pytest.approx((75 - 52.0) * 604 / 100)


def test_against_an_estimated_benchmark_mover_combines_both_intervals() -> None:
    h, low, high = _one(58.1, 52.0, 63.9, 80, 78, 82, 604, 100, "higher_is_better")
    assert h == pytest.approx(21.9 * 6.04)
    assert low == pytest.approx((21.9 - math.sqrt((80 - 78) ** 2 + (63.9 - 58.1) ** 2)) * 6.04)
    assert high == pytest.approx((21.9 + math.sqrt((82 - 80) ** 2 + (58.1 - 52.0) ** 2)) * 6.04)


def test_lower_is_better_counts_events_avoided() -> None:
    h, low, high = _one(900, 850, 960, 700, 680, 720, 10_000, 100_000, "lower_is_better")
    assert h == pytest.approx(200 * 10_000 / 100_000)  # 20 admissions
    assert low == pytest.approx((200 - math.sqrt(50**2 + 20**2)) * 0.1)
    assert high == pytest.approx((200 + math.sqrt(60**2 + 20**2)) * 0.1)


def test_no_shortfall_gives_zero_and_limits_are_clipped_at_zero() -> None:
    h, low, high = _one(80, 70, 90, 75, 75, 75, 100, 100, "higher_is_better")
    assert (h, low) == (0.0, 0.0)
    assert high == pytest.approx((75 - 70) * 1.0)


def test_no_judgement_and_missing_benchmark_give_nan() -> None:
    assert all(math.isnan(v) for v in _one(50, 40, 60, 75, 75, 75, 100, 100, "no_judgement"))
    nan = float("nan")
    assert all(math.isnan(v) for v in _one(50, 40, 60, nan, nan, nan, 100, 100,
                                           "higher_is_better"))  # fmt: skip


def _deciles(
    indicator: str, values: list[tuple[float, float, float, float, float]]
) -> pd.DataFrame:
    """Decile rows (x, n, value, lower, upper) for deciles 1.. of Walsall LAD."""
    return frame([
        row(indicator, LAD, x, n, v, (lo, hi), category=("imd_decile", str(d)))
        for d, (x, n, v, lo, hi) in enumerate(values, start=1)
    ])  # fmt: skip


def test_proportion_quintiles_sum_deciles_and_get_wilson_limits() -> None:
    rows = _deciles(
        "flu_vaccination_65_plus",
        [(60, 100, 60, 0, 0), (70, 100, 70, 0, 0), (80, 100, 80, 0, 0), (90, 100, 90, 0, 0)],
    )
    got = imd_quintiles(rows, {"flu_vaccination_65_plus": "proportion"})
    q2 = got[got["quintile"] == 2].iloc[0]
    x, n = 170, 200  # deciles 3 and 4
    root = Z * math.sqrt(Z**2 + 4 * x * (1 - x / n))
    assert q2["value"] == pytest.approx(85.0)
    assert q2["lowercl"] == pytest.approx((2 * x + Z**2 - root) / (2 * (n + Z**2)) * 100)
    assert q2["uppercl"] == pytest.approx((2 * x + Z**2 + root) / (2 * (n + Z**2)) * 100)
    assert sorted(got["quintile"]) == [1, 2]


def test_dsr_quintiles_are_denominator_weighted_with_combined_standard_errors() -> None:
    rows = _deciles(
        "emergency_admissions_dsr", [(10, 1000, 900, 800, 1000), (30, 3000, 700, 650, 750)]
    )
    got = imd_quintiles(rows, {"emergency_admissions_dsr": "dsr"}).iloc[0]
    mean = (1000 * 900 + 3000 * 700) / 4000  # 750
    se1, se2 = 200 / (2 * Z), 100 / (2 * Z)
    se = math.sqrt((1000 / 4000 * se1) ** 2 + (3000 / 4000 * se2) ** 2)
    assert got["value"] == pytest.approx(mean)
    assert got["lowercl"] == pytest.approx(mean - Z * se)
    assert got["uppercl"] == pytest.approx(mean + Z * se)


def test_rate_quintiles_use_poisson_limits_of_the_summed_count() -> None:
    rows = _deciles("flu_vaccination_65_plus", [(3, 1000, 0.3, 0, 1), (2, 1000, 0.2, 0, 1)])
    got = imd_quintiles(rows, {"flu_vaccination_65_plus": "rate"}).iloc[0]
    # 5 events < 10: exact limits chi2(0.025, 10)/2 = 1.6235 and chi2(0.975, 12)/2 = 11.6683
    assert got["value"] == pytest.approx(5 / 2000 * 100)
    assert got["lowercl"] == pytest.approx(1.623486 / 2000 * 100, rel=1e-5)
    assert got["uppercl"] == pytest.approx(11.668332 / 2000 * 100, rel=1e-5)


def test_published_quintile_rows_win_over_deciles() -> None:
    rows = pd.concat([
        _deciles("flu_vaccination_65_plus", [(60, 100, 60, 0, 0), (70, 100, 70, 0, 0)]),
        frame([row("flu_vaccination_65_plus", LAD, 1, 2, 50, (40, 60),
                   category=("imd_quintile", "1"))]),
    ])  # fmt: skip
    got = imd_quintiles(rows, {"flu_vaccination_65_plus": "proportion"})
    assert got[["quintile", "value", "lowercl", "uppercl"]].values.tolist() == [[1, 50, 40, 60]]


def test_best_quintile_follows_polarity() -> None:
    quintiles = pd.DataFrame({
        "indicator_id": ["up"] * 3 + ["down"] * 3 + ["none"] * 2,
        "period": "p", "area_code": "A", "area_name": "Area",
        "quintile": [1, 2, 3, 1, 2, 3, 1, 2],
        "value": [50.0, 70.0, 60.0, 500.0, 300.0, 400.0, 1.0, 2.0],
        "lowercl": 0.0, "uppercl": 0.0,
    })  # fmt: skip
    polarity = {"up": "higher_is_better", "down": "lower_is_better", "none": "no_judgement"}
    got = best_quintile(quintiles, polarity).set_index("indicator_id")
    assert got.loc["up", "quintile"] == 2
    assert got.loc["down", "quintile"] == 2
    assert got.loc["down", "value"] == 300.0
    assert "none" not in got.index


def test_best_quintile_ties_go_to_the_less_deprived_quintile() -> None:
    quintiles = pd.DataFrame({
        "indicator_id": "up", "period": "p", "area_code": "A", "area_name": "Area",
        "quintile": [4, 5], "value": [70.0, 70.0], "lowercl": 0.0, "uppercl": 0.0,
    })  # fmt: skip
    assert best_quintile(quintiles, {"up": "higher_is_better"})["quintile"].tolist() == [5]


def test_the_ceiling_caps_the_headroom_and_its_limits_at_what_was_observed() -> None:
    # 5 of 5 people reached (100%), stabilised down to 60% against a 75% target: the formula
    # would claim (75 − 60) × 5 / 100 = 0.75 more people, but nobody is left to reach.
    got = headroom(*(np.array([v], dtype=float) for v in (60, 40, 80, 75, 75, 75, 5, 100)),
                   np.array(["higher_is_better"], dtype=object),
                   ceiling(np.array([5.0]), np.array([5.0]), np.array(["proportion"], dtype=object),
                           np.array(["higher_is_better"], dtype=object)))  # fmt: skip
    assert [float(part[0]) for part in got] == [0.0, 0.0, 0.0]


def test_dsr_exposure_is_the_observed_events_over_the_standardised_rate() -> None:
    # 260 events at a DSR of 1,000 per 100,000: 260 × 100,000 / 1,000 = 26,000; a crude rate
    # and a proportion use their denominators; a DSR with no events falls back to its own.
    got = exposure(np.array(["dsr", "rate", "proportion", "dsr"], dtype=object),
                   np.array([260.0, 260, 30, 0]), np.array([40_000.0, 40_000, 60, 500]),
                   np.array([1000.0, 650, 50, 0]), np.array([1e5, 1e5, 100, 1e5]))  # fmt: skip
    assert got.tolist() == pytest.approx([26_000, 40_000, 60, 500])
    caps = ceiling(np.array([260.0, 30, 30]), np.array([40_000.0, 60, 60]),
                   np.array(["dsr", "proportion", "rate"], dtype=object),
                   np.array(["lower_is_better", "higher_is_better", "higher_is_better"],
                            dtype=object))  # fmt: skip
    assert caps.tolist() == [260, 30, np.inf]
