"""What reference data this installation has: each source's copy, checksum, rows and caches.

Row counts are remembered per checksum in `<var>/cache/data/rows.json`, so only a new or
changed file is counted again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv

from healthgap.config import DataConfig
from healthgap.errors import DataSourceError
from healthgap.geography._cache import TABLE_SOURCES, is_cached, write_atomically
from healthgap.geography._read import read_geojson
from healthgap.geography.areas import hierarchy, lsoa11_lsoa21
from healthgap.geography.boundaries import LAYERS
from healthgap.geography.census import population2021
from healthgap.geography.deprivation import imd2019, imd2025
from healthgap.geography.ethnicity import ethnicity2011
from healthgap.geography.sources import (
    SOURCES,
    Located,
    Source,
    copy_checksum,
    locate,
    sha256_file,
)

# table name -> loader that builds (or reads) its cache
TABLE_LOADERS: dict[str, Callable[[DataConfig], pd.DataFrame]] = {
    "hierarchy": hierarchy,
    "imd2025": imd2025,
    "imd2025_subdomains": lambda config: imd2025(config, subdomains=True),
    "imd2019": imd2019,
    "population2021": population2021,
    "lsoa11_lsoa21": lsoa11_lsoa21,
    "ethnicity2011": lambda config: ethnicity2011(config, geography="lsoa11"),
}

# read when needed: boundary layers (maps) and the QOF outputs read by `healthgap demo`
_ON_DEMAND = {layer[0] for layer in LAYERS.values()} | {
    "qof1920_lad",
    "qof1920_region_imd2019_decile",
}


@dataclass(frozen=True)
class SourceStatus:
    """One source's state.

    located: where its copy is (None when there is none).
    checksum: "ok" (the registry's sha256), "ok (official, locked)" (an official download that
    matches the lock file), "MISMATCH", "not recorded", "missing", or "official only" for a
    missing source that only its publisher has (", unreadable" added when the file cannot be
    parsed). rows: rows (features) in the copy, None if unknown.
    loaded: "yes" when every table built from it has an up-to-date Parquet cache, else "no";
    "on demand" for boundary layers (read when a map is made) and the QOF files the demo reads;
    "not used" for sources kept for provenance and checks.
    """

    source: Source
    located: Located | None
    checksum: str
    rows: int | None
    loaded: str


def source_status(config: DataConfig, names: list[str] | None = None) -> list[SourceStatus]:
    """The status of the named sources (all registered sources by default)."""
    counts_path = config.download_cache / "rows.json"
    counts = _read_counts(counts_path)
    cached = {table: is_cached(table, config) for table in TABLE_SOURCES}
    out = []
    for name in list(SOURCES) if names is None else names:
        source = SOURCES[name]
        located = locate(source, config)
        tables = [table for table, used in TABLE_SOURCES.items() if name in used]
        if tables:
            loaded = "yes" if all(cached[table] for table in tables) else "no"
        else:
            loaded = "on demand" if name in _ON_DEMAND else "not used"
        if located is None:
            missing = "missing" if source.in_mirror else "official only"
            out.append(SourceStatus(source, None, missing, None, loaded))
            continue
        digest = sha256_file(located.path)
        checksum = copy_checksum(located, config, digest)
        if digest not in counts:
            try:
                counts[digest] = count_rows(located.path)
            except DataSourceError:
                checksum = f"{checksum}, unreadable"
        out.append(SourceStatus(source, located, checksum, counts.get(digest), loaded))
    if counts != _read_counts(counts_path):
        text = json.dumps(counts, indent=1, sort_keys=True)
        write_atomically(counts_path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return out


def count_rows(path: Path) -> int:
    """Data rows of a CSV/CSV.GZ, or features of a GeoJSON file."""
    if path.suffix == ".geojson":
        return len(read_geojson(path))
    try:
        return pacsv.read_csv(path).num_rows
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"Could not read {path}: {exc}") from exc


def _read_counts(path: Path) -> dict[str, int]:
    try:
        return {str(k): int(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        return {}
