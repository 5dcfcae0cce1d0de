"""Connections to the engines indicators run on, and loading person-level tables into them.

* `duckdb` (the default): in memory, or a database file (e.g. under `var/`), with a memory
  limit (`$HEALTHGAP_DUCKDB_MEMORY`, default the smaller of 6 GB and 80% of RAM) beyond
  which its joins and aggregations spill to disk: an England run stays under 8 GB.
* `postgres`: `ibis.postgres` at `HEALTHGAP_PG_URL` (default
  `postgresql://postgres@127.0.0.1:5432/postgres`); tables are loaded with `COPY` as
  session-private temporary tables, so concurrent runs and tests never collide.
* `spark`: PySpark, one session per process, reused (starting one takes ~10 s). By default
  local mode (`local[2]`, UI off, 4 shuffle partitions); `$HEALTHGAP_SPARK_MASTER` names
  another master (`spark://host:7077`, `yarn`, `k8s://...`), and a master set from outside
  (`SPARK_REMOTE` for Spark Connect, `--master` in `PYSPARK_SUBMIT_ARGS`, `spark-submit`)
  is left alone.

`load_tables` puts `people`, `events` (and an optional `areas`) into a backend with the column
types of `healthgap.population.schema` (absent optional columns become typed nulls), so every
engine sees the same types.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import os
import sys
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from healthgap.errors import ArgumentError, DataSourceError
from healthgap.indicators.compile import compile_indicators
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.rollup import tidy_finest
from healthgap.population.schema import EVENTS, PEOPLE, Table

__all__ = [
    "BACKENDS",
    "DEFAULT_PG_URL",
    "PersonTables",
    "connect",
    "duckdb_deprecations",
    "duckdb_memory_limit",
    "load_tables",
    "materialiser",
    "spark_master",
    "spark_session",
    "to_arrow",
]

BACKENDS = ("duckdb", "postgres", "spark")
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DUCKDB_MEMORY = 6 * 1024**3
"""Default DuckDB memory limit in bytes (or 80% of RAM, if smaller)."""

Source = pd.DataFrame | pa.Table | str | Path


def connect(
    backend: str = "duckdb", *, path: str | Path | None = None, url: str | None = None
) -> Any:
    """An Ibis connection. `path`: DuckDB file (default in memory); `url`: PostgreSQL URL
    (default `$HEALTHGAP_PG_URL`, else `DEFAULT_PG_URL`). Spark reuses `spark_session()`."""
    if backend == "duckdb":
        con = ibis.duckdb.connect(str(path) if path is not None else ":memory:")
        con.con.execute(f"SET memory_limit = '{duckdb_memory_limit()}'")
        spill = Path(tempfile.gettempdir()) / f"healthgap-duckdb-{os.getpid()}"
        con.con.execute(f"SET temp_directory = '{spill}'")  # not ./.tmp in the caller's folder
        # Results are sorted where order matters (tidy_finest); not keeping the scan order
        # lets large aggregations and joins spill with less memory.
        con.con.execute("SET preserve_insertion_order = false")
        return con
    if backend == "postgres":
        con = ibis.connect(url or os.environ.get("HEALTHGAP_PG_URL", DEFAULT_PG_URL))
        # The compiled query has hundreds of CASE branches; PostgreSQL's LLVM JIT spends ~100 s
        # compiling them (measured on PostgreSQL 15, 3 people) against milliseconds of work.
        con.raw_sql("SET jit = off").close()
        return con
    if backend == "spark":
        return ibis.pyspark.connect(spark_session())
    raise ArgumentError(f"Unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}.")


def duckdb_memory_limit() -> str:
    """`$HEALTHGAP_DUCKDB_MEMORY` (a DuckDB size such as "4GB"), else the smaller of
    `DUCKDB_MEMORY` and 80% of physical memory (DuckDB's own default is 80%)."""
    configured = os.environ.get("HEALTHGAP_DUCKDB_MEMORY")
    if configured:
        return configured
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{min(DUCKDB_MEMORY, int(physical * 0.8)) // 1024**2}MB"


_EXTERNAL_MASTER = ("SPARK_REMOTE", "MASTER", "PYSPARK_GATEWAY_PORT")
"""Set when Spark is configured from outside: Spark Connect, a MASTER, or spark-submit."""


def spark_master(environ: Mapping[str, str]) -> str | None:
    """The master `spark_session` sets: `HEALTHGAP_SPARK_MASTER`, else None when Spark is
    configured from outside (Spark Connect, MASTER, spark-submit, `--master` in
    PYSPARK_SUBMIT_ARGS), else "local[2]"."""
    if environ.get("HEALTHGAP_SPARK_MASTER"):
        return environ["HEALTHGAP_SPARK_MASTER"]
    if any(name in environ for name in _EXTERNAL_MASTER):
        return None
    return None if "--master" in environ.get("PYSPARK_SUBMIT_ARGS", "") else "local[2]"


@functools.cache
def spark_session() -> Any:
    """The process's Spark session (created on first use, then reused).

    The master is `$HEALTHGAP_SPARK_MASTER` if set; otherwise Spark's own when it is set from
    outside (`_EXTERNAL_MASTER`, or `--master` in `PYSPARK_SUBMIT_ARGS`); otherwise
    `local[2]`. Local masters get small settings fit for tests (UI off, 4 shuffle partitions,
    1 GB driver); a cluster keeps its spark-defaults / spark-submit resources.
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("healthgap-indicators").config(
        "spark.sql.session.timeZone", "UTC"
    )
    # No console progress bars: the CLI shows its own (Rich) progress per step.
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    master = spark_master(os.environ)
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.memory", "1g")
        )
    if master is not None and _on_this_machine(master) and "PYSPARK_PYTHON" not in os.environ:
        # Executors' Python workers run this interpreter (the one with healthgap installed),
        # not whatever `python3` is on PATH (PySpark reads only the environment variable when
        # it starts the context); a remote cluster keeps its own setting.
        os.environ["PYSPARK_PYTHON"] = sys.executable
    session = builder.getOrCreate()
    if "SPARK_REMOTE" not in os.environ:  # Spark Connect sessions have no SparkContext
        session.sparkContext.setLogLevel("ERROR")
    return session


def _on_this_machine(master: str) -> bool:
    """A local master, or a standalone master on loopback (scripts/spark_cluster.sh)."""
    return master.startswith("local") or master.startswith(
        ("spark://127.0.0.1:", "spark://localhost:")
    )


def to_arrow(data: Source, table: Table) -> pa.Table:
    """`data` (frame, Arrow table or Parquet path) with `table`'s output columns and types;
    optional columns it lacks are added as nulls, extra columns are dropped."""
    if isinstance(data, str | Path):
        data = pq.read_table(data)
    if isinstance(data, pd.DataFrame):
        data = pa.Table.from_pandas(data, preserve_index=False)
    schema = table.output_schema
    columns = []
    for field in schema:
        if field.name in data.column_names:
            columns.append(data[field.name].cast(field.type))
        elif table.column(field.name).required:
            raise ArgumentError(f"The {table.name} table has no {field.name!r} column.")
        else:
            columns.append(pa.nulls(data.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


@dataclass(frozen=True)
class PersonTables:
    """The person-level tables as Ibis tables of one backend."""

    people: ir.Table
    events: ir.Table


def _read_parquet(con: Any, name: str, path: str | Path) -> ir.Table | None:
    """A Parquet file read in place by DuckDB or Spark (None for other engines)."""
    if con.name == "duckdb":
        with duckdb_deprecations():
            return con.read_parquet(str(path), table_name=name)
    if con.name == "pyspark":
        return con.read_parquet(str(path), table_name=name)
    return None


def check_parquet(path: str | Path) -> None:
    """DataSourceError unless `path` is a Parquet file whose footer can be read (a truncated or
    corrupt file is caught here, before any engine reads it)."""
    try:
        pq.read_metadata(path)
    except (pa.ArrowException, OSError) as error:
        raise DataSourceError(
            f"{path} is not a readable Parquet file ({error}); it may be truncated or corrupt. "
            "Write it again (`healthgap population import` or `healthgap population synth`)."
        ) from error


def load_tables(con: Any, people: Source, events: Source) -> PersonTables:
    """Make `people` and `events` tables of `con` under fresh names.

    Parquet paths are read in place by DuckDB and Spark (no copy; `compile` casts the columns
    it uses); anything else is converted with `to_arrow` and loaded as a temporary table
    (DuckDB, PostgreSQL) or temporary view (Spark), private to the connection.
    """
    tag = uuid.uuid4().hex[:8]
    loaded = []
    for name, data, table in (("people", people, PEOPLE), ("events", events, EVENTS)):
        name = f"{name}_{tag}"
        if isinstance(data, str | Path):
            check_parquet(data)
        in_place = _read_parquet(con, name, data) if isinstance(data, str | Path) else None
        loaded.append(in_place if in_place is not None else _put(con, name, to_arrow(data, table)))
    return PersonTables(*loaded)


def _put(con: Any, name: str, data: pa.Table) -> ir.Table:
    if con.name == "duckdb":
        # Ibis 12's DuckDB create_table from in-memory data emits an invalid DROP VIEW with
        # the sqlglot it ships with; DuckDB reads a registered Arrow table directly instead.
        con.con.register(f"{name}_arrow", data)
        con.con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM "{name}_arrow"')
        con.con.unregister(f"{name}_arrow")
        with duckdb_deprecations():
            return con.table(name)
    if con.name == "postgres":
        return _copy_to_postgres(con, name, data)
    if con.name == "pyspark":
        # Ibis cannot create temporary tables on Spark; a temporary view is session-private.
        con._session.createDataFrame(data).createOrReplaceTempView(name)
        return con.table(name)
    raise ArgumentError(f"Unsupported Ibis backend {con.name!r}; use one of {', '.join(BACKENDS)}.")


COPY_ROWS = 250_000
"""Rows per CSV chunk streamed to PostgreSQL's COPY."""


def _copy_to_postgres(con: Any, name: str, data: pa.Table) -> ir.Table:
    """A temporary table loaded with `COPY ... FROM STDIN` (CSV written by Arrow, in chunks):
    Ibis's own load inserts row by row, a Python dict per row. Nulls are unquoted empty
    fields, every other value is quoted, so an empty string stays a string. ANALYZEd after,
    so the planner knows the table's size."""
    table = con.create_table(name, schema=ibis.Schema.from_pyarrow(data.schema), temp=True)
    columns = ", ".join(f'"{column}"' for column in data.column_names)
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    with con.con.cursor() as cursor:
        with cursor.copy(f'COPY "{name}" ({columns}) FROM STDIN (FORMAT csv)') as copy:
            for batch in data.to_batches(max_chunksize=COPY_ROWS):
                sink = pa.BufferOutputStream()
                pacsv.write_csv(batch, sink, write_options=options)
                copy.write(memoryview(sink.getvalue()))
        cursor.execute(f'ANALYZE "{name}"')
    return table


def execute_finest(
    con: Any,
    indicators: Iterable[Indicator] | Mapping[str, Indicator],
    people: Source | ir.Table,
    events: Source | ir.Table,
) -> pd.DataFrame:
    """Compile `indicators`, run them on `con` and return the fine table in canonical form
    (`rollup.tidy_finest`). `people`/`events` are Ibis tables of `con`, or data to load first."""
    if not isinstance(people, ir.Table) or not isinstance(events, ir.Table):
        tables = load_tables(con, people, events)
        people, events = tables.people, tables.events
    fine = compile_indicators(indicators, people, events, materialise=materialiser(con))
    return tidy_finest(execute(con, fine))


def materialiser(con: Any) -> Callable[[ir.Table], ir.Table] | None:
    """What `compile_indicators(materialise=...)` should use on `con`: on PostgreSQL, store
    the one-row-per-person stage as an ANALYZEd temporary table (its planner otherwise inlines
    that stage and recomputes each person's flags for every slot row: 10x slower on an ICB);
    None elsewhere (DuckDB and Spark compute it once as it stands)."""
    if con.name != "postgres":
        return None

    def materialise(expr: ir.Table) -> ir.Table:
        name = f"persons_{uuid.uuid4().hex[:8]}"
        with _hash_aggregation(con):
            table = con.create_table(name, expr, temp=True)
        con.raw_sql(f'ANALYZE "{name}"').close()
        return table

    return materialise


def execute(con: Any, expr: ir.Table) -> pd.DataFrame:
    """Run `expr` on `con` and return a pandas frame.

    Goes through Arrow rather than `con.execute`: Ibis 12's own pandas conversion reads the
    option `future.infer_string`, which pandas 3 deprecates (a warning, an error in our tests);
    on Spark it also skips Ibis's execute (see below); on PostgreSQL it is `_copy_from_postgres`.
    """
    if con.name == "postgres":
        return _copy_from_postgres(con, expr).to_pandas()
    if con.name == "pyspark":
        # Ibis runs Spark queries through toPandas(), which passes pandas 3 a deprecated
        # argument; Spark 4's toArrow() does not. PySpark leaves its result socket for the
        # garbage collector to close (pyspark.util._load_from_socket), which warns
        # ResourceWarning; collect it here, with that warning silenced.
        con._run_pre_execute_hooks(expr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            result = con._session.sql(con.compile(expr)).toArrow()
            gc.collect()
        return result.to_pandas()
    with duckdb_deprecations():
        return con.to_pyarrow(expr).to_pandas()


def _copy_from_postgres(con: Any, expr: ir.Table) -> pa.Table:
    """`expr`'s rows through `COPY (query) TO STDOUT` as CSV, read by Arrow with the
    expression's types (Ibis fetches row by row, a Python tuple per row), with hash
    aggregation preferred (`_hash_aggregation`)."""
    con._run_pre_execute_hooks(expr)
    schema = expr.schema().to_pyarrow()
    buffer = io.BytesIO()
    with _hash_aggregation(con), con.con.cursor() as cursor:
        query = f"COPY ({con.compile(expr)}) TO STDOUT (FORMAT csv, HEADER)"
        with cursor.copy(query) as copy:
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    convert = pacsv.ConvertOptions(
        column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False
    )
    return pacsv.read_csv(buffer, convert_options=convert).select(schema.names).cast(schema)


@contextlib.contextmanager
def _hash_aggregation(con: Any) -> Iterator[None]:
    """PostgreSQL with sorting discouraged (`enable_sort = off`) for one statement: its row
    estimates after the compiled filters are far too low, so it would sort millions of rows
    by text keys to group them instead of hashing."""
    con.raw_sql("SET enable_sort = off").close()
    try:
        yield
    finally:
        con.raw_sql("RESET enable_sort").close()


@contextlib.contextmanager
def duckdb_deprecations() -> Iterator[None]:
    """Silence one DuckDB DeprecationWarning: Ibis 12 calls `fetch_arrow_table`, deprecated in
    DuckDB 2.0 (Ibis's problem, not ours: silenced until an Ibis release uses `to_arrow_table`).
    Shared by `backends` and `aggregate`, so it is public."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", r"fetch_arrow_table\(\) is deprecated", DeprecationWarning
        )
        yield
