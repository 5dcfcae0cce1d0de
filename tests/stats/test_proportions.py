"""phe_proportion parity: PHEindicatormethods' published workbook values (reference_data/phe)."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import proportion
from tests.stats.reference_cases import assert_frame_matches, cases

CASES = cases("proportion")


def test_rows_two_levels_match_phe_workbook() -> None:
    case = CASES["rows_m1_c95c998"]
    got = proportion(case.input(), "Numerator", "Denominator", confidence=(0.95, 0.998))
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_rows_percentage_two_levels_match_phe_workbook() -> None:
    case = CASES["rows_m100_c95c998"]
    got = proportion(
        case.input(), "Numerator", "Denominator", confidence=(95, 99.8), multiplier=100
    )
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


@pytest.mark.parametrize(("name", "level"), [("rows_m1_c95", 0.95), ("rows_m1_c998", 0.998)])
def test_rows_single_level_match_phe_workbook(name: str, level: float) -> None:
    case = CASES[name]
    got = proportion(case.input(), "Numerator", "Denominator", confidence=level)
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_grouped_sums_then_computes_and_propagates_na() -> None:
    case = CASES["grouped_area_c95"]
    got = proportion(case.input(), "Numerator", "Denominator", group_by="Area")
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_wilson_hand_calculation_8_of_100() -> None:
    # z = 1.959964; (2·8 + z² ∓ z·√(z² + 4·8·(1 − 8/100))) / (2·(100 + z²))
    z = 1.959963984540054
    root = z * (z**2 + 4 * 8 * (1 - 8 / 100)) ** 0.5
    lower = (16 + z**2 - root) / (2 * (100 + z**2))
    upper = (16 + z**2 + root) / (2 * (100 + z**2))
    got = proportion(pd.DataFrame({"x": [8], "n": [100]}), "x", "n")
    assert got.loc[0, "value"] == pytest.approx(0.08)
    assert got.loc[0, "lowercl"] == pytest.approx(lower, rel=1e-12)
    assert got.loc[0, "uppercl"] == pytest.approx(upper, rel=1e-12)
    assert (got.loc[0, "statistic"], got.loc[0, "method"]) == ("proportion of 1", "Wilson")


def test_polars_in_polars_out() -> None:
    got = proportion(
        pl.DataFrame({"g": ["a", "a"], "x": [1, 7], "n": [50, 50]}), "x", "n", group_by=["g"]
    )
    assert isinstance(got, pl.DataFrame)
    assert got["value"].to_list() == [pytest.approx(0.08)]


def test_zero_denominator_is_na_with_reason() -> None:
    got = proportion(pd.DataFrame({"x": [0, 3], "n": [0, 10]}), "x", "n")
    assert pd.isna(got.loc[0, "value"]) and got.loc[0, "reason"] == "denominator is zero"
    assert got.loc[1, "reason"] is None


def test_no_confidence_gives_value_only() -> None:
    got = proportion(pd.DataFrame({"x": [3], "n": [10]}), "x", "n", confidence=None)
    assert "lowercl" not in got.columns and "method" not in got.columns


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        ([5, -1], [10, 10], "numerators must be greater than or equal to zero.*row 1"),
        ([5, 1], [10, -3], "denominators must be greater.*row 1"),
        ([11, 1], [10, 3], "less than or equal to denominator.*row 0"),
    ],
)
def test_bad_rows_are_named(x: list[int], n: list[int], message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        proportion(pd.DataFrame({"x": x, "n": n}), "x", "n")


def test_non_numeric_values_are_named() -> None:
    with pytest.raises(InputDataError, match=r"must be numeric.*row 1: '1o'"):
        proportion(pd.DataFrame({"x": ["3", "1o"], "n": [10, 10]}), "x", "n")


@pytest.mark.parametrize("confidence", [0.5, 101, (0.95, 0.99), (0.9, 0.95, 0.998)])
def test_bad_confidence(confidence: object) -> None:
    with pytest.raises(ArgumentError, match="confidence"):
        proportion(pd.DataFrame({"x": [3], "n": [10]}), "x", "n", confidence=confidence)


def test_unknown_column_suggests_the_close_match() -> None:
    with pytest.raises(ArgumentError, match="did you mean 'numerator'"):
        proportion(pd.DataFrame({"numerator": [3], "n": [10]}), "numeratr", "n")


counts = st.integers(min_value=1, max_value=10**7).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(counts)
def test_interval_contains_estimate_and_widens_with_confidence(xn: tuple[int, int]) -> None:
    x, n = xn
    got = proportion(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", confidence=(0.95, 0.998))
    row = got.iloc[0]
    eps = 1e-12  # x = n gives an upper limit of exactly 1 analytically, 1 + 1 ulp in floating point
    assert row.lower99_8cl <= row.lower95_0cl + eps
    assert row.lower95_0cl <= row.value + eps and row.value <= row.upper95_0cl + eps
    assert row.upper95_0cl <= row.upper99_8cl + eps
    assert row.lower99_8cl >= -eps and row.upper99_8cl <= 1 + eps


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=2, max_value=50))
def test_interval_narrows_as_counts_grow(n: int, k: int) -> None:
    frame = pd.DataFrame({"x": [n // 2, (n // 2) * k], "n": [n, n * k]})
    got = proportion(frame, "x", "n")
    width = got["uppercl"] - got["lowercl"]
    assert width[1] < width[0]
