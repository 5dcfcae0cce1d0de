"""`tidy.with_areas`: names and the parent holding most of an area's LSOAs (ties: the smaller
code), written out by hand on a five-LSOA table."""

from __future__ import annotations

import pandas as pd

from healthgap.indicators.tidy import with_areas


def _areas() -> pd.DataFrame:
    # MSOA M1 has 3 LSOAs: 2 in LAD L2, 1 in L1 -> parent L2 (majority).
    # MSOA M2 has 2 LSOAs: 1 in L1, 1 in L2 -> a tie -> the smaller code, L1.
    rows = [
        ("A1", "M1", "L2"), ("A2", "M1", "L2"), ("A3", "M1", "L1"),
        ("A4", "M2", "L1"), ("A5", "M2", "L2"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["lsoa21", "msoa21", "lad24"])
    return frame.assign(
        lsoa21_name=frame["lsoa21"] + " name", msoa21_name=frame["msoa21"] + " name",
        lad24_name=frame["lad24"] + " name", icb24="I1", icb24_name="ICB",
        region24="R1", region24_name="Region",
    )  # fmt: skip


def test_parent_is_the_majority_then_the_smaller_code_and_names_follow() -> None:
    results = pd.DataFrame({"area_code": ["A3", "M1", "M2", "L1", "I1", "E92000001"]})
    got = with_areas(results, _areas()).set_index("area_code")
    assert got.loc["A3", "parent_code"] == "M1"
    assert got.loc["M1", "parent_code"] == "L2"
    assert got.loc["M2", "parent_code"] == "L1"
    assert got.loc["L1", "parent_code"] == "I1"
    assert got.loc["I1", "parent_code"] == "R1"
    assert pd.isna(got.loc["E92000001", "parent_code"])
    assert got.loc["M1", "area_name"] == "M1 name"
    assert got.loc["E92000001", "area_name"] == "England"
