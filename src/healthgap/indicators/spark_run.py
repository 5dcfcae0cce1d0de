"""`healthgap indicators run --backend spark`: the whole run on Spark, results written by the
executors as partitioned Parquet (no collecting the results to the driver).

    people, events (local path or object-store URL, read by the executors)
      -> compile.compile_indicators   (the same Ibis query as DuckDB's, as Spark SQL)
      -> roll-up in Spark SQL         (the SQL of `aggregate`: per LSOA, then every level and
                                       breakdown; sums of integers, so exact)
      -> tidy.statistics per partition (mapInPandas: counts hash-partitioned by result key, so
                                       a DSR's age bands meet in one partition; the same NumPy
                                       code as DuckDB runs, so the same numbers to the bit)
      -> results.parquet/area_type=<level>/part-*.parquet, written by the executors
      -> inequalities from the written IMD, Core20 and ethnicity rows at ICB level and wider
         (a few thousand rows, the only rows the driver reads)
      -> spark_store.SparkPublication: a version folder, then CURRENT flipped

Steps timed (`RunSummary.timings`): "engine" (the compiled query and the per-LSOA pass,
persisted), "aggregate" (labels and the per-LSOA breakdowns, persisted), "statistics" (every
level's counts, the statistics and the Parquet write: one Spark job), "inequalities",
"publish" (manifest and pointer). The DuckDB run (`run.run_indicators`) is the reference;
tests/indicators/test_spark_cluster.py checks the numbers are identical on the cluster.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from healthgap import __version__
from healthgap.indicators import aggregate as agg
from healthgap.indicators.backends import check_parquet, connect
from healthgap.indicators.compile import compile_indicators
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.inequalities import AREA_TYPES, summarise
from healthgap.indicators.loading import load_catalogue
from healthgap.indicators.run import RunSummary, areas_table, complete_areas, population_files
from healthgap.indicators.spark_store import SparkPublication, is_url
from healthgap.indicators.tidy import COLUMNS, KEYS, statistics, with_areas

__all__ = ["STEPS", "run_on_spark"]

STEPS = ("engine", "aggregate", "statistics", "inequalities", "publish")
PEOPLE_PER_PARTITION = 250_000
"""People per shuffle partition (`_partitions`): 5 for the Black Country, 226 for England."""
PARTITION_ROWS = 250_000
"""About this many per-LSOA breakdown rows per statistics partition (each partition is one
pandas frame in one executor; an England run has ~30 million)."""
INEQUALITY_CATEGORIES = ("imd_decile", "core20", "ethnicity5")
_STATS = [c for c in COLUMNS if c not in ("area_name", "parent_code")]
_NUMBERS = {
    "numerator", "denominator", "value", "lowercl", "uppercl", "lower99_8cl", "upper99_8cl",
    "multiplier", "target",
}  # fmt: skip


def run_on_spark(
    population: str | Path,
    out: str | Path,
    *,
    indicator_ids: Sequence[str] | None = None,
    inequalities: bool = True,
    repetitions: int = 100_000,
    on_step: Callable[[str], None] = lambda step: None,
    areas: pd.DataFrame | None = None,
) -> RunSummary:
    """Run the catalogue (or `indicator_ids`) on Spark (`backends.spark_session`: the cluster
    at `$HEALTHGAP_SPARK_MASTER`, else local mode) and publish under `out`.

    `population` and `out` are local folders or object-store URLs (s3a://, abfss://, gs://,
    hdfs://) the executors can reach (docs/indicators.md). The results table is a folder of
    Parquet files partitioned by `area_type`, read by `store.Results.table` like a file.
    """
    indicators = load_catalogue(ids=indicator_ids)
    areas = areas_table() if areas is None else areas
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now
        on_step(name)

    from pyspark import StorageLevel

    disk = StorageLevel.MEMORY_AND_DISK
    con = connect("spark")
    spark = con._session
    shuffle = spark.conf.get("spark.sql.shuffle.partitions")
    tag = uuid.uuid4().hex[:8]
    views: list[str] = []

    def view(short: str, frame: Any) -> str:
        name = f"hg_{short}_{tag}"
        if isinstance(frame, pd.DataFrame):
            frame = spark.createDataFrame(_arrow(frame))
        frame.createOrReplaceTempView(name)
        views.append(name)
        return name

    persisted: list[Any] = []
    try:
        people, events = _inputs(spark, population, view)
        # Shuffle partitions sized to the data (Spark's default, 200, is for large inputs: on
        # an ICB it spends more time scheduling tiny tasks than computing).
        partitions = _partitions(spark, spark.table(people).count())
        spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
        fine = compile_indicators(indicators, con.table(people), con.table(events))
        con._run_pre_execute_hooks(fine)  # registers the compiled query's small tables
        # Persisted: the per-LSOA pass scans the fine rows three times (by ethnicity, sex and
        # age band), which would otherwise run the compiled query three times.
        fine_rows_df = spark.sql(con.compile(fine)).persist(disk)
        persisted.append(fine_rows_df)
        names = {"fine": view("fine", fine_rows_df)}
        names["keys"] = view("keys", agg._keys(indicators))
        names["areas"] = view("areas", areas)
        by_lsoa = spark.sql(
            agg._lsoa_query(names["fine"], names["keys"], integer="BIGINT")
        ).persist(disk)
        persisted.append(by_lsoa)
        names["by_lsoa"] = view("by_lsoa", by_lsoa)
        fine_rows, lsoas, codes = _summary(spark, names["by_lsoa"])
        step("engine")

        complete = complete_areas(pd.Series(lsoas, dtype="str"), areas)
        levels = [level for level in agg.LEVELS if complete[level]]
        names["wanted"] = view("wanted", _wanted(indicators))
        names["labels"] = view("labels", _labels(codes))
        lsoa_cats = spark.sql(agg._LSOA_CATS.format(**names)).persist(disk)
        persisted.append(lsoa_cats)
        names["lsoa_cats"] = view("lsoa_cats", lsoa_cats)
        cat_rows = lsoa_cats.count()
        keep = [(level, code) for level, codes_ in complete.items() for code in codes_]
        names["keep"] = view("keep", pd.DataFrame(keep, columns=["area_type", "area_code"]))
        step("aggregate")

        publication = SparkPublication(spark, out)
        counts = spark.sql(_counts_query(levels, names))
        partitions = max(partitions, cat_rows // PARTITION_ROWS)
        results = _results(spark, counts, indicators, areas, partitions)
        results.write.partitionBy("area_type").parquet(publication.table_url("results"))
        written = spark.read.parquet(publication.table_url("results"))
        rows = written.count()
        step("statistics")

        tables = ["results"]
        if inequalities:
            subset = written.where(
                written["area_type"].isin(list(AREA_TYPES))
                & written["category_type"].isin(list(INEQUALITY_CATEGORIES))
            )
            summary = summarise(_to_pandas(subset), repetitions=repetitions)
            publication.write_small("inequalities", summary)
            tables.append("inequalities")
            step("inequalities")

        manifest = {
            "backend": "spark",
            "spark_master": spark.sparkContext.master,
            "population": str(population),
            "indicators": {i.id: str(i.reviewed) for i in indicators.values()},
            "rows": rows,
            "healthgap_version": __version__,
            "columns": {"results": list(COLUMNS)},
        }
        published = publication.commit(manifest)
        step("publish")
    except BaseException:
        if "publication" in locals():
            publication.abandon()
        raise
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", shuffle)
        for frame in persisted:
            frame.unpersist()
        for name in views:
            spark.catalog.dropTempView(name)
    return RunSummary(published, rows, fine_rows, timings)


def _inputs(spark: Any, population: str | Path, view: Callable[[str, Any], str]) -> tuple[str, str]:
    """Temporary views of the people and events Parquet, read in place by the executors."""
    if is_url(population):
        base = population.rstrip("/")
        files = (f"{base}/people.parquet", f"{base}/events.parquet")
    else:
        files = tuple(str(p.resolve()) for p in population_files(population))
        for file in files:
            check_parquet(file)
    people, events = (spark.read.parquet(file) for file in files)
    return view("people", people), view("events", events)


def _partitions(spark: Any, people: int) -> int:
    """Shuffle partitions: `$HEALTHGAP_SPARK_PARTITIONS`, else one per `PEOPLE_PER_PARTITION`
    people, at least two per executor core (`defaultParallelism`)."""
    configured = os.environ.get("HEALTHGAP_SPARK_PARTITIONS")
    if configured:
        return int(configured)
    return max(2 * spark.sparkContext.defaultParallelism, people // PEOPLE_PER_PARTITION)


def _summary(spark: Any, by_lsoa: str) -> tuple[int, list[str], list[str]]:
    """Fine rows read, the LSOA codes present, and the ethnicity codes present (small)."""
    rows = _to_pandas(spark.sql(f"SELECT SUM(fine_rows) AS n FROM {by_lsoa} WHERE kind = 'sex'"))
    lsoas = _to_pandas(spark.sql(f"SELECT DISTINCT lsoa21 FROM {by_lsoa} WHERE lsoa21 IS NOT NULL"))
    codes = _to_pandas(spark.sql(f"SELECT DISTINCT value FROM {by_lsoa} WHERE kind = 'ethnicity'"))
    total = rows["n"].iloc[0]
    return (
        0 if pd.isna(total) else int(total),
        sorted(lsoas["lsoa21"]),
        sorted(codes["value"]),
    )


def _wanted(indicators: Mapping[str, Indicator]) -> pd.DataFrame:
    """(ind, category_type) for every declared breakdown, a DSR's age band aside (as
    `aggregate.Rollup._wanted`)."""
    rows = [
        (ind, category)
        for ind, indicator in enumerate(indicators.values())
        for category in agg._declared(indicator)
        if not (indicator.method == "dsr" and category == "age_band")
    ]
    return pd.DataFrame(rows, columns=["ind", "category_type"])


def _labels(codes: Sequence[str]) -> pd.DataFrame:
    """(kind, value) -> (category_type, category), as `aggregate.Rollup._labels`."""
    from healthgap.population.ethnicity import ethnic_groups

    series = pd.Series(list(codes), dtype="str")
    groups = ethnic_groups(series)
    rows: list[tuple[str, str, str, str | None]] = [("age_band", "", "age_band", None)]
    for column, source in (("ethnicity5", "census_2021_high_level"),
                           ("ethnicity19", "census_2021_group")):  # fmt: skip
        labels = groups[source].astype("object").where(groups[source].notna(), agg.NOT_KNOWN)
        rows += [("ethnicity", c, column, g) for c, g in zip(series, labels, strict=True)]
    rows += [("sex", code, "sex", label) for code, label in agg.SEXES.items()]
    rows += [("sex", code, "all", "All") for code in agg.SEXES]
    return pd.DataFrame(rows, columns=["kind", "value", "category_type", "category"])


def _results(
    spark: Any,
    counts: Any,
    indicators: Mapping[str, Indicator],
    areas: pd.DataFrame,
    partitions: int,
) -> Any:
    """The results DataFrame: `tidy.statistics` on each hash partition of `counts` (in the
    executors), then area names and parents joined from a small lookup (broadcast)."""
    from pyspark.sql import functions as F

    schema = ", ".join(f"{c} {'double' if c in _NUMBERS else 'string'}" for c in _STATS)

    def compute(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        frames = [b for b in batches if len(b)]
        if not frames:
            return
        out = statistics(pd.concat(frames, ignore_index=True), indicators)
        yield out[_STATS].astype({c: "float64" for c in _NUMBERS})

    stats = counts.repartition(partitions, *KEYS).mapInPandas(compute, schema)
    lookup = spark.createDataFrame(_arrow(_area_lookup(areas)))
    joined = stats.join(F.broadcast(lookup), on="area_code", how="left")
    return joined.select(*COLUMNS)


def _area_lookup(areas: pd.DataFrame) -> pd.DataFrame:
    """area_code -> area_name, parent_code for every area of every level (`tidy.with_areas`)."""
    codes = pd.unique(pd.concat([areas[level] for level in agg.LEVELS[1:]], ignore_index=True))
    frame = pd.DataFrame({"area_code": [*codes, "E92000001"]})
    named = with_areas(frame, areas)[["area_code", "area_name", "parent_code"]]
    return named.astype("object").where(named.notna(), None)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """`frame` as Arrow with all-null columns as text (Spark cannot infer a null type)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _to_pandas(frame: Any) -> pd.DataFrame:
    """A small Spark DataFrame on the driver (through Arrow; see `backends.execute`)."""
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        table = frame.toArrow()
        gc.collect()
    return table.to_pandas()


