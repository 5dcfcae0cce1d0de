"""Run the catalogue on a person-level population and publish a results store.

    population (people.parquet, events.parquet)
      -> compile.compile_indicators (one compiled query on DuckDB, PostgreSQL or Spark)
      -> aggregate.Rollup          (its rows kept in DuckDB and summed per LSOA, then
                                    every area level x breakdown)
      -> tidy.statistics           (value + 95%/99.8% limits by each indicator's method)
      -> inequalities.summarise    (SII/RII, HEAT measures)
      -> store.publish             (new version folder, then an atomic pointer swap)

Only areas whose every LSOA is in the population are reported at each level, so a run on one
ICB gives its LSOAs, MSOAs, local authorities and the ICB, but no (partial) region or England.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import ibis.expr.types as ir
import pandas as pd
import pyarrow.parquet as pq

from healthgap import __version__
from healthgap.errors import DataSourceError, HealthgapError
from healthgap.geography.areas import area_table
from healthgap.indicators import aggregate as agg
from healthgap.indicators.backends import (
    connect,
    duckdb_memory_limit,
    load_tables,
    materialiser,
)
from healthgap.indicators.compile import compile_indicators
from healthgap.indicators.inequalities import summarise
from healthgap.indicators.loading import load_catalogue
from healthgap.indicators.store import Results, publish
from healthgap.indicators.tidy import statistics, with_areas

STEPS = ("engine", "aggregate", "statistics", "inequalities", "publish")
PEOPLE_PER_GB = 1_500_000
"""People per engine part per GB of DuckDB's memory limit (`engine_parts`). Measured with the
17-indicator catalogue on 5 million of England's synthetic people: with a 0.5 GB limit, 2
parts ran out of memory and 4 parts (2.5 million people per GB) did not; 1.5 million leaves
room for a larger catalogue."""
_RENAME = {f"{lvl}_code": lvl for lvl in ("lsoa21", "msoa21", "lad24", "icb24", "region24")}


class BackendConnectionError(HealthgapError):
    """The database backend (PostgreSQL) could not be reached or dropped the run's connection.

    Nothing is published by such a run: the last good results stay live."""


@contextmanager
def backend_errors(backend: str) -> Iterator[None]:
    """Turn a lost or refused database connection (psycopg's OperationalError or
    InterfaceError) into a one-line `BackendConnectionError`; anything else propagates."""
    try:
        yield
    except Exception as error:
        if not _connection_lost(error):
            raise
        detail = " ".join(str(error).split()) or type(error).__name__
        raise BackendConnectionError(
            f"The {backend} connection failed during the indicators run ({detail}). Nothing "
            "was published: the last good results stay live. Check that the server is up "
            "(HEALTHGAP_PG_URL) and run again."
        ) from error


def _connection_lost(error: BaseException) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency of the postgres backend
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


@dataclass(frozen=True)
class RunSummary:
    """What a run published and how long each step took (seconds)."""

    results: Results
    rows: int
    people_rows: int
    timings: dict[str, float]


def areas_table() -> pd.DataFrame:
    """One row per LSOA 2021: codes and names of each level, IMD 2025 decile/quintile, Core20."""
    frame = area_table("lsoa21").rename(columns=_RENAME)
    return frame.rename(columns={f"{k}_name": f"{v}_name" for k, v in _RENAME.items()})


def complete_areas(lsoas: pd.Series, areas: pd.DataFrame) -> dict[str, set[str]]:
    """For each level, the area codes all of whose LSOAs are in `lsoas`."""
    present = areas["lsoa21"].isin(set(lsoas))
    out = {"england": {"E92000001"} if present.all() else set()}
    for level in agg.LEVELS[1:]:
        whole = present.groupby(areas[level]).all()
        out[level] = set(whole.index[whole])
    return out


def engine_parts(people: Path, backend: str) -> int:
    """How many parts the DuckDB engine runs in, one after the other, so that its hash tables
    fit its memory limit (`backends.duckdb_memory_limit`): one per `PEOPLE_PER_GB` people per
    GB of the limit (England, 56.5 million people, with the default 6 GB: 7 parts). Other
    backends run in one part."""
    if backend != "duckdb":
        return 1
    rows = pq.ParquetFile(people).metadata.num_rows
    per_part = max(1, int(PEOPLE_PER_GB * _gigabytes(duckdb_memory_limit())))
    return max(1, -(-rows // per_part))


def person_part(table: ir.Table, part: int, parts: int) -> ir.Table:
    """The rows of `table` (people or events) whose person is in part `part` of `parts`: by a
    hash of `person_id` (as text), so a person's row and all their events fall in the same
    part and every part is an independent run of the engine whose fine rows add up to the
    whole run's. With one part, `table` itself."""
    if parts == 1:
        return table
    bucket = (table.person_id.cast("string").hash() % parts + parts) % parts
    return table.filter(bucket == part)


