"""Parquet caches of the tidy geography tables, under `<var>/cache/geography/`.

Each table is built from named sources (`TABLE_SOURCES`). Its cache file is
`<table>-<key>.parquet`, where the key hashes the schema version and each source copy's path,
size and modification time, so a changed or moved source file gives a new key and the table is
rebuilt (older files of that table are then removed). Source checksums are verified when a table
is built (not on every read). Files are written to a temporary name and renamed into place, so
parallel readers never see half a file. Tables read in this process are also kept in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from healthgap.config import DataConfig
from healthgap.geography._files import atomic_output
from healthgap.geography.sources import Located, get_source, locate, resolve, verify_copy

SCHEMA_VERSION = 1

TABLE_SOURCES: dict[str, tuple[str, ...]] = {
    "hierarchy": (
        "lsoa21_sicbl24_icb24",
        "lsoa21_ward24_lad24",
        "lad24_region24",
        "boundaries_msoa21",
        "ruc21_lsoa21",
    ),
    "imd2025": ("imd2025_lsoa21",),
    "imd2025_subdomains": ("imd2025_subdomains",),
    "imd2019": ("imd2019_domains",),
    "population2021": ("census2021_age6",),
    "lsoa11_lsoa21": ("lsoa11_lsoa21_lad22", "census2021_age6"),
    "ethnicity2011": ("census2011_ethnicity",),
}

_MEMORY: dict[Path, pd.DataFrame] = {}


def fingerprint(name: str, located: list[Located], *extra: object) -> str:
    """A short key for `name` built from the source copies (path, size, mtime) and `extra`."""
    parts: list[object] = [SCHEMA_VERSION, name, *extra]
    for item in located:
        stat = item.path.stat()
        parts.append([str(item.path.resolve()), stat.st_size, stat.st_mtime_ns])
    return hashlib.sha1(json.dumps(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def table_file(name: str, config: DataConfig) -> tuple[Path, list[Located]]:
    """The cache file for table `name` given the current source copies, and those copies.

    Missing sources are downloaded when `config.base_url` is set (see `sources.resolve`).
    """
    located = [resolve(get_source(source), config) for source in TABLE_SOURCES[name]]
    return _cache_path(name, located, config), located


def _cache_path(name: str, located: list[Located], config: DataConfig) -> Path:
    return config.table_cache / f"{name}-{fingerprint(name, located)}.parquet"


def cached_table(
    name: str, build: Callable[[dict[str, Path]], pd.DataFrame], config: DataConfig
) -> pd.DataFrame:
    """Table `name`: from memory, else its Parquet cache, else `build(paths by source name)`.

    Returns a shallow copy (pandas copy-on-write keeps the cached frame unchanged whatever the
    caller does with it).
    """
    path, located = table_file(name, config)
    frame = _MEMORY.get(path)
    if frame is None:
        if path.is_file():
            frame = pd.read_parquet(path)
        else:
            if config.verify:
                for item in located:
                    verify_copy(item, config)
            frame = build({item.source.name: item.path for item in located})
            write_atomically(path, lambda tmp: frame.to_parquet(tmp, index=False))
        _MEMORY[path] = frame
    return frame.copy(deep=False)


def is_cached(name: str, config: DataConfig) -> bool:
    """True when table `name` has an up-to-date Parquet cache (never downloads anything)."""
    located = [locate(get_source(source), config) for source in TABLE_SOURCES[name]]
    found = [item for item in located if item is not None]
    return len(found) == len(located) and _cache_path(name, found, config).is_file()


def write_atomically(path: Path, write: Callable[[str], object]) -> None:
    """Call `write(temporary path)`, rename the result to `path`, drop older `<stem>-*` files.

    `path` is named `<stem>-<key><suffix>`; other files with the same stem and suffix are stale
    versions (older keys) and are removed.
    """
    with atomic_output(path) as tmp:
        write(str(tmp))
    stem = path.stem.rsplit("-", 1)[0]
    for stale in path.parent.glob(f"{stem}-*{path.suffix}"):
        if stale != path:
            stale.unlink(missing_ok=True)
