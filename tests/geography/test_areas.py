"""The area hierarchy, LSOA 2011 -> 2021 mapping, area tables and the Parquet cache, on the
fixture mirror (mirror_fixture.py; its docstring tabulates the expected hierarchy)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, DataSourceError, InputDataError
from healthgap.geography import area_table, hierarchy, lsoa11_lsoa21, lsoas_in, to_lsoa21
from healthgap.geography._cache import is_cached
from tests.geography.mirror_fixture import LSOAS


def test_hierarchy_gives_every_lsoa_its_parents(config: DataConfig) -> None:
    table = hierarchy(config).set_index("lsoa21_code")
    assert list(table.index) == LSOAS  # England only: the Welsh ward-lookup row is not added
    row = table.loc["E01000005"]
    assert (row.lsoa21_name, row.msoa21_code, row.msoa21_name) == ("Beta 001B", "E02000003",
                                                                   "Beta 001")  # fmt: skip
    assert (row.lad24_code, row.lad24_name, row.ward24_code) == ("E08000002", "Beta", "E05000005")
    assert (row.sicbl24_code, row.sicbl24_code_nhs) == ("E38000002", "02B")
    assert (row.icb24_code, row.icb24_code_nhs, row.icb24_name) == ("E54000001", "QAA", "ICB One")
    assert (row.region24_code, row.region24_name) == ("E12000005", "West Midlands")
    assert table.loc["E01000010", "urban_rural"] == "Rural"
    assert table["msoa21_code"].tolist() == [
        "E02000001", "E02000001", "E02000002", "E02000003", "E02000003",
        "E02000004", "E02000004", "E02000005", "E02000005", "E02000005",
    ]  # fmt: skip


def test_an_lsoa_whose_msoa_name_is_unknown_is_an_error(mirror: Path, config: DataConfig) -> None:
    lookup = mirror / "lookups" / "lsoa21_sicbl24_icb24_england.csv"
    frame = pd.read_csv(lookup)
    frame.loc[0, "lsoa21_name"] = "Nowhere 001A"
    frame.to_csv(lookup, index=False)
    with pytest.raises(DataSourceError, match=r"1 LSOAs .* no MSOA 2021 \(by name\).*E01000001"):
        hierarchy(config)


def test_a_missing_column_names_the_file(mirror: Path, config: DataConfig) -> None:
    lookup = mirror / "lookups" / "lad24_region24_england.csv"
    pd.read_csv(lookup).drop(columns="region24_code").to_csv(lookup, index=False)
    with pytest.raises(DataSourceError, match=r"Could not read .*lad24_region24_england\.csv"):
        hierarchy(config)


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ({"icb": "E54000001"}, LSOAS[:5]),
        ({"icb": "QBB"}, LSOAS[5:]),  # NHS ODS code
        ({"sicbl": "02B"}, ["E01000004", "E01000005"]),
        ({"lad": "E08000001"}, LSOAS[:3]),
        ({"msoa": "E02000005"}, LSOAS[7:]),
        ({"ward": "E05000002"}, ["E01000002"]),
        ({"region": "E12000005"}, LSOAS[:5]),
    ],
)
def test_lsoas_in_an_area(area: dict[str, str], expected: list[str], config: DataConfig) -> None:
    assert lsoas_in(**area, config=config) == expected


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ({}, "Give exactly one area, e.g. icb='E54000062'; got none"),
        ({"icb": "E54000001", "lad": "E08000001"}, "got lad='E08000001', icb='E54000001'"),
        ({"icb": "E5400001"}, "'E5400001' is not an ICB code: expected E54 followed by 6 digits"),
        ({"icb": "E54000099"}, r"There is no ICB \(2024\) 'E54000099' in the 2024 lookups"),
        ({"icb": "QZZ"}, r"There is no ICB \(2024\) 'QZZ'"),
        ({"lad": "E01000001"}, "it looks like an LSOA code"),
    ],
)
def test_lsoas_in_rejects_bad_areas(area: dict[str, str], message: str, config: DataConfig) -> None:
    with pytest.raises(ArgumentError, match=message):
        lsoas_in(**area, config=config)


def test_area_table_for_lsoas_adds_imd_core20_and_population(config: DataConfig) -> None:
    table = area_table("lsoa21", config).set_index("lsoa21_code")
    assert table.loc["E01000002", ["imd_rank", "imd_decile", "imd_quintile"]].tolist() == [2, 2, 1]
    assert table.loc["E01000002", "imd_score"] == 50 - 4 * 2
    assert table["core20"].tolist() == [True, True] + [False] * 8
    assert table.loc["E01000003", "population"] == 6 * 30


def test_area_table_for_icbs_sums_population_and_core20(config: DataConfig) -> None:
    icbs = area_table("icb", config).set_index("icb24_code")
    # ICB One holds E01000001-5 (populations 60k, k = 1..5); Core20 = E01000001-2 (ranks 1-2).
    one = icbs.loc["E54000001"]
    assert (one.icb24_code_nhs, one.lsoas) == ("QAA", 5)
    assert one.population == 60 * (1 + 2 + 3 + 4 + 5)
    assert (one.core20_lsoas, one.core20_population) == (2, 60 * (1 + 2))
    assert one.core20_share == pytest.approx((60 + 120) / 900)
    assert icbs.loc["E54000002", "core20_share"] == 0


def test_area_table_gives_msoas_their_main_parents(config: DataConfig) -> None:
    msoas = area_table("msoa21", config).set_index("msoa21_code")
    assert msoas.loc["E02000005", ["lsoas", "lad24_code", "region24_code"]].tolist() == [
        3, "E06000001", "E12000004",
    ]  # fmt: skip
    assert msoas.loc["E02000005", "population"] == 60 * (8 + 9 + 10)


def test_area_table_rejects_an_unknown_level(config: DataConfig) -> None:
    with pytest.raises(ArgumentError, match="Unknown area level 'county'"):
        area_table("county", config)


def test_lsoa11_to_lsoa21_weights_follow_2021_population(config: DataConfig) -> None:
    links = lsoa11_lsoa21(config).set_index(["lsoa11_code", "lsoa21_code"])
    assert len(links) == 11  # the Welsh link is dropped
    # Split: 2011 E01000090 -> E01000004 (population 240) and E01000005 (300).
    assert links.loc[("E01000090", "E01000004"), "weight"] == pytest.approx(240 / (240 + 300))
    assert links.loc[("E01000090", "E01000005"), "weight"] == pytest.approx(300 / (240 + 300))
    # Merge: both 2011 LSOAs go wholly into E01000006.
    assert links.loc[("E01000091", "E01000006"), "weight"] == 1
    assert links.loc[("E01000092", "E01000006"), ["change_code", "weight"]].tolist() == ["M", 1]
    assert links.groupby(level=0)["weight"].sum().tolist() == pytest.approx([1.0] * 10)


def test_a_split_with_no_2021_population_is_shared_equally(
    mirror: Path, config: DataConfig
) -> None:
    path = mirror / "population" / "census2021_usual_residents_age6_lsoa21_ew.csv.gz"
    people = pd.read_csv(path)
    people.loc[people["lsoa21_code"].isin(["E01000004", "E01000005"]), "usual_residents"] = 0
    people.to_csv(path, index=False, compression="gzip")
    links = lsoa11_lsoa21(config)
    assert links.loc[links["lsoa11_code"] == "E01000090", "weight"].tolist() == [0.5, 0.5]


def test_to_lsoa21_moves_counts_and_keeps_the_total(config: DataConfig) -> None:
    counts = pd.DataFrame({"code": ["E01000090", "E01000091", "E01000092"], "n": [90, 10, 5]})
    moved = to_lsoa21(counts, ["n"], lsoa11="code", config=config).set_index("lsoa21_code")
    assert moved["n"].to_dict() == pytest.approx(
        {"E01000004": 90 * 240 / 540, "E01000005": 90 * 300 / 540, "E01000006": 10 + 5}
    )
    assert moved["n"].sum() == pytest.approx(90 + 10 + 5)


def test_to_lsoa21_names_unknown_2011_codes(config: DataConfig) -> None:
    counts = pd.DataFrame({"lsoa11_code": ["E01000001", "E01999999"], "n": [1, 2]})
    with pytest.raises(InputDataError, match=r"not in the ONS 2011 -> 2021 lookup.*E01999999"):
        to_lsoa21(counts, ["n"], config=config)


def test_to_lsoa21_names_missing_columns(config: DataConfig) -> None:
    with pytest.raises(ArgumentError, match=r"to_lsoa21: column\(s\) \['n'\] are not in the data"):
        to_lsoa21(pd.DataFrame({"lsoa11_code": ["E01000001"]}), ["n"], config=config)


def test_cache_state_is_read_without_downloading(tmp_path: Path) -> None:
    config = DataConfig(mirror=None, var=tmp_path / "var", base_url="https://example.invalid")
    assert not is_cached("hierarchy", config)  # no copy, and no attempt to fetch one


def test_tables_are_cached_as_parquet_and_rebuilt_when_a_source_changes(
    mirror: Path, config: DataConfig
) -> None:
    first = hierarchy(config)
    cached = sorted(config.table_cache.glob("hierarchy-*.parquet"))
    assert len(cached) == 1
    lookup = mirror / "lookups" / "lad24_region24_england.csv"
    frame = pd.read_csv(lookup)
    frame["region24_name"] = frame["region24_name"].str.upper()
    frame.to_csv(lookup, index=False)
    os.utime(lookup, ns=(1, 1))  # a different mtime even on coarse-clock filesystems
    second = hierarchy(config)
    assert sorted(config.table_cache.glob("hierarchy-*.parquet")) != cached  # old one replaced
    assert len(list(config.table_cache.glob("hierarchy-*.parquet"))) == 1
    assert first["region24_name"].iloc[0] == "West Midlands"
    assert second["region24_name"].iloc[0] == "WEST MIDLANDS"


def test_a_fresh_process_reads_the_parquet_cache(config: DataConfig) -> None:
    built = hierarchy(config)
    from healthgap.geography import _cache

    _cache._MEMORY.clear()  # as if in a new process: only the Parquet file remains
    pd.testing.assert_frame_equal(hierarchy(config), built)


def test_changing_a_returned_table_does_not_change_the_cache(config: DataConfig) -> None:
    table = hierarchy(config)
    table.loc[0, "icb24_code"] = "changed"
    assert hierarchy(config).loc[0, "icb24_code"] == "E54000001"


def test_checksums_are_verified_when_a_table_is_built(mirror: Path, tmp_path: Path) -> None:
    config = DataConfig(mirror=mirror, var=tmp_path / "var2", verify=True)
    with pytest.raises(DataSourceError, match="does not match the checksum registered"):
        hierarchy(config)


def test_nothing_is_written_to_the_mirror(mirror: Path, config: DataConfig) -> None:
    before = {p: p.stat().st_mtime_ns for p in mirror.rglob("*")}
    area_table("icb", config)
    lsoa11_lsoa21(config)
    assert {p: p.stat().st_mtime_ns for p in mirror.rglob("*")} == before
    assert config.table_cache.is_dir()
