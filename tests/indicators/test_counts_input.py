"""Aggregate inputs (counts by area and group) give the same tidy results as person-level runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from healthgap.errors import InputDataError
from healthgap.indicators.counts_input import load_counts, read_counts
from tests.indicators.test_run_pipeline import AREAS

FLU = "flu_vaccination_65_plus"


def test_lsoa_counts_give_wilson_values_and_roll_up_to_whole_areas() -> None:
    counts = pd.DataFrame(
        {
            "indicator_id": ["flu_vaccination_65_plus"] * 4,
            "period": ["2024/25"] * 4,
            "area_code": list(AREAS["lsoa21"]),
            "numerator": [70, 80, 90, 60],
            "denominator": [100, 100, 100, 100],
        }
    )
    results = load_counts(counts, AREAS)
    lsoa = results.set_index("area_code").loc["E01000001"]
    z = 1.959963984540054  # Wilson 95% for 70 of 100, as a percentage
    root = z * (z**2 + 4 * 70 * (1 - 70 / 100)) ** 0.5
    assert lsoa["value"] == pytest.approx(70.0)
    assert lsoa["lowercl"] == pytest.approx((140 + z**2 - root) / (2 * (100 + z**2)) * 100)
    icb = results[results["area_type"] == "icb24"].iloc[0]
    assert (icb["numerator"], icb["denominator"]) == (70 + 80 + 90 + 60, 400)
    msoa = results[results["area_code"] == "E02000001"].iloc[0]  # LSOAs 1 and 2
    assert msoa["value"] == pytest.approx((70 + 80) / 200 * 100)
    assert msoa["parent_code"] == "E08000001"


def test_fingertips_column_names_are_read(tmp_path: Path) -> None:
    file = tmp_path / "fingertips.csv"
    file.write_text(
        "Indicator ID,Time period,Area Code,Area Type,Category Type,Category,Count,Denominator\n"
        "flu_vaccination_65_plus,2024/25,E08000001,lad24,sex,Female,45,60\n"
    )
    results = load_counts(read_counts(file), AREAS)
    row = results.iloc[0]
    assert (row["category_type"], row["category"], row["value"]) == ("sex", "Female", 75.0)


def test_a_bad_file_names_every_problem_and_computes_nothing() -> None:
    counts = pd.DataFrame(
        {
            "indicator_id": [FLU, "no_such_indicator", FLU],
            "period": ["2024/25"] * 3,
            "area_code": ["E01000001", "E01000002", "X99"],
            "numerator": [5, 5, -1],
            "denominator": [10, "ten", 10],
        }
    )
    with pytest.raises(InputDataError) as error:
        load_counts(counts, AREAS)
    text = str(error.value)
    assert "row 1: 'no_such_indicator'" in text and "row 1: denominator 'ten'" in text
    assert "row 2: 'X99' is not a known area code" in text and "row 2: numerator -1" in text


def test_missing_columns_are_named(tmp_path: Path) -> None:
    file = tmp_path / "counts.csv"
    file.write_text("indicator_id,area_code,numerator\nx,E01000001,1\n")
    with pytest.raises(InputDataError, match=r"missing column.*period.*denominator"):
        read_counts(file)
