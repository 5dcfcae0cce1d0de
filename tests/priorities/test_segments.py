"""Core20 flags from IMD 2025, PLUS groups, Core20PLUS5 clinical areas, cold spots."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from healthgap.errors import ArgumentError
from healthgap.geography import DataConfig
from healthgap.indicators import load_catalogue
from healthgap.priorities import CLINICAL_AREAS, cold_spots, core20_flags
from healthgap.priorities.segments import clinical_area, plus_group_flags
from tests.geography.mirror_fixture import write_mirror


@pytest.fixture
def config(tmp_path: Path) -> DataConfig:
    """The geography tests' ten-LSOA mirror: LSOA E0100000k has IMD rank k of 10."""
    return DataConfig(mirror=write_mirror(tmp_path / "mirror"), var=tmp_path / "var", verify=False)


def test_lsoa_core20_comes_from_the_national_imd_rank(config: DataConfig) -> None:
    flags = core20_flags("lsoa21", config).set_index("area_code")["core20"]
    # N = 10 LSOAs, so Core20 = ranks 1 and 2 (5 x rank <= 10).
    assert flags[flags].index.tolist() == ["E01000001", "E01000002"]
    assert len(flags) == 10


def test_wider_areas_are_core20_when_half_their_residents_are(config: DataConfig) -> None:
    flags = core20_flags("msoa21", config).set_index("area_code")["core20"]
    # Alpha 001 = LSOAs 1 and 2 (both Core20); Alpha 002 = LSOA 3 (not).
    assert bool(flags["E02000001"]) is True
    assert bool(flags["E02000002"]) is False
    lad = core20_flags("lad24", config).set_index("area_code")["core20"]
    # Alpha LAD: LSOAs 1-3, all of 60k people each: 2 of 3 in Core20 -> 2/3 >= 1/2.
    assert bool(lad["E08000001"]) is True


def _plus_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "category_type": ["ethnicity5", "ethnicity5", "ethnicity5", "ethnicity5", "ethnicity19",
                          "sex", "ethnicity5", "ethnicity5"],
        "category": ["Black", "Asian", "White", "Not stated or not known", "Pakistani",
                     "Male", "Black", "Mixed"],
        "polarity": ["higher_is_better"] * 6 + ["lower_is_better", "no_judgement"],
        "value": [50.0, 65.0, 40.0, 30.0, 55.0, 40.0, 900.0, 1.0],
        "lowercl": [40.0, 55.0, 35.0, 20.0, 45.0, 35.0, 850.0, 0.0],
        "uppercl": [60.0, 75.0, 45.0, 40.0, 69.0, 45.0, 950.0, 2.0],
        "overall_value": [70.0, 70.0, 70.0, 70.0, 70.0, 70.0, 800.0, 50.0],
    })  # fmt: skip


def test_default_plus_rule_is_a_minority_ethnic_group_significantly_worse() -> None:
    flags = plus_group_flags(_plus_frame())
    # Black: 60 < 70 (worse); Asian: CI reaches 75 (not significant); White and not known are
    # not minority groups; Pakistani: 69 < 70; sex is not an ethnic group; lower-is-better
    # Black: 850 > 800; no_judgement: never.
    assert flags.tolist() == [True, False, False, False, True, False, True, False]


def test_a_local_plus_list_replaces_the_rule() -> None:
    flags = plus_group_flags(_plus_frame(), [("ethnicity5", "Asian"), ("sex", "Male")])
    assert flags.tolist() == [False, True, False, False, False, True, False, False]


def test_every_catalogue_indicator_has_a_clinical_area_entry() -> None:
    assert set(CLINICAL_AREAS) == set(load_catalogue())
    got = clinical_area(pd.Series(["smi_physical_health_checks", "mmr2_by_age_5", "new_one"]),
                        CLINICAL_AREAS)  # fmt: skip
    assert got.tolist() == ["Severe mental illness: annual health checks (adults)", None, None]


def _priorities() -> pd.DataFrame:
    return pd.DataFrame({
        "rank": [1, 2, 3, 4, 5],
        "indicator_id": ["flu", "mmr", "flu", "bowel", "flu"],
        "area_type": "lsoa21",
        "area_code": ["E01000003", "E01000001", "E01000002", "E01000003", "E01000004"],
        "area_name": ["C", "A", "B", "C", "D"],
        "parent_code": "E02000001",
        "core20": [True, False, False, True, False],
        "explanation": ["c1", "a1", "b1", "c2", "d1"],
    })  # fmt: skip


def test_cold_spots_are_priority_areas_without_partners_in_priority_order() -> None:
    coverage = pd.DataFrame({"area_code": ["E01000001", "E01000009"]})
    got = cold_spots(_priorities(), coverage)
    assert got["area_code"].tolist() == ["E01000003", "E01000002", "E01000004"]
    first = got.iloc[0]
    assert (first["best_rank"], first["priority_rows"]) == (1, 2)
    assert (first["top_indicator_id"], first["top_explanation"]) == ("flu", "c1")
    assert bool(first["core20"]) is True
    assert list(got.columns) == [
        "area_type", "area_code", "area_name", "parent_code", "core20", "best_rank",
        "priority_rows", "top_indicator_id", "top_explanation",
    ]  # fmt: skip


def test_cold_spots_count_areas_with_zero_partners_as_uncovered() -> None:
    coverage = pd.DataFrame({"area_code": ["E01000001", "E01000003"], "partners": [2, 0]})
    got = cold_spots(_priorities(), coverage)
    assert got["area_code"].tolist() == ["E01000003", "E01000002", "E01000004"]


def test_cold_spots_need_area_codes() -> None:
    with pytest.raises(ArgumentError, match="partner_coverage has no column"):
        cold_spots(_priorities(), pd.DataFrame({"code": ["E01000001"]}))
    with pytest.raises(ArgumentError, match="priorities has no column"):
        cold_spots(pd.DataFrame({"area_code": []}), pd.DataFrame({"area_code": []}))
