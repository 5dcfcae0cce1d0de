"""phe_rate parity: PHEindicatormethods' published workbook values (reference_data/phe)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import rate
from tests.stats.reference_cases import assert_frame_matches, cases

CASES = cases("rate")


@pytest.mark.parametrize(
    ("name", "confidence", "multiplier"),
    [
        ("rows_m1e5_c95c998", (0.95, 0.998), 100_000),
        ("rows_m1e5_c95", 0.95, 100_000),
        ("rows_m1e5_c998", 99.8, 100_000),
        ("rows_m100_c95c998", (0.95, 0.998), 100),
        ("na_and_x_gt_n_c95", 0.95, 100_000),
    ],
)
def test_rows_match_phe_workbook(name: str, confidence: object, multiplier: float) -> None:
    case = CASES[name]
    got = rate(
        case.input(), "Numerator", "Denominator", confidence=confidence, multiplier=multiplier
    )
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_grouped_sums_then_computes_and_propagates_na() -> None:
    case = CASES["grouped_area_c95"]
    got = rate(case.input(), "Numerator", "Denominator", group_by="Area")
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)
    reason = got.set_index("Area")["reason"]
    assert reason["Area10"] == "numerator or denominator missing" and reason["Area1"] is None


def test_byars_hand_calculation_20_per_100() -> None:
    # z = 1.959964; Byar: 20·(1 − 1/180 − z/(3√20))³ and 21·(1 − 1/189 + z/(3√21))³, /100 · 1000
    z = 1.959963984540054
    lower = 20 * (1 - 1 / 180 - z / (3 * math.sqrt(20))) ** 3 / 100 * 1000
    upper = 21 * (1 - 1 / 189 + z / (3 * math.sqrt(21))) ** 3 / 100 * 1000
    got = rate(pd.DataFrame({"x": [20], "n": [100]}), "x", "n", multiplier=1000)
    assert got.loc[0, "value"] == pytest.approx(200.0)
    assert got.loc[0, "lowercl"] == pytest.approx(lower, rel=1e-12)
    assert got.loc[0, "uppercl"] == pytest.approx(upper, rel=1e-12)
    assert (got.loc[0, "statistic"], got.loc[0, "method"]) == ("rate per 1000", "Byars")


def test_zero_events_use_exact_limits_from_zero() -> None:
    # χ²_{0.975}(2)/2 = −ln(0.025): upper = −ln(0.025) / 500 · 100000
    got = rate(pd.DataFrame({"x": [0], "n": [500]}), "x", "n")
    assert got.loc[0, "value"] == 0.0 and got.loc[0, "lowercl"] == 0.0
    assert got.loc[0, "uppercl"] == pytest.approx(-math.log(0.025) / 500 * 100_000, rel=1e-12)
    assert got.loc[0, "method"] == "Exact"


def test_zero_denominator_is_na_with_reason() -> None:
    got = rate(pd.DataFrame({"x": [3, 30], "n": [0, 1000]}), "x", "n")
    assert got.loc[0, ["value", "lowercl", "uppercl"]].isna().all()
    assert got.loc[0, "reason"] == "denominator is zero"
    assert got.loc[0, "method"] == "Exact" and got.loc[1, "reason"] is None


def test_statistic_never_uses_scientific_notation() -> None:
    frame = pd.DataFrame({"x": [3], "n": [10]})
    assert rate(frame, "x", "n", multiplier=1e6).loc[0, "statistic"] == "rate per 1000000"
    assert rate(frame, "x", "n", multiplier=0.5).loc[0, "statistic"] == "rate per 0.5"


def test_grouped_by_two_columns_keeps_group_columns_first() -> None:
    frame = pd.DataFrame(
        {
            "sex": ["F", "F", "M", "M"],
            "year": [1, 1, 1, 2],
            "x": [4, 8, 2, 5],
            "n": [60, 40, 10, 20],
        }
    )
    got = rate(frame, "x", "n", group_by=["sex", "year"], multiplier=100)
    assert list(got.columns[:4]) == ["sex", "year", "x", "n"]
    # F/1: (4 + 8) / (60 + 40) · 100 = 12; M/1: 2 / 10 · 100 = 20; M/2: 5 / 20 · 100 = 25
    assert got["value"].tolist() == pytest.approx([12.0, 20.0, 25.0])
    assert got["method"].tolist() == ["Byars", "Exact", "Exact"]


def test_polars_in_polars_out() -> None:
    got = rate(pl.DataFrame({"g": ["a", "a"], "x": [1, 7], "n": [50, 50]}), "x", "n", group_by="g")
    assert isinstance(got, pl.DataFrame)
    # (1 + 7) / (50 + 50) · 100000 = 8000
    assert got["value"].to_list() == [pytest.approx(8000.0)]
    assert got["method"].to_list() == ["Exact"]


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        ([5, -1], [10, 10], "numerators must be greater than or equal to zero.*row 1"),
        ([5, 1, 2], [10, -3, -1], "denominators must be greater.*row 1.*row 2"),
    ],
)
def test_negative_counts_are_named(x: list[int], n: list[int], message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        rate(pd.DataFrame({"x": x, "n": n}), "x", "n")


def test_negative_counts_are_named_by_row_when_grouped() -> None:
    frame = pd.DataFrame({"g": ["a", "a", "b"], "x": [1, 2, -4], "n": [10, 10, 10]})
    with pytest.raises(InputDataError, match=r"numerators must be.*row 2") as info:
        rate(frame, "x", "n", group_by="g")
    assert info.value.offenders == ["row 2"]


def test_non_numeric_values_are_named() -> None:
    with pytest.raises(InputDataError, match=r"must be numeric.*row 0: 'ten'"):
        rate(pd.DataFrame({"x": ["ten", "1"], "n": [10, 10]}), "x", "n")


@pytest.mark.parametrize(
    ("confidence", "message"),
    [
        (0.5, "between 90 and 100 or between 0.9 and 1"),
        (100.5, "between 90 and 100 or between 0.9 and 1"),
        ((0.95, 0.99), "only be produced if they are specified as 0.95 and 0.998"),
        ((0.9, 0.95, 0.998), "a maximum of two confidence levels"),
    ],
)
def test_bad_confidence(confidence: object, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        rate(pd.DataFrame({"x": [3], "n": [10]}), "x", "n", confidence=confidence)


def test_unknown_column_suggests_the_close_match() -> None:
    with pytest.raises(ArgumentError, match="did you mean 'Denominator'"):
        rate(pd.DataFrame({"x": [3], "Denominator": [10]}), "x", "Denominatr")


counts = st.tuples(st.integers(min_value=0, max_value=10**7), st.integers(1, 10**9))


@given(counts)
def test_interval_contains_rate_and_widens_with_confidence(xn: tuple[int, int]) -> None:
    x, n = xn
    got = rate(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", confidence=(0.95, 0.998)).iloc[0]
    tol = 1e-9 * got.value
    assert got.lower99_8cl <= got.lower95_0cl <= got.value + tol
    assert got.value <= got.upper95_0cl + tol and got.upper95_0cl <= got.upper99_8cl


@given(st.integers(min_value=1, max_value=10**5), st.integers(min_value=2, max_value=50))
def test_relative_width_narrows_as_counts_grow(x: int, k: int) -> None:
    got = rate(pd.DataFrame({"x": [x, x * k], "n": [1000, 1000 * k]}), "x", "n")
    relative = ((got["uppercl"] - got["lowercl"]) / got["value"]).to_numpy()
    assert relative[1] < relative[0]


@given(st.sampled_from([0.95, 0.998]), st.integers(min_value=1, max_value=10**6))
def test_limits_rise_across_the_exact_to_byars_switch(confidence: float, n: int) -> None:
    got = rate(pd.DataFrame({"x": [9, 10], "n": [n, n]}), "x", "n", confidence=confidence)
    assert got["method"].tolist() == ["Exact", "Byars"]
    assert got.loc[0, "lowercl"] <= got.loc[1, "lowercl"]
    assert got.loc[0, "uppercl"] <= got.loc[1, "uppercl"]
    assert np.all(np.diff(got["value"].to_numpy()) > 0)
