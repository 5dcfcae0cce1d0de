"""Where a Spark run reads and writes (no Spark needed here): object-store URLs only with the
Spark backend, the versioned publish into a local store, and reading a results table that Spark
wrote as a folder of Parquet files partitioned by area type.

The run itself on the cluster is tests/indicators/test_spark_cluster.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from healthgap.errors import ArgumentError
from healthgap.indicators.spark_store import SparkPublication, check_location, is_url
from healthgap.indicators.store import open_results


@pytest.mark.parametrize(
    "url", ["s3a://nhs-bucket/population", "abfss://data@account.dfs.core.windows.net/pop"]
)
def test_object_store_urls_pass_through_for_spark(url: str) -> None:
    assert is_url(url)
    assert check_location(url, "spark", "--population") == url  # not Path(): keeps the "//"


def test_a_plain_folder_stays_a_path() -> None:
    assert not is_url("var/population")
    assert check_location("var/population", "duckdb", "--out") == Path("var/population")


def test_an_object_store_url_on_duckdb_says_to_use_spark() -> None:
    with pytest.raises(ArgumentError, match=r"only the Spark backend.*--backend spark"):
        check_location("s3a://bucket/population", "duckdb", "--population")


def test_an_unknown_scheme_is_named() -> None:
    with pytest.raises(ArgumentError, match="unknown URL scheme 'ftp'"):
        check_location("ftp://host/population", "spark", "--population")


def test_the_cli_refuses_a_url_for_postgres_before_running() -> None:
    from healthgap.cli import app

    result = CliRunner().invoke(
        app,
        ["indicators", "run", "--population", "abfss://c@a.dfs.core.windows.net/p",
         "--out", "var/never-written", "--backend", "postgres"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "only the Spark backend" in str(result.exception)
    assert not Path("var/never-written").exists()


def _partitioned(folder: Path) -> pd.DataFrame:
    """A results-like table written as Spark writes it: one folder per area type, the
    partition column left out of the files."""
    frame = pd.DataFrame(
        {
            "indicator_id": ["a", "a", "b"],
            "area_type": ["icb24", "lsoa21", "icb24"],
            "area_code": ["E54000062", "E01000001", "E54000062"],
            "value": [1.5, 2.5, 3.5],
        }
    )
    pq.write_to_dataset(pa.Table.from_pandas(frame), folder, partition_cols=["area_type"])
    return frame


def test_a_local_publication_goes_live_only_on_commit(tmp_path: Path) -> None:
    store = tmp_path / "results"
    publication = SparkPublication(None, store)  # a local store needs no Spark for this
    frame = _partitioned(Path(publication.table_url("results")))
    assert not (store / "CURRENT").exists()  # written, not yet published
    live = publication.commit({"rows": 3, "columns": {"results": list(frame.columns)}})
    reread = open_results(store)
    assert reread.version == live.version
    got = reread.table("results")
    # Columns in the manifest's order (the partition column is not last), area_type as text.
    assert list(got.columns) == ["indicator_id", "area_type", "area_code", "value"]
    assert not isinstance(got["area_type"].dtype, pd.CategoricalDtype)
    got = got.sort_values(["indicator_id", "area_code"], ignore_index=True)
    want = frame.sort_values(["indicator_id", "area_code"], ignore_index=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_an_abandoned_publication_leaves_the_live_version(tmp_path: Path) -> None:
    store = tmp_path / "results"
    first = SparkPublication(None, store)
    _partitioned(Path(first.table_url("results")))
    live = first.commit({"rows": 3})
    second = SparkPublication(None, store)
    _partitioned(Path(second.table_url("results")))
    second.abandon()
    assert open_results(store).version == live.version
    assert [p.name for p in (store / "versions").iterdir()] == [live.version]
