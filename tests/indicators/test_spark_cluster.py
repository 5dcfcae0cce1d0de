"""The Spark spec tests really ran on the standalone cluster (`make test-spark-cluster`).

`make test` starts a cluster on loopback (scripts/spark_cluster.sh: a master and two workers)
and runs every `spark` test again with HEALTHGAP_SPARK_MASTER=spark://127.0.0.1:7077. These
checks make that run prove what it claims: the session's master is the cluster, both workers
gave it an executor, work was done in the executors' processes, not in the driver, and a whole
`indicators run` on the cluster (results written by the executors as partitioned Parquet)
publishes DuckDB's numbers.
In the main run (local mode) they skip, saying where they run.
"""

from __future__ import annotations

import gc
import os
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators.backends import spark_session
from healthgap.indicators.run import run_indicators
from healthgap.indicators.spark_run import run_on_spark
from healthgap.indicators.store import open_results
from tests.indicators.test_run_pipeline import AREAS
from tests.spec import synthetic

MASTER = os.environ.get("HEALTHGAP_SPARK_MASTER", "")

pytestmark = [
    pytest.mark.spark,
    pytest.mark.xdist_group("spark"),
    pytest.mark.skipif(
        not MASTER.startswith("spark://"),
        reason="Spark cluster NOT TESTED in this run: these run under `make test-spark-cluster` "
        "(HEALTHGAP_SPARK_MASTER=spark://127.0.0.1:7077)",
    ),
]


def test_the_session_runs_on_the_standalone_master_with_two_executors() -> None:
    spark = spark_session()
    assert spark.sparkContext.master == MASTER
    # getExecutorMemoryStatus lists the driver's block manager and one per executor. The
    # workers launch executors after the session starts, so on a busy machine the first look
    # can see none yet: look again for up to two minutes (a wait, not a timing check).
    executors = 0
    for _ in range(120):
        executors = spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1
        if executors >= 2:
            break
        time.sleep(1)
    assert executors >= 2


def test_tasks_run_in_the_executors_not_the_driver() -> None:
    spark = spark_session()
    driver_pid = os.getpid()
    # PySpark leaves collect()'s result socket for the garbage collector, which warns
    # ResourceWarning (the same workaround as backends.execute).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        rdd = spark.sparkContext.parallelize(range(8), 4)
        pids = rdd.map(lambda _: os.getpid()).distinct().collect()
        gc.collect()
    assert driver_pid not in pids
    assert len(pids) >= 2  # one Python worker per executor at least


KEYS = ["indicator_id", "period", "area_type", "area_code", "category_type", "category"]


def test_a_run_on_the_cluster_publishes_duckdbs_numbers_written_by_the_executors(
    tmp_path: Path,
) -> None:
    # The same synthetic population (600 people, 4 LSOAs) run by DuckDB (the checked engine:
    # tests/indicators/test_run_pipeline.py) and by the cluster: every results row and every
    # inequality measure must be identical to the last bit, row order aside.
    catalogue = load_catalogue()
    people, events = synthetic.population(catalogue, n_people=600, n_events=4000, seed=7)
    population = tmp_path / "population"
    population.mkdir()
    people.to_parquet(population / "people.parquet")
    events.to_parquet(population / "events.parquet")
    run_indicators(population, tmp_path / "duckdb", areas=AREAS, repetitions=1000)
    summary = run_on_spark(population, tmp_path / "spark", areas=AREAS, repetitions=1000)

    duck, spark = open_results(tmp_path / "duckdb"), open_results(tmp_path / "spark")
    assert spark.version == summary.results.version
    assert spark.manifest["spark_master"] == MASTER
    # Written by Spark as a folder of Parquet files, one partition folder per area type.
    folder = spark.path / "results.parquet"
    assert folder.is_dir()
    assert {p.name for p in folder.glob("area_type=*")} == {
        f"area_type={level}"
        for level in ("england", "region24", "icb24", "lad24", "msoa21", "lsoa21")
    }
    for table, keys in (("results", KEYS), ("inequalities", None)):
        want, got = duck.table(table), spark.table(table)
        if keys is not None:
            want = want.sort_values(keys, ignore_index=True)
            got = got.sort_values(keys, ignore_index=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert summary.rows == len(duck.table("results"))