def _gigabytes(size: str) -> float:
    """A DuckDB size ("6144MB", "4GB", "4 GiB", "500MB") in GB (10^9 or 2^30 bytes alike)."""
    found = re.fullmatch(r"\s*([0-9.]+)\s*([kmgt]?)i?b?\s*", size.lower())
    if found is None:
        return 1.0
    scale = {"": 1e-9, "k": 1e-6, "m": 1e-3, "g": 1.0, "t": 1e3}[found.group(2)]
    return float(found.group(1)) * scale


def population_files(population: str | Path) -> tuple[Path, Path]:
    """The people and events Parquet files of a population folder; DataSourceError if either
    is missing."""
    population = Path(population)
    people, events = population / "people.parquet", population / "events.parquet"
    for file in (people, events):
        if not file.exists():
            raise DataSourceError(
                f"{file} not found: `--population` must be a folder written by"
                " `healthgap population synth` or `healthgap population import`"
            )
    return people, events


def run_indicators(
    population: str | Path,
    out: str | Path,
    *,
    backend: str = "duckdb",
    indicator_ids: Sequence[str] | None = None,
    inequalities: bool = True,
    repetitions: int = 100_000,
    on_step: Callable[[str], None] = lambda step: None,
    on_part: Callable[[int, int], None] | None = None,
    areas: pd.DataFrame | None = None,
) -> RunSummary:
    """Compute every catalogue indicator (or `indicator_ids`) and publish them under `out`.

    `areas` (one row per LSOA, as `areas_table()` returns) defaults to England's from
    `healthgap.geography`; tests pass a small one. `on_step(name)` is called after each of
    `STEPS`, `on_part(done, parts)` after each part of the engine step (`engine_parts`).
    """
    people, events = population_files(population)
    indicators = load_catalogue(ids=indicator_ids)
    timings: dict[str, float] = {}

    def step(name: str, started: float) -> float:
        timings[name] = round(time.perf_counter() - started, 3)
        on_step(name)
        return time.perf_counter()

    areas = areas_table() if areas is None else areas
    t = time.perf_counter()
    with backend_errors(backend):
        con = connect(backend)
        tables = load_tables(con, people, events)
        parts = engine_parts(people, backend)
        fine = [
            compile_indicators(
                indicators,
                person_part(tables.people, part, parts),
                person_part(tables.events, part, parts),
                materialise=materialiser(con),
            )
            for part in range(parts)
        ]
        # The query runs inside the roll-up's per-LSOA pass: "engine" times both.
        with agg.Rollup.from_engine(con, fine, indicators, areas, on_part=on_part) as rollup:
            t = step("engine", t)
            complete = complete_areas(pd.Series(rollup.lsoas, dtype="str"), areas)
            levels = [level for level in agg.LEVELS if complete[level]]
            counts = rollup.counts(levels, keep=complete, categorical=True)
    t = step("aggregate", t)
    results = with_areas(statistics(counts, indicators), areas)
    del counts  # the results hold their own arrays
    t = step("statistics", t)
    tables = {"results": results}
    if inequalities:
        tables["inequalities"] = summarise(results, repetitions=repetitions)
        t = step("inequalities", t)
    manifest = {
        "backend": backend,
        "population": str(population),
        "indicators": {i.id: str(i.reviewed) for i in indicators.values()},
        "rows": len(results),
        "healthgap_version": __version__,
    }
    published = publish(out, tables, manifest)
    step("publish", t)
    return RunSummary(published, len(results), rollup.fine_rows, timings)
