"""Loading person-level data into a backend (DuckDB here; the spec tests cover every engine)."""

from __future__ import annotations

import os

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from healthgap.errors import ArgumentError
from healthgap.indicators import load_catalogue
from healthgap.indicators.backends import (
    connect,
    duckdb_memory_limit,
    execute_finest,
    spark_master,
    to_arrow,
)
from healthgap.indicators.compile import compile_indicators
from healthgap.population.schema import PEOPLE
from tests.spec.tables import counts

FLU = load_catalogue(ids=["flu_vaccination_65_plus"])


def test_parquet_files_read_in_place_with_optional_columns_missing(tmp_path):
    # A people file with only age (no birth month, ethnicity, LSOA or registration end).
    pq.write_table(
        pa.table(
            {
                "person_id": ["p1", "p2", "p3"],
                "sex": ["1", "2", "2"],
                "age": pa.array([70, 80, 50], pa.int16()),
                "registration_start": pa.array([pd.Timestamp("2000-01-01").date()] * 3),
            }
        ),
        tmp_path / "people.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "person_id": ["p1", "p3"],
                "event_type": ["vaccination", "vaccination"],
                "code": ["822851000000102", "822851000000102"],
                "date": pa.array([pd.Timestamp("2024-10-01").date()] * 2),
            }
        ),
        tmp_path / "events.parquet",
    )
    result = execute_finest(
        connect("duckdb"), FLU, tmp_path / "people.parquet", tmp_path / "events.parquet"
    )
    # p1 and p2 are 65+ (ages as given); p1 is vaccinated; p3 is 50. No ethnicity: 99.
    assert counts(result, period="2024/25") == (1, 1 + 1)
    assert set(result["ethnicity"]) == {"99"}
    assert result["lsoa21"].isna().all()


def test_to_arrow_requires_the_required_columns():
    with pytest.raises(ArgumentError, match="The people table has no 'sex' column"):
        to_arrow(pd.DataFrame({"person_id": ["p1"]}), PEOPLE)


def test_unknown_backend():
    with pytest.raises(ArgumentError, match="Unknown backend 'sqlite'; choose one of duckdb"):
        connect("sqlite")


def test_nothing_to_compile():
    people = ibis.table({"person_id": "string", "sex": "string"}, name="people")
    events = ibis.table({"person_id": "string"}, name="events")
    with pytest.raises(ArgumentError, match="needs at least one indicator"):
        compile_indicators({}, people, events)


def test_duckdb_memory_limit_and_spill_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HEALTHGAP_DUCKDB_MEMORY", "1500MB")
    con = connect("duckdb")
    limit, spill = con.con.execute(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchone()
    assert limit == "1.3 GiB"  # DuckDB reports 1,500 MB (10^6 bytes) in GiB
    assert spill.endswith(f"healthgap-duckdb-{os.getpid()}")


def test_default_duckdb_memory_limit_is_at_most_6_gb(monkeypatch):
    monkeypatch.delenv("HEALTHGAP_DUCKDB_MEMORY", raising=False)
    megabytes = int(duckdb_memory_limit().removesuffix("MB"))
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert megabytes == min(6 * 1024, int(physical * 0.8) // 1024**2)


@pytest.mark.parametrize(
    ("environ", "master"),
    [
        ({}, "local[2]"),
        ({"HEALTHGAP_SPARK_MASTER": "spark://head:7077"}, "spark://head:7077"),
        ({"HEALTHGAP_SPARK_MASTER": "yarn", "MASTER": "local[4]"}, "yarn"),
        ({"SPARK_REMOTE": "sc://head:15002"}, None),
        ({"PYSPARK_SUBMIT_ARGS": "--master spark://head:7077 pyspark-shell"}, None),
        ({"PYSPARK_SUBMIT_ARGS": "--driver-memory 4g pyspark-shell"}, "local[2]"),
        ({"PYSPARK_GATEWAY_PORT": "40000"}, None),
    ],
)
def test_spark_master(environ, master):
    # None: Spark keeps the master it was given from outside (Spark Connect, spark-submit).
    assert spark_master(environ) == master
