"""Faults while publishing: a writer killed mid-publish, a second writer, a full or read-only disk.

In every case the error is clear (a `HealthgapError` naming the store and what to do), the last
good version stays live and complete, and nothing half-written becomes visible; the next run
succeeds with no manual clean-up (docs/reliability.md, "Faults").
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from healthgap.errors import HealthgapError
from healthgap.indicators import store
from healthgap.population.importer import import_population
from healthgap.publish import PublishError, PublishLockedError
from tests.reliability._faults import (
    KEY,
    PEOPLE_CSV,
    hidden_entries,
    kill,
    nhs_numbers,
    paused_writer,
    remount,
    results_frame,
    tmpfs,
)

STORE_SCRIPT = (
    "import sys, pandas as pd\n"
    "from healthgap.indicators import store\n"
    "store.publish({root!r}, {{'results': pd.DataFrame({{'a': [2], 'b': ['y']}})}}, {{}})\n"
)


def _publish_in_child(
    root: Path, tmp_path: Path, at: str = "healthgap.indicators.store:point_file"
):
    return paused_writer(at, STORE_SCRIPT.format(root=str(root)), tmp_path)


def test_a_store_publish_killed_before_the_pointer_swap_leaves_the_last_version(tmp_path):
    root = tmp_path / "results"
    first = store.publish(root, {"results": results_frame(1)}, {})
    with _publish_in_child(root, tmp_path) as child:
        kill(child)  # the new version folder is complete on disk, CURRENT not yet swapped
    live = store.open_results(root)
    assert live.version == first.version
    assert live.table("results")["a"].tolist() == [1]
    # The next run goes ahead (the dead writer's lock went with it) and becomes live.
    again = store.publish(root, {"results": results_frame(3)}, {})
    assert store.open_results(root).version == again.version
    assert store.open_results(root).table("results")["a"].tolist() == [3]


def test_a_store_publish_killed_while_writing_tables_shows_nothing(tmp_path):
    root = tmp_path / "results"
    store.publish(root, {"results": results_frame(1)}, {})
    with _publish_in_child(root, tmp_path, at="healthgap.indicators.store:commit") as child:
        kill(child)
    # Only the staging folder (a hidden ".<version>.partial") is left; readers never see it.
    assert [p.name for p in (root / "versions").iterdir() if not p.name.startswith(".")] == [
        store.open_results(root).version
    ]
    assert store.open_results(root).table("results")["a"].tolist() == [1]


def test_a_second_publish_while_one_is_publishing_is_refused_naming_the_holder(tmp_path):
    root = tmp_path / "results"
    first = store.publish(root, {"results": results_frame(1)}, {})
    with _publish_in_child(root, tmp_path) as child:
        with pytest.raises(PublishLockedError) as caught:
            store.publish(root, {"results": results_frame(9)}, {})
        message = str(caught.value)
        assert f"pid {child.pid}" in message
        assert "Another run is publishing to" in message and str(root) in message
        assert isinstance(caught.value, HealthgapError)
        assert store.open_results(root).version == first.version
    # After the holder ends, publishing works again.
    store.publish(root, {"results": results_frame(4)}, {})
    assert store.open_results(root).table("results")["a"].tolist() == [4]


def test_a_full_disk_ends_in_a_clear_error_and_the_last_version_stays(tmp_path):
    with tmpfs(tmp_path / "disk", "256k") as disk:
        root = disk / "results"
        store.publish(root, {"results": results_frame(1)}, {})
        # About 30 MB of text: far more than the 256 KiB left.
        big = results_frame(2, rows=300_000).assign(
            b=[os.urandom(50).hex() for _ in range(300_000)]
        )
        with pytest.raises(PublishError, match="No space left on device") as caught:
            store.publish(root, {"results": big}, {})
        assert "the last published version, if any, is unchanged" in str(caught.value)
        assert store.open_results(root).table("results")["a"].tolist() == [1]
        assert hidden_entries(root / "versions") == []  # the partial version was removed
        assert pq.read_table(store.open_results(root).path / "results.parquet").num_rows == 1


def test_a_read_only_results_folder_ends_in_a_clear_error(tmp_path):
    with tmpfs(tmp_path / "disk", "1m") as disk:
        root = disk / "results"
        first = store.publish(root, {"results": results_frame(1)}, {})
        remount(disk, read_only=True)
        with pytest.raises(PublishError, match="Read-only file system") as caught:
            store.publish(root, {"results": results_frame(2)}, {})
        assert str(root) in str(caught.value)
        assert store.open_results(root).version == first.version
        remount(disk, read_only=False)
        store.publish(root, {"results": results_frame(3)}, {})
        assert store.open_results(root).table("results")["a"].tolist() == [3]


IMPORT_SCRIPT = (
    "from healthgap.population.importer import import_population\n"
    "from tests.reliability._faults import KEY\n"
    "import_population({people!r}, {out!r}, key=KEY, overwrite=True)\n"
)


def _import(tmp_path: Path, out: Path, age: str = "42") -> None:
    people = tmp_path / f"people-{age}.csv"
    people.write_text(PEOPLE_CSV.replace(",42,", f",{age},"), encoding="utf-8")
    import_population(people, out, key=KEY, overwrite=True)


def test_a_population_import_killed_during_publish_leaves_the_last_dataset(tmp_path):
    out = tmp_path / "population"
    _import(tmp_path, out, age="42")
    people = tmp_path / "people-new.csv"
    people.write_text(PEOPLE_CSV.replace(",42,", ",43,"), encoding="utf-8")
    script = IMPORT_SCRIPT.format(people=str(people), out=str(out))
    with paused_writer("healthgap.population.dataset:point_link", script, tmp_path) as child:
        with pytest.raises(PublishLockedError, match=f"pid {child.pid}"):
            _import(tmp_path, out, age="44")
        kill(child)
    assert sorted(pq.read_table(out / "people.parquet").column("age").to_pylist()) == [30, 42]
    _import(tmp_path, out, age="45")  # recovers by itself: no stale lock, no manual clean-up
    assert sorted(pq.read_table(out / "people.parquet").column("age").to_pylist()) == [30, 45]


def test_a_population_import_onto_a_full_disk_writes_nothing(tmp_path):
    with tmpfs(tmp_path / "disk", "128k") as disk:
        out = disk / "population"
        many = "".join(
            f"{number},F,30,,B,E01000002,M85002,2011-01-01,\n" for number in nhs_numbers(20_000)
        )
        people = tmp_path / "many.csv"
        people.write_text(PEOPLE_CSV + many, encoding="utf-8")
        with pytest.raises(PublishError, match="No space left on device"):
            import_population(people, out, key=KEY)
        assert not out.exists()
        assert hidden_entries(disk) == []
