"""The results store publishes whole versions and swaps the pointer atomically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from healthgap.errors import DataSourceError
from healthgap.indicators import store


def test_publish_then_open_reads_the_live_version(tmp_path: Path) -> None:
    first = store.publish(tmp_path, {"results": pd.DataFrame({"a": [1]})}, {"backend": "duckdb"})
    second = store.publish(tmp_path, {"results": pd.DataFrame({"a": [2]})}, {"backend": "duckdb"})
    live = store.open_results(tmp_path)
    assert live.version == second.version != first.version
    assert live.table("results")["a"].tolist() == [2]
    assert live.manifest["backend"] == "duckdb"


def test_a_reader_holding_the_old_version_keeps_reading_it(tmp_path: Path) -> None:
    store.publish(tmp_path, {"results": pd.DataFrame({"a": [1]})}, {})
    reader = store.open_results(tmp_path)
    store.publish(tmp_path, {"results": pd.DataFrame({"a": [2]})}, {})
    assert reader.table("results")["a"].tolist() == [1]


def test_a_failed_write_leaves_the_live_version_untouched(tmp_path: Path) -> None:
    store.publish(tmp_path, {"results": pd.DataFrame({"a": [1]})}, {})

    class Unwritable(pd.DataFrame):
        def to_parquet(self, *args: object, **kwargs: object) -> None:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store.publish(tmp_path, {"results": Unwritable({"a": [9]})}, {})
    assert store.open_results(tmp_path).table("results")["a"].tolist() == [1]
    assert not [p for p in (tmp_path / "versions").iterdir() if p.name.startswith(".")]


def test_old_versions_are_pruned_but_never_the_live_one(tmp_path: Path) -> None:
    for i in range(4):
        store.publish(tmp_path, {"results": pd.DataFrame({"a": [i]})}, {}, keep=2)
    assert len(list((tmp_path / "versions").iterdir())) == 2
    assert store.open_results(tmp_path).table("results")["a"].tolist() == [3]


def test_missing_store_and_missing_table_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="indicators run"):
        store.open_results(tmp_path)
    store.publish(tmp_path, {"results": pd.DataFrame({"a": [1]})}, {})
    with pytest.raises(DataSourceError, match="no 'inequalities' table"):
        store.open_results(tmp_path).table("inequalities")
