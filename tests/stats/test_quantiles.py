"""phe_quantile parity: PHE's published quantile assignments (reference_data/phe) and hand cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats.quantiles import quantiles
from tests.stats.reference_cases import assert_frame_matches, cases

CASES = cases("quantile")
TOO_FEW = "group has fewer than 10 non-missing values, one per quantile"


def test_deciles_within_regions_with_invert_from_a_field() -> None:
    case = CASES["region_groups_field_invert_nq10"]
    frame = case.input()
    got = quantiles(frame, "Value", group_by=["IndSexRef", "ParentCode"], invert="Polarity")
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=0.0)
    pd.testing.assert_frame_equal(got[frame.columns], frame)  # input rows, order and columns kept
    assert set(got["groupvars"]) == {"IndSexRef, ParentCode"}
    na = got["quantile"].isna()
    assert set(got.loc[na, "reason"]) == {"value missing", TOO_FEW}
    assert got.loc[~na, "reason"].isna().all()
    polarity = got["Polarity"].to_numpy(dtype=bool)
    assert (got.loc[polarity, "qinverted"] == "lowest quantile represents highest values").all()
    assert (got.loc[~polarity, "qinverted"] == "lowest quantile represents lowest values").all()


def test_septiles_in_one_group() -> None:
    case = CASES["one_indicator_field_invert_nq7"]
    got = quantiles(case.input(), "Value", group_by="IndSexRef", invert="Polarity", nquantiles=7)
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=0.0)
    assert set(got["nquantiles"]) == {7}


def test_ungrouped_quartiles_highest_value_first() -> None:
    case = CASES["ungrouped_invert_true_nq4"]
    got = quantiles(case.input(), "Value", nquantiles=4)
    expected = case.expected_frame()
    assert_frame_matches(got, expected, case.keys, rtol=0.0)
    assert got["AreaCode"].tolist() == expected["AreaCode"].tolist()  # row order as input
    assert set(got["groupvars"]) == {""}


def test_min_rank_ties_by_hand() -> None:
    # N = 4, q = 2, ranks 1, 1, 3, 4: floor(3 − ceil((5 − r)/(4/2))) = 3 − ceil(2, 2, 1, 0.5)
    frame = pd.DataFrame({"v": [10.0, 10.0, 30.0, 40.0]})
    got = quantiles(frame, "v", nquantiles=2, invert=False)
    assert got["quantile"].tolist() == [3 - 2, 3 - 2, 3 - 1, 3 - 1]
    # inverted: ranks of max − v = 30, 30, 10, 0 are 3, 3, 2, 1 -> 3 − ceil(1, 1, 1.5, 2)
    got = quantiles(frame, "v", nquantiles=2)
    assert got["quantile"].tolist() == [3 - 1, 3 - 1, 3 - 2, 3 - 2]


def test_floor_zero_becomes_one() -> None:
    # N = 17, q = 7, lowest value r = 1: (17 + 1 − 1)/(17/7) is 7.000000000000001 in floating
    # point, so ceiling gives 8 and floor(8 − 8) = 0, which PHE reads as quantile 1.
    assert math.ceil(17 / (17 / 7)) == 8
    got = quantiles(pd.DataFrame({"v": np.arange(17.0)}), "v", nquantiles=7, invert=False)
    assert got["quantile"][0] == 1
    assert got["quantile"].tolist() == sorted(got["quantile"].tolist())


def test_missing_values_and_small_groups_are_na_with_reasons() -> None:
    frame = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 2, "v": [1.0, np.nan, 2.0, 5.0, 6.0]})
    got = quantiles(frame, "v", group_by="g", nquantiles=2)
    assert got["quantile"].tolist()[:3] == [2, pd.NA, 1]
    assert got["reason"].tolist()[:3] == [None, "value missing", None]
    small = quantiles(frame, "v", group_by="g", nquantiles=3)
    assert small["quantile"].isna().all()
    assert (
        small["reason"].tolist()[3:]
        == ["group has fewer than 3 non-missing values, one per quantile"] * 2
    )


def test_polars_in_polars_out() -> None:
    got = quantiles(pl.DataFrame({"v": [3.0, 1.0, 2.0]}), "v", nquantiles=3)
    assert isinstance(got, pl.DataFrame)
    assert got["quantile"].to_list() == [1, 3, 2]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"invert": "yes"}, ArgumentError, "column 'yes' is not in the data"),
        ({"invert": 1}, ArgumentError, "invert must be True, False or the name of a column"),
        ({"invert": "label"}, InputDataError, "invert column 'label' must hold True/False"),
        (
            {"invert": "flip"},
            InputDataError,
            r"same logical value for each data grouping set.*\('b',\)",
        ),
        ({"invert": "gap"}, InputDataError, r"'gap' has missing values.*\('a',\)"),
        ({"nquantiles": 0}, ArgumentError, "nquantiles must be at least 1"),
        ({"nquantiles": 2.5}, ArgumentError, "nquantiles must be a whole number"),
    ],
)
def test_bad_arguments(kwargs: dict, error: type, message: str) -> None:
    frame = pd.DataFrame(
        {
            "g": ["a", "a", "b", "b"],
            "v": [1.0, 2.0, 3.0, 4.0],
            "label": ["x", "x", "y", "y"],
            "flip": [True, True, True, False],
            "gap": pd.array([None, True, False, False], dtype="boolean"),
        }
    )
    with pytest.raises(error, match=message):
        quantiles(frame, "v", group_by="g", **{"nquantiles": 2, **kwargs})


def test_non_numeric_values_are_named() -> None:
    with pytest.raises(InputDataError, match=r"must be numeric.*row 1: 'x'"):
        quantiles(pd.DataFrame({"v": ["1", "x"]}), "v")


@given(
    st.lists(st.integers(-50, 50), min_size=1, max_size=60),
    st.integers(1, 12),
    st.booleans(),
)
def test_labels_in_range_and_monotone_in_the_value(
    values: list[int], nquantiles: int, invert: bool
) -> None:
    frame = pd.DataFrame({"v": np.array(values, dtype="float64")})
    got = quantiles(frame, "v", nquantiles=nquantiles, invert=invert)
    if len(values) < nquantiles:
        assert got["quantile"].isna().all()
        return
    quantile = got["quantile"].to_numpy(dtype="int64")
    assert ((quantile >= 1) & (quantile <= nquantiles)).all()
    by_value = quantile[np.argsort(frame["v"].to_numpy(), kind="stable")]
    steps = np.diff(by_value)
    assert (steps <= 0).all() if invert else (steps >= 0).all()
    equal = frame["v"].to_numpy()[:, None] == frame["v"].to_numpy()[None, :]
    assert (quantile[:, None] == quantile[None, :])[equal].all()  # ties share a quantile


def test_ungrouped_invert_column_must_be_constant() -> None:
    frame = pd.DataFrame({"v": [1.0, 2.0], "up": [True, False]})
    with pytest.raises(InputDataError, match=r"same logical value for each data grouping set$"):
        quantiles(frame, "v", nquantiles=2, invert="up")
