"""Neighbourhood figures from LSOAs: MSOA IMD score and decile, best-fit parent, Core20 share
(expected values worked by hand)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.geography.neighbourhoods import (
    best_fit_parent,
    core20_share,
    deciles,
    is_core20,
    msoa_imd,
)

LSOAS = pd.DataFrame(
    {
        "lsoa21_code": ["L1", "L2", "L3", "L4", "L5", "L6"],
        "msoa21_code": ["M1", "M1", "M2", "M2", "M2", "M3"],
        "lad24_code": ["A", "A", "B", "A", "B", "C"],
        "imd_score": [40.0, 10.0, 20.0, 30.0, 50.0, 5.0],
        "population": [1000, 3000, 1500, 1500, 1000, 0],
        "core20": [True, False, False, True, True, False],
    }
)


def test_msoa_imd_score_is_population_weighted():
    out = msoa_imd(LSOAS).set_index("msoa21_code")
    # M1: (40 x 1000 + 10 x 3000) / (1000 + 3000) = 70,000 / 4,000 = 17.5
    # M2: (20 x 1500 + 30 x 1500 + 50 x 1000) / 4000 = (30,000 + 45,000 + 50,000) / 4000 = 31.25
    # M3: 0 residents: 0 / 0 -> no score
    assert out.loc["M1", "imd_score"] == pytest.approx(17.5)
    assert out.loc["M2", "imd_score"] == pytest.approx(31.25)
    assert math.isnan(out.loc["M3", "imd_score"])
    # Two scored MSOAs: M2 (31.25) ranks 1 -> (1 - 1) * 10 // 2 + 1 = 1;
    # M1 ranks 2 -> (2 - 1) * 10 // 2 + 1 = 6. M3 has no decile.
    assert out.loc["M2", "imd_decile"] == 1
    assert out.loc["M1", "imd_decile"] == 6
    assert pd.isna(out.loc["M3", "imd_decile"])


def test_decile_cut_rule():
    # Three scores: ranks 1, 2, 3 -> 0 * 10 // 3 + 1 = 1, 10 // 3 + 1 = 4, 20 // 3 + 1 = 7.
    assert deciles(pd.Series([5.0, 9.0, 7.0])).tolist() == [7, 1, 4]
    # Twenty scores 20, 19, ..., 1: two per decile, highest first.
    assert deciles(pd.Series([float(20 - i) for i in range(20)])).tolist() == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
    ]  # fmt: skip
    # Ties are broken by position: the first of two equal scores ranks higher.
    assert deciles(pd.Series([3.0, 3.0])).tolist() == [1, 6]


@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=60))
def test_deciles_are_1_to_10_and_never_rise_with_the_score(scores):
    out = deciles(pd.Series(scores)).tolist()
    assert all(1 <= d <= 10 for d in out)
    assert min(out) == 1
    for i, a in enumerate(scores):
        for j, b in enumerate(scores):
            if a > b:
                assert out[i] <= out[j]


def test_best_fit_parent_holds_most_lsoas_and_ties_go_to_the_lower_code():
    parents = best_fit_parent(LSOAS, "msoa21_code", "lad24_code")
    # M1: A, A -> A. M2: B, A, B -> B (2 of 3). M3: C.
    assert parents.to_dict() == {"M1": "A", "M2": "B", "M3": "C"}
    tie = pd.DataFrame({"msoa21_code": ["M", "M"], "lad24_code": ["Z", "Y"]})
    assert best_fit_parent(tie, "msoa21_code", "lad24_code").to_dict() == {"M": "Y"}


def test_core20_share_of_residents():
    # Core20 LSOAs L1, L4, L5 hold 1000 + 1500 + 1000 = 3500 of 8000 residents: 0.4375.
    assert core20_share(LSOAS["population"], LSOAS["core20"]) == pytest.approx(3500 / 8000)
    m2 = LSOAS[LSOAS["msoa21_code"] == "M2"]
    # M2: L4 and L5, 1500 + 1000 = 2500 of 4000: 0.625 -> a Core20 area.
    assert core20_share(m2["population"], m2["core20"]) == pytest.approx(0.625)
    empty = LSOAS[LSOAS["msoa21_code"] == "M3"]
    assert core20_share(empty["population"], empty["core20"]) == 0.0


def test_an_area_is_core20_when_more_than_half_its_residents_are():
    assert is_core20(0.625)
    assert not is_core20(0.5)  # exactly half is not more than half
    assert not is_core20(0.4375)
    assert not is_core20(None)