def _counts_query(levels: Sequence[str], names: Mapping[str, str]) -> str:
    """Every level's counts (steps 2b and 2c of `aggregate`), only complete areas (`keep`),
    with the indicator's id: the columns `tidy.statistics` takes."""
    cats = names["lsoa_cats"]
    parts = []
    for level in levels:
        if level == "lsoa21":
            parts.append(
                f"SELECT ind, period, 'lsoa21' AS area_type, lsoa21 AS area_code, category_type,"
                f" category, age_band, numerator, denominator FROM {cats}"
            )
        else:
            parts.append(
                f"SELECT c.ind, c.period, '{level}' AS area_type, {agg._code(level)} AS area_code,"
                f" c.category_type, c.category, c.age_band, SUM(c.numerator) AS numerator,"
                f" SUM(c.denominator) AS denominator FROM {cats} c"
                f" LEFT JOIN {names['areas']} a ON a.lsoa21 = c.lsoa21 GROUP BY ALL"
            )
    wider = [level for level in levels if level != "lsoa21"]
    if wider:
        parts.append(agg._area_category_query(wider, names, text="STRING"))
    union = " UNION ALL ".join(f"({part})" for part in parts)
    return f"""
SELECT i.indicator_id, c.period, c.area_type, c.area_code, c.category_type, c.category,
       c.age_band, CAST(c.numerator AS BIGINT) AS numerator,
       CAST(c.denominator AS BIGINT) AS denominator
FROM ({union}) c
JOIN {names["keep"]} kp ON kp.area_type = c.area_type AND kp.area_code = c.area_code
JOIN (SELECT DISTINCT ind, indicator_id FROM {names["keys"]}) i ON i.ind = c.ind
"""
