"""Fetch each registered source from its official publisher, in the open-data mirror's layout.

`healthgap data fetch --from official` (or `OfficialFetcher` in Python) reads the publishers
directly: GOV.UK (MHCLG's IoD File 7 CSVs), the ONS Open Geography Portal (ArcGIS feature
services and files), Nomis (Census 2021 and 2011 tables) and the House of Commons Library's
GitHub repository (modelled QOF prevalence). `RECIPES` says, per source, what is fetched and how
it becomes the mirror's file: the same path, columns and format, so every loader works
unchanged. Four sources are published only as xlsx workbooks and have no recipe
(`unsupported_reason`); they come from the mirror or a hosted copy of it.

Publishers give no checksums, so the first accepted download of each source is recorded in
the lock file (`healthgap.geography._lock`: the address, the sha256 of the publisher's bytes,
and the sha256, row count and columns of the file written). Every fetch checks the columns (a
missing field is an error) and the row count (the registry's for a first download), and a file
that differs from its lock entry is refused as a changed upstream file (vintage drift): the
cached copy is kept and the error says how to accept the change (`accept=True`,
`--accept-changes`). Files are written to a temporary name and renamed into place only after
every check passes; a source whose cached copy still matches the lock is not fetched again, so
an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from healthgap.config import ENV_DATA_URL, DataConfig
from healthgap.errors import DataSourceError
from healthgap.geography import _fetch_gov as gov
from healthgap.geography import _fetch_nomis as nomis
from healthgap.geography import _fetch_ons as ons
from healthgap.geography._fetch_base import Context, Output, Recipe, official_hosts
from healthgap.geography._files import atomic_output
from healthgap.geography._lock import LockEntry, read_lock, record
from healthgap.geography.sources import Located, Source, get_source, sha256_file
from healthgap.geography.status import count_rows

if TYPE_CHECKING:
    from rich.progress import Progress

_HOC = "House of Commons Library (GitHub)"
_QOF = "houseofcommonslibrary/local-health-data-from-QOF/f81b851cc6caf6dc8255c383b5cb31ba9d05ffe0"
_CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def _lookup(service: str, **columns: str | tuple[str, ...]) -> Recipe:
    return ons.table("ons", service, columns)


def _qof(output: str) -> Recipe:
    return gov.verbatim("github", f"{_QOF}/outputs/{output}", _HOC)


# fmt: off
RECIPES: dict[str, Recipe] = {
    "imd2019_imd": gov.csv_file("govuk", gov.IOD19_FILE7, gov.IMD2019_FILE1),
    "imd2019_domains": gov.csv_file("govuk", gov.IOD19_FILE7, gov.IMD2019_FILE2),
    "imd2019_population": gov.csv_file("govuk", gov.IOD19_FILE7, gov.IMD2019_FILE6),
    "imd2025_lsoa21": gov.csv_file("govuk", gov.IOD25_FILE7, gov.IMD2025_LSOA21),
    "imd2025_subdomains": gov.csv_file("govuk", gov.IOD25_FILE7, gov.IMD2025_SUBDOMAINS),
    "lsoa11_lsoa21_lad22": ons.table("arcgis", "5fc4ff82228846c2b893e3beba0e3751/data", {
        "lsoa11_name": "LSOA11NM", "lsoa11_code": ("LSOA11CD", "F_LSOA11CD"),
        "change_code": "CHGIND", "lsoa21_name": "LSOA21NM", "lsoa21_code": "LSOA21CD",
        "ltla22_name": "LAD22NM", "ltla22_code": "LAD22CD"}),
    "lsoa21_sicbl24_icb24": _lookup(
        "LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU", lsoa21_name="LSOA21NM", lsoa21_code="LSOA21CD",
        sicbl24_name="SICBL24NM", sicbl24_code="SICBL24CD", sicbl24_code_nhs="SICBL24CDH",
        icb24_name="ICB24NM", icb24_code="ICB24CD", icb24_code_nhs="ICB24CDH"),
    "lsoa21_ward24_lad24": _lookup(
        "LSOA21_WD24_LAD24_EW_LU", lsoa21_name="LSOA21NM", lsoa21_code="LSOA21CD",
        ward24_name="WD24NM", ward24_code="WD24CD", ltla24_name="LAD24NM", ltla24_code="LAD24CD"),
    "lad24_region24": _lookup(
        "LAD24_RGN24_EN_LU", ltla24_name="LAD24NM", ltla24_code="LAD24CD",
        region24_name="RGN24NM", region24_code="RGN24CD"),
    "msoa11_msoa21_lad22": _lookup(
        "MSOA11_MSOA21_LAD22_EW_LU_V2", msoa11_name="MSOA11NM", msoa11_code="MSOA11CD",
        msoa21_name="MSOA21NM", msoa21_code="MSOA21CD", ltla22_name="LAD22NM",
        ltla22_code="LAD22CD"),
    "lsoa11_sicbl22_icb22_lad22": _lookup(
        "LSOA11_SICBL22_ICB22_LAD22_EN_LU", lsoa11_name="LSOA11NM", lsoa11_code="LSOA11CD",
        sicbl22_name="SICBL22NM", sicbl22_code="SICBL22CD", sicbl22_code_h="SICBL22CDH",
        icb22_name="ICB22NM", icb22_code="ICB22CD", icb22_code_h="ICB22CDH",
        ltla22_name="LAD22NM", ltla22_code="LAD22CD"),
    "lsoa11_ccg21_stp21_lad21": _lookup(
        "LSOA11_CCG21_STP21_LAD21_EN_LU", lsoa11_name="LSOA11NM", lsoa11_code="LSOA11CD",
        ccg21_name="CCG21NM", ccg21_code="CCG21CD", stp21_name="STP21NM", stp21_code="STP21CD",
        ltla21_name="LAD21NM", ltla21_code="LAD21CD"),
    "oa11_lookup_oac": ons.table("opendata", "fe6c55f0924b4734adf1cf7104a0173e_0.csv", {
        name: name for name in ("OA11CD", "OAC11CD", "OAC11NM", "LSOA11CD", "LSOA11NM",
                                "SOAC11CD", "SOAC11NM", "MSOA11CD", "MSOA11NM", "LAD17CD",
                                "LAD17NM", "LACCD", "LACNM", "RGN11CD", "RGN11NM", "CTRY11CD",
                                "CTRY11NM")}),
    "lsoa11_msoa11_lad17": ons.england_lsoas("oa11_lookup_oac"),
    "ruc21_lsoa21": _lookup(
        "LSOA21_RUC21_EW_LU", lsoa21_code="LSOA21CD", ruc21_code="RUC21CD",
        classification="RUC21NM", ruc=("Urban_rural_flag", "Urban_rura")),
    "ruc11_lsoa11": ons.table(
        "opendata", "276d973d30134c339eaecfc3c49770b3_0.geojson",
        {"lsoa11_code": "LSOA11CD", "ruc11_code": "RUC11CD"}, derive=ons.ruc11,
        written=("lsoa11_code", "ruc11_code", "ruc", "classification")),
    "boundaries_lsoa21": ons.layer(
        "ons", "Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V4", "lsoa21",
        ("LSOA21CD",), ("LSOA21NM",)),
    "boundaries_lsoa21_west_midlands": ons.west_midlands(
        "boundaries_lsoa21", "lsoa21", "lsoa21_ward24_lad24", "ltla24_code"),
    "boundaries_msoa21": ons.layer(
        "ons", "Middle_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V3", "msoa21",
        ("MSOA21CD",), ("MSOA21NM",)),
    "boundaries_lad24": ons.layer(
        "ons", "Local_Authority_Districts_May_2024_Boundaries_UK_BUC", "ltla24", ("LAD24CD",),
        ("LAD24NM",)),
    "boundaries_icb22": ons.layer(
        "ons", "ICB_JUL_2022_EN_BUC_V3", "icb22", ("ICB22CD", "LOC22CD"), ("ICB22NM", "LOC22NM")),
    "boundaries_lsoa11": ons.layer(
        "opendata", "e9d10c36ebed4ff3865c4389c2c98827_0.geojson", "lsoa11", ("LSOA11CD",),
        ("LSOA11NM",)),
    "boundaries_lsoa11_west_midlands": ons.west_midlands(
        "boundaries_lsoa11", "lsoa11", "lsoa11_lsoa21_lad22", "ltla22_code"),
    "census2021_age6": nomis.census2021_age6(),
    "census2021_ethnicity": nomis.census2021_ethnicity(),
    "census2011_ethnicity": nomis.census2011_ethnicity("oa11_lookup_oac"),
    "qof1920_imd2019_decile": _qof("output_imd_prevalence.csv"),
    "qof1920_region_imd2019_decile": _qof("output_imd_region_prevalence.csv"),
    "qof1920_region": _qof("output_region_prevalence.csv"),
    "qof1920_lad": _qof("output_lad_prevalence.csv"),
}
# fmt: on


def unsupported_reason(source: Source) -> str | None:
    """Why `source` cannot be fetched from its publisher (None when it can)."""
    if source.fetchable:
        return None
    what = gov.XLSX_ONLY.get(source.name, "this file")
    return (
        f"{what} is published only as an xlsx workbook, which healthgap does not read (no xlsx"
        f" reader is installed), so it comes from the open-data mirror or {ENV_DATA_URL}."
    )


@dataclass(frozen=True)
class Fetched:
    """The outcome of one official fetch.

    state: "cached" (the cached copy matches the lock: nothing fetched), "locked" (first
    download, now locked), "unchanged" (fetched again, same as the lock) or "changed, accepted"
    (differed from the lock and was accepted). requests: HTTP requests made.
    """

    located: Located
    state: str
    rows: int
    requests: int
    publisher: str

    def describe(self) -> str:
        """One line for the terminal."""
        if self.state == "cached":
            return f"already fetched from {self.publisher} and locked ({self.rows:,} rows)"
        done = {
            "locked": "locked (first download)",
            "unchanged": "same as the lock",
            "changed, accepted": "changed upstream: accepted and re-locked",
        }[self.state]
        asked = f"{self.requests} request{'s' * (self.requests != 1)}, " if self.requests else ""
        return f"fetched from {self.publisher} ({asked}{self.rows:,} rows); {done}"


class OfficialFetcher:
    """Fetches sources from their publishers into the download cache, checked against the lock.

    hosts: publisher addresses overriding `HOSTS` (and HEALTHGAP_OFFICIAL_HOSTS). progress: a
    Rich Progress that gets one bar per source, advanced page by page. Files read once are kept
    for the fetcher's life (IoD File 7 feeds several sources).
    """

    def __init__(
        self,
        config: DataConfig,
        *,
        hosts: Mapping[str, str] | None = None,
        progress: Progress | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.config = config
        self.hosts = official_hosts(hosts)
        self.progress = progress
        self.timeout = timeout
        self._kept: dict[str, bytes] = {}

    def fetch(self, source: Source, *, refresh: bool = False, accept: bool = False) -> Fetched:
        """Fetch `source` (unless its cached copy matches the lock and not `refresh`).

        accept: take a file that differs from the lock (or, on a first download, has another
        row count than the registry's) and lock it. Raises DataSourceError for a source
        without a recipe, a failed download, a missing column, a wrong row count or drift.
        """
        recipe = RECIPES.get(source.name)
        if recipe is None:
            reason = unsupported_reason(source) or "it has no official fetcher."
            raise DataSourceError(f"{source.name}: {reason}")
        dest = self.config.download_cache / source.path
        entry = read_lock(self.config).get(source.name)
        if not refresh and entry and dest.is_file() and sha256_file(dest) == entry.sha256:
            located = Located(source, dest, "cache")
            return Fetched(located, "cached", entry.rows, 0, recipe.publisher)
        context = Context(
            source,
            self.hosts,
            dependency=lambda name: self.fetch(get_source(name), accept=accept).located.path,
            progress=self.progress,
            timeout=self.timeout,
            kept=self._kept,
        )
        try:
            output = recipe.build(context)
            with atomic_output(dest) as tmp:
                columns, rows = write_output(output, tmp, source)
                digest = sha256_file(tmp)
                state = _check(source, recipe, entry, context, digest, rows, accept, dest)
                if state == "unchanged" and dest.is_file():
                    tmp.unlink()  # keep the identical copy (and the caches built from it)
        finally:
            context.close()
        if state != "unchanged":
            fetched = datetime.now(UTC).isoformat(timespec="seconds")
            upstream = context.upstream_sha256
            lock = LockEntry(context.address, fetched, upstream, digest, rows, tuple(columns))
            record(self.config, source.name, lock)
        located = Located(source, dest, "cache")
        return Fetched(located, state, rows, context.pages, recipe.publisher)


def _check(
    source: Source,
    recipe: Recipe,
    entry: LockEntry | None,
    context: Context,
    digest: str,
    rows: int,
    accept: bool,
    dest: Path,
) -> str:
    """The fetch's state, or DataSourceError when the new file may not replace the copy."""
    kept = "Your cached copy was kept." if dest.is_file() else "Nothing was written."
    rerun = f"`healthgap data fetch {source.name} --from official --accept-changes`"
    if recipe.verbatim and source.sha256 and digest != source.sha256 and not accept:
        raise DataSourceError(
            f"{context.address} no longer matches the checksum registered for {source.name!r}"
            f" (expected sha256 {source.sha256}, got {digest}). {kept} If the publisher has"
            f" updated the file on purpose, run {rerun} to use it."
        )
    if entry is None:
        if rows != source.rows and not accept:
            raise DataSourceError(
                f"{context.address} gave {rows:,} rows for {source.name!r}, but healthgap expects"
                f" {source.rows:,} ({source.vintage}): the publisher may have issued another"
                f" edition. {kept} Check {source.page}, then run {rerun} to lock this one."
            )
        return "locked"
    if digest == entry.sha256:
        return "unchanged"
    if not accept:
        raise DataSourceError(
            f"The publisher's file for {source.name!r} has changed since it was locked on"
            f" {entry.fetched}: {context.address} now gives {rows:,} rows (sha256"
            f" {digest[:12]}...), the lock has {entry.rows:,} rows (sha256 {entry.sha256[:12]}...)."
            f" {kept} Check {source.page} for a new edition, then run {rerun} to replace the"
            " copy and update the lock."
        )
    return "changed, accepted"


def write_output(output: Output, path: Path, source: Source) -> tuple[list[str], int]:
    """Write `output` to `path` in the format of `source.path`; return (columns, rows).

    Tables are CSV (gzip with a fixed header time for `.gz`, so equal content gives equal
    bytes); features are a compact GeoJSON FeatureCollection in WGS84 (CRS84), as the mirror's;
    bytes are written as they are.
    """
    if isinstance(output, bytes):
        path.write_bytes(output)
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline().strip().split(",")
        return header, count_rows(path)
    if isinstance(output, pd.DataFrame):
        text = output.to_csv(index=False, lineterminator="\n").encode("utf-8")
        if source.path.endswith(".gz"):
            with path.open("wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as out:
                out.write(text)
        else:
            path.write_bytes(text)
        return [str(c) for c in output.columns], len(output)
    collection: dict[str, Any] = {"type": "FeatureCollection", "crs": _CRS84, "features": output}
    path.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False), "utf-8")
    properties = list(output[0]["properties"]) if output else []
    return properties, len(output)
