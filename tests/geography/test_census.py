"""Census 2021 population (6 age bands) and Census 2011 ethnicity on the fixture mirror."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, DataSourceError
from healthgap.geography import ethnicity2011, population2021
from healthgap.geography.census import AGE_BANDS
from healthgap.geography.ethnicity import GROUP_COLUMNS


def test_population_wide_has_six_bands_and_a_total(config: DataConfig) -> None:
    table = population2021(config).set_index("lsoa21_code")
    assert len(table) == 10  # the Welsh LSOA is dropped
    assert table.columns.tolist() == ["age_0_15", "age_16_24", "age_25_34", "age_35_49",
                                      "age_50_64", "age_65_plus", "population"]  # fmt: skip
    assert table.loc["E01000003"].tolist() == [30] * 6 + [6 * 30]


def test_population_long_is_ordered_by_lsoa_then_age(config: DataConfig) -> None:
    table = population2021(config, long=True)
    assert table.columns.tolist() == ["lsoa21_code", "age_band", "population"]
    assert table["age_band"].head(6).tolist() == list(AGE_BANDS.values())
    assert table["population"].sum() == 60 * sum(range(1, 11))


def test_an_unexpected_age_group_is_an_error(mirror: Path, config: DataConfig) -> None:
    path = mirror / "population" / "census2021_usual_residents_age6_lsoa21_ew.csv.gz"
    text = gzip.decompress(path.read_bytes()).decode().replace("Aged 16 to 24", "Aged 16 to 25")
    path.write_bytes(gzip.compress(text.encode()))
    with pytest.raises(DataSourceError, match=r"unexpected age groups \['Aged 16 to 25 years'\]"):
        population2021(config)


def test_ethnicity_on_lsoa11_derives_gypsy_irish_traveller(config: DataConfig) -> None:
    table = ethnicity2011(config, geography="lsoa11").set_index("lsoa11_code")
    assert len(table) == 10  # Welsh row dropped
    # Each fixture LSOA: persons 100, each of the 14 groups 5 -> remainder 100 - 14 x 5 = 30.
    assert table.loc["E01000090", "gypsy_irish_traveller"] == 100 - 14 * 5
    assert table.columns.tolist() == [*GROUP_COLUMNS, "persons"]


def test_ethnicity_on_lsoa21_is_apportioned(config: DataConfig) -> None:
    table = ethnicity2011(config).set_index("lsoa21_code")
    # 2011 E01000090 (100 persons) splits 240 : 300 into E01000004 and E01000005;
    # 2011 E01000091 and E01000092 (100 each) merge into E01000006.
    assert table.loc["E01000004", "persons"] == pytest.approx(100 * 240 / 540)
    assert table.loc["E01000005", "indian"] == pytest.approx(5 * 300 / 540)
    assert table.loc["E01000006", "persons"] == 200
    assert table["persons"].sum() == pytest.approx(10 * 100)


def test_ethnicity_rejects_groups_above_persons(mirror: Path, config: DataConfig) -> None:
    path = mirror / "population" / "census2011_ethnicity_lsoa11_ew.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(",100,", ",60,", 1)  # persons 60 < 70 in the 14 groups
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataSourceError, match="the 14 groups exceed persons in 1 LSOAs: E01000001"):
        ethnicity2011(config)


def test_ethnicity_rejects_an_unknown_geography(config: DataConfig) -> None:
    with pytest.raises(ArgumentError, match="geography must be 'lsoa11' or 'lsoa21'"):
        ethnicity2011(config, geography="msoa21")
