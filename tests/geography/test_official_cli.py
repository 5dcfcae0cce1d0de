"""End to end: `healthgap data fetch --from official` against fake publishers on 127.0.0.1, with
no mirror, then the tables built from the official copies.

The publishers' files are made from the fixture mirror (mirror_fixture.py) under ONS, MHCLG and
Nomis field names, so the official copies must come out equal to the fixture's files.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from healthgap.cli import app
from healthgap.config import DataConfig
from healthgap.errors import DataSourceError
from healthgap.geography import area_table
from healthgap.geography._lock import read_lock
from healthgap.geography.sources import SOURCES, Source
from tests.geography.fake_publishers import ICB_FIELDS, Layer, Publishers, iod2025_file7, ons_rows
from tests.geography.mirror_fixture import LSOAS

NAMES = {
    "lsoa21_sicbl24_icb24": 10,
    "lsoa21_ward24_lad24": 11,
    "lad24_region24": 3,
    "ruc21_lsoa21": 11,
    "boundaries_msoa21": 5,
    "imd2025_lsoa21": 10,
    "census2021_age6": 66,
}  # fmt: skip  (source -> rows in the fixture)
WARD_FIELDS = {"lsoa21_name": "LSOA21NM", "lsoa21_code": "LSOA21CD",
               "ward24_name": "WD24NM", "ward24_code": "WD24CD",
               "ltla24_name": "LAD24NM", "ltla24_code": "LAD24CD"}  # fmt: skip
REGION_FIELDS = {"ltla24_name": "LAD24NM", "ltla24_code": "LAD24CD",
                 "region24_name": "RGN24NM", "region24_code": "RGN24CD"}  # fmt: skip
RUC_FIELDS = {"lsoa21_code": "LSOA21CD", "ruc21_code": "RUC21CD", "classification": "RUC21NM",
              "ruc": "Urban_rural_flag"}  # fmt: skip
BAND_START = {"Aged 15 years and under": 0, "Aged 16 to 24 years": 16,
              "Aged 25 to 34 years": 25, "Aged 35 to 49 years": 35,
              "Aged 50 to 64 years": 50, "Aged 65 years and over": 65}  # fmt: skip
FILE7 = "/govuk/media/691ded56d140bbbaa59a2a7d/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"  # noqa: E501


@pytest.fixture
def served(
    publishers: Publishers,
    mirror: Path,
    registry: Callable[..., Source],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Publishers:
    """The fake publishers holding the fixture's data; the environment has no mirror."""
    for name, rows in NAMES.items():
        registry(name, rows=rows)
    lookups = mirror / "lookups"
    for service, csv, fields in (
        ("LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU", "lsoa21_sicbl24_icb24_england", ICB_FIELDS),
        ("LSOA21_WD24_LAD24_EW_LU", "lsoa21_ward24_lad24_ew", WARD_FIELDS),
        ("LAD24_RGN24_EN_LU", "lad24_region24_england", REGION_FIELDS),
        ("LSOA21_RUC21_EW_LU", "ruc21_lsoa21_ew", RUC_FIELDS),
    ):
        publishers.layers[service] = Layer(ons_rows(lookups / f"{csv}.csv", fields), max_records=4)
    msoa = json.loads((mirror / SOURCES["boundaries_msoa21"].path).read_text())["features"]
    publishers.layers["Middle_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V3"] = Layer(
        [{"MSOA21CD": f["properties"]["msoa21_code"], "MSOA21NM": f["properties"]["msoa21_name"]}
         for f in msoa],
        [f["geometry"] for f in msoa],
    )  # fmt: skip
    publishers.files[FILE7] = iod2025_file7(LSOAS)
    bands = pd.read_csv(mirror / SOURCES["census2021_age6"].path, dtype={"usual_residents": int})
    # each band's residents all at its first age, the other ages 0
    counts = {
        (r.lsoa21_code, BAND_START[r.age_group]): r.usual_residents for r in bands.itertuples()
    }
    areas = dict.fromkeys(zip(bands["lsoa21_code"], bands["lsoa21_name"], strict=True))
    publishers.nomis["NM_2027_1"] = [
        {"GEOGRAPHY_CODE": code, "GEOGRAPHY_NAME": name, "C2021_AGE_102": age + 1,
         "OBS_VALUE": counts.get((code, age), 0)}
        for code, name in areas for age in range(101)
    ]  # fmt: skip
    monkeypatch.setenv("HEALTHGAP_DATA_DIR", str(tmp_path / "no-mirror"))
    monkeypatch.setenv("HEALTHGAP_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("HEALTHGAP_OFFICIAL_HOSTS", publishers.env())
    monkeypatch.delenv("HEALTHGAP_DATA_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return publishers


def fetch(*args: str) -> Result:
    return CliRunner().invoke(app, ["data", "fetch", "--from", "official", *args])


def test_fetch_from_official_writes_the_mirror_files_locks_them_and_builds_tables(
    served: Publishers, mirror: Path, tmp_path: Path
) -> None:
    result = fetch(*NAMES)
    assert result.exit_code == 0, result.output
    assert result.output.count("locked (first download)") == len(NAMES)
    assert "lad24_region24: fetched from ONS Open Geography Portal (2 requests, 3 rows)" in (
        result.output
    )
    cache = tmp_path / "var" / "cache" / "data"
    for name in ("lsoa21_sicbl24_icb24", "lsoa21_ward24_lad24", "lad24_region24", "ruc21_lsoa21"):
        path = SOURCES[name].path
        assert (cache / path).read_bytes() == (mirror / path).read_bytes(), name
    population = SOURCES["census2021_age6"].path
    with gzip.open(cache / population, "rt") as got, gzip.open(mirror / population, "rt") as want:
        assert got.read() == want.read()
    config = DataConfig.from_env()
    assert set(read_lock(config)) == set(NAMES)
    assert "ok (official, locked)" in result.output
    icbs = area_table("icb", config).set_index("icb24_code")
    # LSOA k of the fixture has 60k residents (E01000010: 600); IMD rank k, so Core20 = 1 and 2.
    assert icbs.loc["E54000001", "population"] == 60 * (1 + 2 + 3 + 4 + 5)
    assert icbs.loc["E54000002", "population"] == 60 * (6 + 7 + 8 + 9) + 600
    assert icbs.loc["E54000001", "core20_population"] == 60 * (1 + 2)


def test_a_second_run_resumes_without_fetching_and_drift_is_refused(
    served: Publishers, tmp_path: Path
) -> None:
    assert fetch(*NAMES).exit_code == 0
    asked = len(served.requests)
    again = fetch(*NAMES)
    assert again.exit_code == 0, again.output
    assert again.output.count("already fetched from") == len(NAMES)
    assert len(served.requests) == asked
    regions = served.layers["LAD24_RGN24_EN_LU"].attributes
    regions[0] = {**regions[0], "LAD24NM": "Alpha (renamed)"}
    locked = read_lock(DataConfig.from_env())["lad24_region24"]
    drift = fetch("lad24_region24", "--download")
    assert isinstance(drift.exception, DataSourceError)
    assert "The publisher's file for 'lad24_region24' has changed since it was locked" in (
        drift.output
    )
    assert read_lock(DataConfig.from_env())["lad24_region24"] == locked
    accepted = fetch("lad24_region24", "--download", "--accept-changes")
    assert accepted.exit_code == 0, accepted.output
    assert "changed upstream: accepted and re-locked" in accepted.output


def test_xlsx_only_sources_fall_back_to_the_mirror_and_say_why(
    served: Publishers, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHGAP_DATA_DIR", str(mirror))
    result = fetch("imd2025_icb24", "--no-verify")
    assert isinstance(result.exception, DataSourceError)  # the fixture mirror lacks File 13
    assert "imd2025_icb24: IoD2025 File 13 (Integrated Care Board summaries) is published only" in (
        result.output
    )
    assert "No copy of 'imd2025_icb24'" in result.output


def test_an_unreachable_publisher_is_one_problem_line(
    served: Publishers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHGAP_OFFICIAL_HOSTS", "ons=http://127.0.0.1:9/ons")  # discard port
    result = fetch("lad24_region24")
    assert isinstance(result.exception, DataSourceError)
    assert "lad24_region24: Could not reach http://127.0.0.1:9/ons/LAD24_RGN24_EN_LU/" in (
        result.output
    )
