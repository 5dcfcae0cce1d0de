"""Checks on the real open-data mirror (skipped, with the reason, when it is absent).

Expected numbers come from the publishers' own files and releases, never from healthgap:
row counts read here with the csv module, MHCLG's ICB and LAD summaries (IoD2025 Files 10 and
13), ONS's 2011 lookups and published Census totals.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap.config import DataConfig
from healthgap.geography import (
    SOURCES,
    area_table,
    boundaries,
    ethnicity2011,
    hierarchy,
    imd2019,
    imd2025,
    lsoa11_lsoa21,
    lsoas_in,
    population2021,
)
from healthgap.geography._cache import TABLE_SOURCES, is_cached
from healthgap.geography._fetch_base import HOSTS, Context
from healthgap.geography.cli import app
from healthgap.geography.official import RECIPES, write_output
from healthgap.geography.sources import sha256_file
from healthgap.geography.status import source_status

pytestmark = pytest.mark.shared_data


def _rows(config: DataConfig, source: str) -> list[dict[str, str]]:
    assert config.mirror is not None
    path = config.mirror / SOURCES[source].path
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_every_registered_file_is_present_with_its_checksum_and_row_count(
    real_config: DataConfig,
) -> None:
    for item in source_status(real_config):
        if not item.source.in_mirror:  # fetched only from its publisher
            assert item.located is None and item.checksum == "official only", item.source.name
            continue
        assert item.located is not None and item.located.origin == "mirror", item.source.name
        assert item.checksum == "ok", item.source.name
        assert item.rows == item.source.rows, item.source.name  # counts from PROVENANCE.md


def _header(config: DataConfig, source: str) -> list[str]:
    assert config.mirror is not None
    path = config.mirror / SOURCES[source].path
    if path.suffix == ".geojson":
        with path.open(encoding="utf-8") as handle:
            return list(json.load(handle)["features"][0]["properties"])
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


@pytest.mark.slow
def test_every_official_fetcher_writes_the_mirror_files_columns(real_config: DataConfig) -> None:
    for name, recipe in RECIPES.items():
        if SOURCES[name].in_mirror and not recipe.verbatim:
            assert list(recipe.columns) == _header(real_config, name), name


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["lsoa11_msoa11_lad17", "boundaries_lsoa21_west_midlands", "boundaries_lsoa11_west_midlands"],
)
def test_derived_official_files_reproduce_the_mirror_byte_for_byte(
    real_config: DataConfig, name: str, tmp_path: Path
) -> None:
    # Made from the mirror's copies of their parents, they must hash to the registered sha256.
    assert real_config.mirror is not None
    mirror = real_config.mirror
    source = SOURCES[name]
    context = Context(source, HOSTS, dependency=lambda parent: mirror / SOURCES[parent].path)
    write_output(RECIPES[name].build(context), tmp_path / "out", source)
    assert sha256_file(tmp_path / "out") == source.sha256


def test_black_country_icb_has_the_lookups_lsoas(real_config: DataConfig) -> None:
    # The ONS LSOA21 -> SICBL24 -> ICB24 lookup has 723 rows for E54000062 (Black Country).
    lookup = _rows(real_config, "lsoa21_sicbl24_icb24")
    expected = sorted(r["lsoa21_code"] for r in lookup if r["icb24_code"] == "E54000062")
    assert len(expected) == 723
    assert lsoas_in(icb="E54000062", config=real_config) == expected
    assert lsoas_in(icb="QUA", config=real_config) == expected  # ODS code
    walsall = lsoas_in(lad="E08000030", config=real_config)
    assert set(walsall) <= set(expected)  # Walsall is in the Black Country ICB


def test_england_has_33755_lsoas_with_imd_2025_and_core20_is_a_fifth(
    real_config: DataConfig,
) -> None:
    table = area_table("lsoa21", real_config)
    assert len(table) == 33_755 and table["lsoa21_code"].is_unique
    assert table[["imd_rank", "imd_decile", "msoa21_code", "lad24_code", "icb24_code",
                  "region24_code", "population"]].notna().all().all()  # fmt: skip
    assert table["core20"].sum() == 6_751  # 0.2 x 33,755 = 6,751
    assert (table["core20"] == (table["imd_decile"] <= 2)).all()


def test_imd2019_core20_matches_deciles_1_and_2(real_config: DataConfig) -> None:
    table = imd2019(real_config)
    assert len(table) == 32_844
    assert table["core20"].sum() == 6_568  # floor(0.2 x 32,844)
    assert (table["core20"] == (table["imd_decile"] <= 2)).all()
    file1 = {r["LSOA code (2011)"]: int(r["Index of Multiple Deprivation (IMD) Rank"])
             for r in _rows(real_config, "imd2019_imd")}  # fmt: skip
    assert dict(zip(table["lsoa11_code"], table["imd_rank"], strict=True)) == file1


def test_share_in_most_deprived_decile_matches_mhclg_icb_and_lad_summaries(
    real_config: DataConfig,
) -> None:
    # MHCLG's Files 13 (ICB) and 10 (LAD) give the proportion of each area's LSOAs in the most
    # deprived 10% nationally, to 4 d.p.; our hierarchy and IMD join must reproduce it.
    lsoas = area_table("lsoa21", real_config).assign(d1=lambda t: t["imd_decile"] == 1)
    column = "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"
    for source, key, ours in (("imd2025_icb24", "icb24_code", "icb24_code"),
                              ("imd2025_lad24", "ltla24_code", "lad24_code")):  # fmt: skip
        published = pd.Series({r[key]: float(r[column]) for r in _rows(real_config, source)})
        shares = lsoas.groupby(ours)["d1"].mean()
        assert set(shares.index) == set(published.index)
        assert (shares - published.reindex(shares.index)).abs().max() < 1e-4
    assert published.size == 296


def test_hierarchy_counts_and_named_areas(real_config: DataConfig) -> None:
    table = hierarchy(real_config).set_index("lsoa21_code")
    counts = table.nunique()
    assert (counts["msoa21_code"], counts["lad24_code"], counts["sicbl24_code"]) == (6856, 296, 106)
    assert (counts["icb24_code"], counts["region24_code"]) == (42, 9)
    # Birmingham city centre is LSOA E01033620 "Birmingham 138A" (boundaries PROVENANCE.md).
    row = table.loc["E01033620"]
    names = (row.lsoa21_name, row.msoa21_name, row.lad24_code)
    assert names == ("Birmingham 138A", "Birmingham 138", "E08000025")
    assert (row.icb24_code, row.icb24_code_nhs) == ("E54000055", "QHL")


def test_msoas_found_by_name_agree_with_the_2011_lookup_chain(real_config: DataConfig) -> None:
    # For unchanged LSOAs whose 2011 MSOA maps to a single 2021 MSOA, ONS's lookups
    # (LSOA11 -> MSOA11 -> MSOA21) give an MSOA independently of names. They agree for at
    # least 99% of them; every disagreement is an LSOA that ONS renamed in 2021 (its 2021
    # name places it in another MSOA), which the name rule follows.
    links = pd.DataFrame(_rows(real_config, "lsoa11_lsoa21_lad22"))
    links = links[links["change_code"] == "U"]
    lsoa_msoa11 = pd.DataFrame(_rows(real_config, "lsoa11_msoa11_lad17"))[["LSOA11CD", "MSOA11CD"]]
    msoa = pd.DataFrame(_rows(real_config, "msoa11_msoa21_lad22"))
    single = msoa.groupby("msoa11_code")["msoa21_code"].transform("nunique") == 1
    msoa = msoa[single].drop_duplicates("msoa11_code")[["msoa11_code", "msoa21_code"]]
    chain = (
        links.merge(lsoa_msoa11, left_on="lsoa11_code", right_on="LSOA11CD")
        .merge(msoa, left_on="MSOA11CD", right_on="msoa11_code")
        .merge(hierarchy(real_config)[["lsoa21_code", "msoa21_code"]], on="lsoa21_code",
               suffixes=("_ons", "_ours"))
    )  # fmt: skip
    differ = chain["msoa21_code_ons"] != chain["msoa21_code_ours"]
    assert len(chain) > 30_000 and differ.mean() < 0.01
    assert (chain.loc[differ, "lsoa11_name"] != chain.loc[differ, "lsoa21_name"]).all()


def test_populations_match_published_census_totals(real_config: DataConfig) -> None:
    # ONS Census 2021: England 56,489,800 usual residents (rounded to 100); small-area cells
    # are perturbed, so the LSOA sum is within 1,000 of it.
    assert abs(population2021(real_config)["population"].sum() - 56_489_800) < 1_000
    # ONS Census 2011: England 53,012,456 usual residents, kept when moved to LSOA 2021.
    assert ethnicity2011(real_config, geography="lsoa11")["persons"].sum() == 53_012_456
    assert ethnicity2011(real_config)["persons"].sum() == pytest.approx(53_012_456, abs=0.01)


def test_lsoa11_to_lsoa21_links_cover_both_geographies(real_config: DataConfig) -> None:
    links = lsoa11_lsoa21(real_config)
    assert links["lsoa11_code"].nunique() == 32_844
    assert links["lsoa21_code"].nunique() == 33_755
    assert links.groupby("lsoa11_code")["weight"].sum().to_numpy() == pytest.approx(1.0)


def test_imd2025_subdomains_and_domains_are_complete(real_config: DataConfig) -> None:
    table = imd2025(real_config, subdomains=True)
    assert len(table) == 33_755
    assert table[["imd_score", "health_rank", "indoors_score"]].notna().all().all()
    assert table["imd_rank"].sort_values().tolist() == list(range(1, 33_756))


@pytest.mark.slow
def test_black_country_boundaries_are_simplified(real_config: DataConfig) -> None:
    collection = boundaries("lsoa21", icb="E54000062", config=real_config)
    codes = {feature["properties"]["code"] for feature in collection["features"]}
    assert codes == set(lsoas_in(icb="E54000062", config=real_config))
    assert real_config.mirror is not None
    source = json.loads((real_config.mirror / SOURCES["boundaries_lsoa21"].path).read_text())
    original = [
        f["geometry"] for f in source["features"] if f["properties"]["lsoa21_code"] in codes
    ]
    thinned = [f["geometry"] for f in collection["features"]]
    assert _points(thinned) < _points(original)  # BSC is already generalised: a modest cut
    assert all(len(ring) >= 4 for geometry in thinned for poly in geometry["coordinates"]
               for ring in poly)  # fmt: skip


def _points(geometries: list[dict[str, Any]]) -> int:
    return sum(len(ring) for g in geometries for poly in g["coordinates"] for ring in poly)


@pytest.mark.slow
def test_cli_fetch_checks_every_source_and_builds_every_cache(
    real_config: DataConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHGAP_DATA_DIR", str(real_config.mirror))
    monkeypatch.setenv("HEALTHGAP_VAR_DIR", str(real_config.var))
    monkeypatch.delenv("HEALTHGAP_DATA_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    result = CliRunner().invoke(app, ["fetch"])
    assert result.exit_code == 0, result.output
    assert "MISMATCH" not in result.output and "missing" not in result.output
    assert all(is_cached(table, real_config) for table in TABLE_SOURCES)
