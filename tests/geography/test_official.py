"""Official fetchers against fake publishers on 127.0.0.1: paging, field mapping to the mirror's
columns, the lock file, vintage drift and failures.

Expected files are written out here (or are the fixture mirror's files, which are in the real
mirror's layout); the publishers' field names are ONS's, MHCLG's and Nomis's.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, DataSourceError
from healthgap.geography import _fetch_base, _fetch_gov, _fetch_nomis
from healthgap.geography._lock import read_lock
from healthgap.geography.official import OfficialFetcher, unsupported_reason
from healthgap.geography.sources import SOURCES, Source, sha256_file, verify_copy
from healthgap.geography.status import source_status
from tests.geography.fake_publishers import (
    FILE7_DOMAINS,
    ICB_FIELDS,
    Layer,
    Publishers,
    iod2025_file7,
    ons_rows,
)

REGIONS = [
    {"LAD24CD": "E08000001", "LAD24NM": "Alpha", "RGN24CD": "E12000005", "RGN24NM": "West Midlands",
     "ObjectId": 1},
    {"LAD24CD": "E08000002", "LAD24NM": "Beta", "RGN24CD": "E12000005", "RGN24NM": "West Midlands",
     "ObjectId": 2},
    {"LAD24CD": "E06000001", "LAD24NM": "Gamma", "RGN24CD": "E12000004", "RGN24NM": "East Midlands",
     "ObjectId": 3},
]  # fmt: skip
REGIONS_CSV = (
    "ltla24_name,ltla24_code,region24_name,region24_code\n"
    "Alpha,E08000001,West Midlands,E12000005\n"
    "Beta,E08000002,West Midlands,E12000005\n"
    "Gamma,E06000001,East Midlands,E12000004\n"
)


@pytest.fixture
def official(tmp_path: Path) -> DataConfig:
    """No mirror: official copies go to the download cache under a temporary var folder."""
    return DataConfig(mirror=None, var=tmp_path / "var")


def fetcher(config: DataConfig, publishers: Publishers) -> OfficialFetcher:
    return OfficialFetcher(config, hosts=publishers.hosts(), timeout=5)


def test_arcgis_lookup_is_read_in_pages_and_written_in_the_mirror_layout(
    publishers: Publishers, official: DataConfig, mirror: Path, registry: Callable[..., Source]
) -> None:
    source = registry("lsoa21_sicbl24_icb24", rows=10)
    rows = ons_rows(mirror / source.path, ICB_FIELDS)
    for row in rows:  # extra ONS fields the mirror drops; one field in lower case
        row.update(CAL24CD="E56000001", LAD24CD="E08000001", icb24nm=row.pop("ICB24NM"))
    publishers.layers["LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU"] = Layer(rows, max_records=4)
    result = fetcher(official, publishers).fetch(source)
    assert result.state == "locked" and result.rows == 10
    assert result.located.path.read_bytes() == (mirror / source.path).read_bytes()
    queries = [parse_qs(urlsplit(r).query) for r in publishers.asked("/ons/LSOA21_SICBL24")]
    assert queries[0]["returnCountOnly"] == ["true"]
    assert [q["resultOffset"] for q in queries[1:]] == [["0"], ["4"], ["8"]]  # 4 + 4 + 2
    assert all(q["f"] == ["json"] and q["returnGeometry"] == ["false"] for q in queries[1:])
    assert result.requests == 4


def test_boundary_layer_keeps_english_multipolygons_rounded_to_6_places(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    source = registry("boundaries_msoa21", rows=2)
    square = [[[-1.123456789, 52.0], [-1.1, 52.0], [-1.1, 52.1], [-1.123456789, 52.0]]]
    publishers.layers["Middle_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V3"] = Layer(
        [{"MSOA21CD": "E02000001", "MSOA21NM": "Alpha 001", "GlobalID": "x"},
         {"MSOA21CD": "W02000001", "MSOA21NM": "Cardiff 001", "GlobalID": "y"},
         {"MSOA21CD": "E02000002", "MSOA21NM": "Alpha 002", "GlobalID": "z"}],
        [{"type": "Polygon", "coordinates": square},
         {"type": "Polygon", "coordinates": square},
         {"type": "MultiPolygon", "coordinates": [square, square]}],
        max_records=2,
    )  # fmt: skip
    result = fetcher(official, publishers).fetch(source)
    collection = json.loads(result.located.path.read_text(encoding="utf-8"))
    assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:OGC:1.3:CRS84"
    rounded = [[[-1.123457, 52.0], [-1.1, 52.0], [-1.1, 52.1], [-1.123457, 52.0]]]
    assert collection["features"] == [
        {"type": "Feature", "properties": {"msoa21_code": "E02000001", "msoa21_name": "Alpha 001"},
         "geometry": {"type": "MultiPolygon", "coordinates": [rounded]}},
        {"type": "Feature", "properties": {"msoa21_code": "E02000002", "msoa21_name": "Alpha 002"},
         "geometry": {"type": "MultiPolygon", "coordinates": [rounded, rounded]}},
    ]  # fmt: skip
    pages = publishers.asked("/ons/Middle_layer")[1:]
    assert len(pages) == 2 and all("outSR=4326" in p and "f=geojson" in p for p in pages)


def test_iod2025_file7_is_downloaded_once_for_both_mirror_files(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    path = "/govuk/media/691ded56d140bbbaa59a2a7d/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"  # noqa: E501
    publishers.files[path] = iod2025_file7(["E01000001", "E01000002"])
    run = fetcher(official, publishers)
    imd = run.fetch(registry("imd2025_lsoa21", rows=2))
    sub = run.fetch(registry("imd2025_subdomains", rows=2))
    assert publishers.asked(path) == [path]
    stems = list(FILE7_DOMAINS)
    assert imd.located.path.read_text().splitlines() == [
        ",".join(["lsoa21_code"] + [f"{s}_{part}" for part in ("decile", "rank", "score")
                                    for s in stems]),
        "E01000001," + "1," * 8 + "1," * 8 + ",".join(["46.000"] * 8),
        "E01000002," + "2," * 8 + "2," * 8 + ",".join(["42.000"] * 8),
    ]  # fmt: skip
    with gzip.open(sub.located.path, "rt") as handle:
        header, first, _ = handle.read().splitlines()
    assert header.split(",")[:4] == ["lsoa21_code", "children_and_young_people_score",
                                     "children_and_young_people_rank",
                                     "children_and_young_people_decile"]  # fmt: skip
    assert first == "E01000001" + ",0.5,7,3" * 6


def test_iod2019_file7_gives_file6_without_thousands_separators(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    population = [
        "Total population: mid 2015 (excluding prisoners)",
        "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
        "Population aged 16-59: mid 2015 (excluding prisoners)",
        "Older population aged 60 and over: mid 2015 (excluding prisoners)",
        "Working age population 18-59/64: for use with Employment Deprivation Domain"
        " (excluding prisoners) ",
    ]  # fmt: skip  (File 7's last header has a trailing space)
    header = ["LSOA code (2011)", "LSOA name (2011)", "Local Authority District code (2019)",
              "Local Authority District name (2019)", "Index of Multiple Deprivation (IMD) Score",
              *population]  # fmt: skip
    row = ["E01000001", "City of London 001A", "E09000001", "City of London", "6.208",
           "1,296", "175", "656", "465", "715"]  # fmt: skip
    body = pd.DataFrame([row], columns=header).to_csv(index=False).encode()
    publishers.files["/govuk/government/uploads/system/uploads/attachment_data/file/845345/"
                     "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
                     ] = body  # fmt: skip
    result = fetcher(official, publishers).fetch(registry("imd2019_population", rows=1))
    lines = result.located.path.read_text().splitlines()
    assert lines[0].split(",")[-1] == population[-1].strip()
    assert lines[1] == "E01000001,City of London 001A,E09000001,City of London,1296,175,656,465,715"


def test_nomis_age_is_paged_with_record_offset_and_summed_into_six_bands(
    publishers: Publishers,
    official: DataConfig,
    registry: Callable[..., Source],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_fetch_nomis, "PAGE_ROWS", 50)
    # Nomis code n = age n - 1; age a has a + 1 residents in A, 2 in B; rows age by age.
    publishers.nomis["NM_2027_1"] = [
        {"GEOGRAPHY_CODE": code, "GEOGRAPHY_NAME": name, "C2021_AGE_102": a + 1,
         "OBS_VALUE": a + 1 if code == "E01000001" else 2}
        for a in range(101) for code, name in (("E01000001", "A 001A"), ("E01000002", "B 001A"))
    ]  # fmt: skip
    result = fetcher(official, publishers).fetch(registry("census2021_age6", rows=12))
    offsets = [parse_qs(urlsplit(r).query)["RecordOffset"] for r in publishers.asked("/nomis/")]
    assert offsets == [["0"], ["50"], ["100"], ["150"], ["200"]]  # 202 rows
    with gzip.open(result.located.path, "rt") as handle:
        lines = handle.read().splitlines()
    bands = ["Aged 15 years and under", "Aged 16 to 24 years", "Aged 25 to 34 years",
             "Aged 35 to 49 years", "Aged 50 to 64 years", "Aged 65 years and over"]  # fmt: skip
    a_sums = [16 * 17 // 2,  # 1 + ... + 16 (ages 0-15)
              9 * (17 + 25) // 2, 10 * (26 + 35) // 2, 15 * (36 + 50) // 2,
              15 * (51 + 65) // 2, 36 * (66 + 101) // 2]  # fmt: skip
    b_sums = [16 * 2, 9 * 2, 10 * 2, 15 * 2, 15 * 2, 36 * 2]
    assert sum(a_sums) == 101 * 102 // 2
    assert lines == [
        "lsoa21_code,lsoa21_name,age_group,usual_residents",
        *(f"E01000001,A 001A,{band},{n}" for band, n in zip(bands, a_sums, strict=True)),
        *(f"E01000002,B 001A,{band},{n}" for band, n in zip(bands, b_sums, strict=True)),
    ]


def test_a_truncated_nomis_answer_fails(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    publishers.nomis["NM_2027_1"] = [
        {"GEOGRAPHY_CODE": "E01000001", "GEOGRAPHY_NAME": "A", "C2021_AGE_102": a, "OBS_VALUE": 1}
        for a in range(1, 90)
    ]
    with pytest.raises(DataSourceError, match="1 areas do not have all 101 categories"):
        fetcher(official, publishers).fetch(registry("census2021_age6", rows=6))
    assert not (official.download_cache / SOURCES["census2021_age6"].path).exists()


KS201EW_CELLS = {0: "All usual residents",
                 1: "White: English/Welsh/Scottish/Northern Irish/British", 2: "White: Irish",
                 4: "White: Other White", 200: "Mixed/multiple ethnic group",
                 9: "Asian/Asian British: Indian", 10: "Asian/Asian British: Pakistani",
                 11: "Asian/Asian British: Bangladeshi", 12: "Asian/Asian British: Chinese",
                 13: "Asian/Asian British: Other Asian",
                 14: "Black/African/Caribbean/Black British: African",
                 15: "Black/African/Caribbean/Black British: Caribbean",
                 16: "Black/African/Caribbean/Black British: Other Black",
                 17: "Other ethnic group: Arab",
                 18: "Other ethnic group: Any other ethnic group"}  # fmt: skip


def test_census2011_ethnicity_from_nomis_and_the_output_area_lookup(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    # persons 1000; each group g (in cell order) has 10 x its position; Gypsy is not asked for.
    publishers.nomis["NM_608_1"] = [
        {"GEOGRAPHY_CODE": code, "CELL": cell, "CELL_NAME": name,
         "OBS_VALUE": 1000 if cell == 0 else 10 * i}
        for code in ("W01000001", "E01000001")
        for i, (cell, name) in enumerate(KS201EW_CELLS.items())
    ]  # fmt: skip
    oa = ("OA11CD,OAC11CD,OAC11NM,LSOA11CD,LSOA11NM,SOAC11CD,SOAC11NM,MSOA11CD,MSOA11NM,LAD17CD,"
          "LAD17NM,LACCD,LACNM,RGN11CD,RGN11NM,CTRY11CD,CTRY11NM,FID\n"
          "E00000001,1a,x,E01000001,City 001A,1a,x,E02000001,City 001,E09000001,City of London,"
          "1a,x,E12000007,London,E92000001,England,1\n"
          "W00000001,1a,x,W01000001,Anglesey 001A,1a,x,W02000001,Anglesey 001,W06000001,"
          "Isle of Anglesey,1a,x,W92000004,Wales,W92000004,Wales,2\n")  # fmt: skip
    publishers.files["/opendata/fe6c55f0924b4734adf1cf7104a0173e_0.csv"] = oa.encode()
    registry("oa11_lookup_oac", rows=2)
    result = fetcher(official, publishers).fetch(registry("census2011_ethnicity", rows=2))
    groups = ",".join(str(10 * i) for i in range(1, 15))
    assert result.located.path.read_text().splitlines() == [
        "lsoa11_code,persons,WhiteBrit,Irish,OtherWhite,Mixed,Indian,Pakistani,Bangladeshi,"
        "Chinese,OtherAsian,BlkAfrican,BlkCaribbean,OtherBlk,Arab,Other,msoa11_code,lad_name,"
        "region_name",
        f"W01000001,1000,{groups},W02000001,Isle of Anglesey,Wales",
        f"E01000001,1000,{groups},E02000001,City of London,London",
    ]
    cells = parse_qs(urlsplit(publishers.asked("/nomis/NM_608_1")[0]).query)["cell"]
    assert cells == ["0...2,4,200,9...18"]
    assert set(read_lock(official)) == {"census2011_ethnicity", "oa11_lookup_oac"}  # dependency


def test_renumbered_ks201ew_cells_are_refused(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    swapped = {**KS201EW_CELLS, 9: "Asian/Asian British: Pakistani"}
    publishers.nomis["NM_608_1"] = [
        {"GEOGRAPHY_CODE": "E01000001", "CELL": cell, "CELL_NAME": name, "OBS_VALUE": 1}
        for cell, name in swapped.items()
    ]
    with pytest.raises(DataSourceError, match="cell 9 is 'asian/asian british: pakistani'"):
        fetcher(official, publishers).fetch(registry("census2011_ethnicity", rows=1))


def test_census2021_ethnicity_is_long_and_area_by_area(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    groups = [f"Group {g}" for g in range(1, 20)]
    publishers.nomis["NM_2041_1"] = [
        {"GEOGRAPHY_CODE": code, "GEOGRAPHY_NAME": code[-1], "C2021_ETH_20_NAME": group,
         "OBS_VALUE": g}
        for g, group in enumerate(groups, start=1) for code in ("E01000002", "E01000001")
    ]  # fmt: skip
    result = fetcher(official, publishers).fetch(registry("census2021_ethnicity", rows=38))
    with gzip.open(result.located.path, "rt") as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "lsoa21_code,lsoa21_name,ethnic_group,usual_residents"
    assert lines[1:3] == ["E01000002,2,Group 1,1", "E01000002,2,Group 2,2"]
    assert lines[20] == "E01000001,1,Group 1,1"


def test_the_lock_records_the_download_and_a_second_run_fetches_nothing(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    source = registry("lad24_region24", rows=3)
    publishers.layers["LAD24_RGN24_EN_LU"] = Layer(REGIONS, max_records=2)
    first = fetcher(official, publishers).fetch(source)
    assert first.located.path.read_text() == REGIONS_CSV
    entry = read_lock(official)["lad24_region24"]
    assert entry.sha256 == hashlib.sha256(REGIONS_CSV.encode()).hexdigest()
    assert entry.rows == 3
    assert entry.url == (
        f"{publishers.url}/ons/LAD24_RGN24_EN_LU/FeatureServer/0/query"
        "?where=1%3D1&outFields=*&returnGeometry=false&f=json"
    )
    assert entry.columns == ("ltla24_name", "ltla24_code", "region24_name", "region24_code")
    bodies = [json.dumps({"count": 3})] + [
        json.dumps(page)
        for page in (
            {"features": [{"attributes": a} for a in REGIONS[:2]], "exceededTransferLimit": True},
            {"features": [{"attributes": REGIONS[2]}]},
        )
    ]
    assert entry.upstream_sha256 == hashlib.sha256("".join(bodies).encode()).hexdigest()
    asked = len(publishers.requests)
    again = fetcher(official, publishers).fetch(source)
    assert (again.state, len(publishers.requests)) == ("cached", asked)
    verify_copy(again.located, official)  # checked against the lock, not the registry
    status = source_status(official, ["lad24_region24"])[0]
    assert status.checksum == "ok (official, locked)"
    modified = first.located.path.stat().st_mtime_ns
    refreshed = fetcher(official, publishers).fetch(source, refresh=True)
    assert refreshed.state == "unchanged" and read_lock(official)["lad24_region24"] == entry
    assert first.located.path.stat().st_mtime_ns == modified  # the same file is not rewritten


def test_a_changed_upstream_file_is_refused_until_accepted(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    source = registry("lad24_region24", rows=3)
    publishers.layers["LAD24_RGN24_EN_LU"] = Layer(REGIONS)
    first = fetcher(official, publishers).fetch(source)
    publishers.layers["LAD24_RGN24_EN_LU"] = Layer(
        [*REGIONS[:2], {**REGIONS[2], "RGN24NM": "East Midlands (renamed)"}]
    )
    with pytest.raises(DataSourceError, match="has changed since it was locked") as error:
        fetcher(official, publishers).fetch(source, refresh=True)
    assert "Your cached copy was kept" in str(error.value) and "--accept-changes" in str(
        error.value
    )
    assert first.located.path.read_text() == REGIONS_CSV
    assert read_lock(official)["lad24_region24"].sha256 == sha256_file(first.located.path)
    accepted = fetcher(official, publishers).fetch(source, refresh=True, accept=True)
    assert accepted.state == "changed, accepted"
    assert "East Midlands (renamed)" in accepted.located.path.read_text()
    assert read_lock(official)["lad24_region24"].sha256 == sha256_file(accepted.located.path)


def test_a_first_download_with_another_row_count_is_refused(
    publishers: Publishers, official: DataConfig
) -> None:
    publishers.layers["LAD24_RGN24_EN_LU"] = Layer(REGIONS)
    with pytest.raises(
        DataSourceError, match=r"gave 3 rows for 'lad24_region24', but healthgap expects 296"
    ):
        fetcher(official, publishers).fetch(SOURCES["lad24_region24"])
    assert not official.lock_file.exists()
    assert list((official.download_cache / "lookups").iterdir()) == []  # no partial file


def test_a_missing_field_is_named(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    renamed = [{**{k: v for k, v in r.items() if k != "RGN24NM"}, "RGN25NM": "x"} for r in REGIONS]
    publishers.layers["LAD24_RGN24_EN_LU"] = Layer(renamed)
    with pytest.raises(DataSourceError, match=r"lacks the field\(s\) 'RGN24NM' \(it has 'LAD24CD'"):
        fetcher(official, publishers).fetch(registry("lad24_region24", rows=3))


def test_an_unreachable_publisher_is_one_line_naming_the_url(official: DataConfig) -> None:
    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hosts = {"ons": f"http://127.0.0.1:{port}/ons"}
    with pytest.raises(DataSourceError) as error:
        OfficialFetcher(official, hosts=hosts).fetch(SOURCES["lad24_region24"])
    message = str(error.value)
    assert message.startswith(f"Could not reach http://127.0.0.1:{port}/ons/LAD24_RGN24_EN_LU/")
    assert "open-data mirror" in message and "\n" not in message


def test_http_errors_name_the_status_and_transient_ones_are_retried(
    publishers: Publishers,
    official: DataConfig,
    registry: Callable[..., Source],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_fetch_base, "BACKOFF_S", (0.0, 0.0))
    with pytest.raises(DataSourceError, match=r"answered HTTP 404 Not Found .*\(see https://geo"):
        fetcher(official, publishers).fetch(registry("lad24_region24", rows=3))
    publishers.layers["LAD24_RGN24_EN_LU"] = Layer(REGIONS)
    publishers.fail["/ons/LAD24_RGN24_EN_LU/FeatureServer/0/query"] = [503, 429]
    assert fetcher(official, publishers).fetch(SOURCES["lad24_region24"]).state == "locked"


def test_an_arcgis_error_answer_is_reported(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    error = {"error": {"code": 400, "message": "Invalid query", "details": ["bad where"]}}
    publishers.files["/ons/LAD24_RGN24_EN_LU/FeatureServer/0/query"] = json.dumps(error).encode()
    with pytest.raises(DataSourceError, match=r"ArcGIS error 400: Invalid query \(bad where\)"):
        fetcher(official, publishers).fetch(registry("lad24_region24", rows=3))


def test_verbatim_files_must_match_the_registry_checksum(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    body = b"region,group_code,register,list,prevalence\nLondon,AF,1.5,100.0,0.015\n"
    path = (
        "/github/houseofcommonslibrary/local-health-data-from-QOF/"
        "f81b851cc6caf6dc8255c383b5cb31ba9d05ffe0/outputs/output_region_prevalence.csv"
    )
    publishers.files[path] = body
    source = registry("qof1920_region", rows=1, sha256=hashlib.sha256(body).hexdigest())
    result = fetcher(official, publishers).fetch(source)
    assert result.located.path.read_bytes() == body
    assert read_lock(official)["qof1920_region"].columns == (
        "region", "group_code", "register", "list", "prevalence",
    )  # fmt: skip
    registry("qof1920_region", sha256="0" * 64)
    with pytest.raises(DataSourceError, match="no longer matches the checksum registered"):
        fetcher(official, publishers).fetch(SOURCES["qof1920_region"], refresh=True)


def test_hosts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHGAP_OFFICIAL_HOSTS", "ons=http://127.0.0.1:1/o, nomis=http://x/n")
    hosts = _fetch_base.official_hosts({"nomis": "http://127.0.0.1:2/n"})
    assert hosts["ons"] == "http://127.0.0.1:1/o" and hosts["nomis"] == "http://127.0.0.1:2/n"
    assert hosts["govuk"] == "https://assets.publishing.service.gov.uk"
    monkeypatch.setenv("HEALTHGAP_OFFICIAL_HOSTS", "onz=http://127.0.0.1:1")
    with pytest.raises(ArgumentError, match="Unknown publisher host"):
        _fetch_base.official_hosts()
    monkeypatch.setenv("HEALTHGAP_OFFICIAL_HOSTS", "ons=ftp://127.0.0.1")
    with pytest.raises(ArgumentError, match="must be http"):
        _fetch_base.official_hosts()


def test_sources_published_only_as_xlsx_have_no_recipe(official: DataConfig) -> None:
    reason = unsupported_reason(SOURCES["imd2025_icb24"])
    assert reason is not None and reason.startswith("IoD2025 File 13")
    assert unsupported_reason(SOURCES["imd2025_lsoa21"]) is None
    with pytest.raises(DataSourceError, match="only as an xlsx workbook"):
        OfficialFetcher(official).fetch(SOURCES["imd2019_indicators"])


def test_every_recipe_writes_columns_for_a_registered_source() -> None:
    from healthgap.geography.official import RECIPES

    assert set(RECIPES) == {name for name, source in SOURCES.items() if source.fetchable}
    xlsx_only = {name for name, source in SOURCES.items() if not source.fetchable}
    assert xlsx_only == set(_fetch_gov.XLSX_ONLY)  # IoD2019 File 8, IoD2025 Files 8, 10, 13
    for name, recipe in RECIPES.items():
        assert recipe.columns or recipe.verbatim, name
        assert all(need in SOURCES for need in recipe.needs), name


def test_hub_geojson_table_derives_the_rural_urban_columns(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    codes = {"E01000001": "A1", "E01000002": "C2", "E01000003": "D1", "W01000001": "E2"}
    features = [
        {"type": "Feature", "properties": {"LSOA11CD": lsoa, "RUC11CD": code, "FID": i},
         "geometry": None}
        for i, (lsoa, code) in enumerate(codes.items())
    ]  # fmt: skip
    path = "/opendata/276d973d30134c339eaecfc3c49770b3_0.geojson"
    publishers.files[path] = json.dumps(
        {"type": "FeatureCollection", "features": features}
    ).encode()
    result = fetcher(official, publishers).fetch(registry("ruc11_lsoa11", rows=4))
    assert publishers.asked("/opendata/") == [path]  # one file, no paging
    assert result.located.path.read_text().splitlines() == [
        "lsoa11_code,ruc11_code,ruc,classification",
        "E01000001,A1,Urban,Urban conurbation",
        "E01000002,C2,Urban,Urban city and town",
        "E01000003,D1,Rural,Rural town and fringe",
        "W01000001,E2,Rural,Rural village",
    ]


def test_item_csv_lookup_takes_renamed_fields_and_drops_duplicate_rows(
    publishers: Publishers, official: DataConfig, registry: Callable[..., Source]
) -> None:
    body = (
        "\ufeffF_LSOA11CD,LSOA11NM,CHGIND,LSOA21CD,LSOA21NM,LAD22CD,LAD22NM,LAD22NMW,ObjectId\n"
        "E01000001,A 001A,U,E01000001,A 001A,E08000001,Alpha,,1\n"
        "E01000090,B 001A,S,E01000004,B 001C,E08000002,Beta,,2\n"
        "E01000090,B 001A,S,E01000004,B 001C,E08000002,Beta,,2\n"
    )
    publishers.files["/arcgis/5fc4ff82228846c2b893e3beba0e3751/data"] = body.encode()
    result = fetcher(official, publishers).fetch(registry("lsoa11_lsoa21_lad22", rows=2))
    assert result.located.path.read_text().splitlines() == [
        "lsoa11_name,lsoa11_code,change_code,lsoa21_name,lsoa21_code,ltla22_name,ltla22_code",
        "A 001A,E01000001,U,A 001A,E01000001,Alpha,E08000001",
        "B 001A,E01000090,S,B 001C,E01000004,Beta,E08000002",
    ]


def test_a_damaged_lock_file_is_reported(official: DataConfig) -> None:
    official.lock_file.parent.mkdir(parents=True)
    official.lock_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"official-sources\.lock\.json is damaged"):
        read_lock(official)
