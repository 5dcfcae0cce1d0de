"""phe_mean parity: PHEindicatormethods' published workbook values (reference_data/phe)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import mean
from tests.stats.reference_cases import assert_frame_matches, cases

CASES = cases("mean")


@pytest.mark.parametrize(
    ("name", "confidence"),
    [
        ("grouped_area_c95c998", (0.95, 0.998)),
        ("grouped_area_c95", 0.95),
        ("grouped_area_c998", 99.8),
    ],
)
def test_grouped_match_phe_workbook(name: str, confidence: object) -> None:
    case = CASES[name]
    got = mean(case.input(), "values", group_by="area", confidence=confidence)
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


@pytest.mark.parametrize(
    ("name", "confidence"), [("ungrouped_c95c998", (0.95, 0.998)), ("ungrouped_c95", 95)]
)
def test_ungrouped_is_one_row_over_the_whole_frame(name: str, confidence: object) -> None:
    case = CASES[name]
    got = mean(case.input(), "values", confidence=confidence)
    assert list(got.columns[:4]) == ["value_sum", "value_count", "stdev", "value"]
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_hand_calculation_one_to_four() -> None:
    # x̄ = 10/4 = 2.5; Σ(x − x̄)² = 2.25 + 0.25 + 0.25 + 2.25 = 5; s = √(5/3);
    # t(0.975, 3) = 3.18244630528 and t(0.999, 3) = 10.2145318524 (Student's t tables)
    s = math.sqrt(5 / 3)
    got = mean(pd.DataFrame({"v": [1, 2, 3, 4]}), "v", confidence=(0.95, 0.998)).iloc[0]
    assert (got.value_sum, got.value_count, got.value) == (10, 4, 2.5)
    assert got.stdev == pytest.approx(s, rel=1e-12)
    assert got.lower95_0cl == pytest.approx(2.5 - 3.18244630528 * s / 2, rel=1e-10)
    assert got.upper95_0cl == pytest.approx(2.5 + 3.18244630528 * s / 2, rel=1e-10)
    assert got.lower99_8cl == pytest.approx(2.5 - 10.2145318524 * s / 2, rel=1e-9)
    assert got.upper99_8cl == pytest.approx(2.5 + 10.2145318524 * s / 2, rel=1e-9)
    assert (got.confidence, got.statistic, got.method) == (
        "95%, 99.8%",
        "mean",
        "Student's t-distribution",
    )


def test_missing_value_counts_as_a_row_and_makes_the_group_na() -> None:
    frame = pd.DataFrame({"g": ["a", "a", "a", "b", "b"], "v": [1.0, np.nan, 3.0, 2.0, 4.0]})
    got = mean(frame, "v", group_by="g").set_index("g")
    assert got.loc["a", "value_count"] == 3
    assert got.loc["a", ["value_sum", "stdev", "value", "lowercl", "uppercl"]].isna().all()
    assert got.loc["a", "reason"] == "value missing"
    # b: (2 + 4) / 2 = 3; s = √((1 + 1) / 1) = √2
    assert got.loc["b", "value"] == 3.0 and got.loc["b", "stdev"] == pytest.approx(math.sqrt(2))
    assert got.loc["b", "reason"] is None


def test_one_row_group_has_a_value_but_no_interval() -> None:
    frame = pd.DataFrame({"g": ["a", "b", "b"], "v": [7.0, 2.0, 4.0]})
    got = mean(frame, "v", group_by="g").set_index("g")
    assert got.loc["a", "value"] == 7.0 and got.loc["a", "value_count"] == 1
    assert got.loc["a", ["stdev", "lowercl", "uppercl"]].isna().all()
    assert got.loc["a", "reason"].startswith("fewer than two values")
    assert not got.loc["b", ["stdev", "lowercl", "uppercl"]].isna().any()


def test_grouped_by_two_columns_keeps_group_columns_first() -> None:
    frame = pd.DataFrame({"s": ["F", "F", "M", "M"], "y": [1, 1, 1, 1], "v": [1, 3, 10, 20]})
    got = mean(frame, "v", group_by=["s", "y"])
    assert list(got.columns[:3]) == ["s", "y", "value_sum"]
    # F: (1 + 3) / 2 = 2; M: (10 + 20) / 2 = 15
    assert got["value"].tolist() == [2.0, 15.0]


def test_polars_in_polars_out() -> None:
    got = mean(pl.DataFrame({"g": ["a", "a", "b", "b"], "v": [1, 3, 5, 9]}), "v", group_by="g")
    assert isinstance(got, pl.DataFrame)
    # a: (1 + 3) / 2 = 2; b: (5 + 9) / 2 = 7
    assert got["value"].to_list() == [2.0, 7.0]


def test_non_numeric_values_are_named() -> None:
    with pytest.raises(InputDataError, match=r"must be numeric.*row 2: '4,5'") as info:
        mean(pd.DataFrame({"v": ["1", "2", "4,5", "x"]}), "v")
    assert info.value.offenders == ["row 2: '4,5'", "row 3: 'x'"]


@pytest.mark.parametrize(
    ("confidence", "message"),
    [
        (0.8, "between 90 and 100 or between 0.9 and 1"),
        ((0.95, 0.99), "only be produced if they are specified as 0.95 and 0.998"),
        ((0.9, 0.95, 0.998), "a maximum of two confidence levels"),
    ],
)
def test_bad_confidence(confidence: object, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        mean(pd.DataFrame({"v": [1, 2, 3]}), "v", confidence=confidence)


def test_unknown_column_suggests_the_close_match() -> None:
    with pytest.raises(ArgumentError, match="did you mean 'values'"):
        mean(pd.DataFrame({"values": [1, 2]}), "value")


samples = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=40
)


@given(samples)
def test_interval_contains_mean_and_widens_with_confidence(values: list[float]) -> None:
    got = mean(pd.DataFrame({"v": values}), "v", confidence=(0.95, 0.998)).iloc[0]
    tol = 1e-9 * (1 + abs(got.value))
    assert got.lower99_8cl <= got.lower95_0cl + tol
    assert got.lower95_0cl <= got.value + tol and got.value <= got.upper95_0cl + tol
    assert got.upper95_0cl <= got.upper99_8cl + tol


@given(samples.filter(lambda v: max(v) - min(v) > 1e-3))
def test_interval_narrows_when_the_sample_is_repeated(values: list[float]) -> None:
    doubled = mean(pd.DataFrame({"v": values * 2}), "v").iloc[0]
    single = mean(pd.DataFrame({"v": values}), "v").iloc[0]
    assert doubled.value == pytest.approx(single.value, rel=1e-9, abs=1e-6)
    assert doubled.uppercl - doubled.lowercl < single.uppercl - single.lowercl
