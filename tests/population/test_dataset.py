"""Dataset folders are replaced atomically: a crash at any step leaves the previous dataset.

The old importer replaced a dataset with two renames (old aside, new in); a crash between them
left no dataset at `out`. Now `out` is a link swapped in one `os.replace` (population.dataset).
Each test imports dataset A (3 people), then tries to replace it with dataset B (1 person).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pyarrow.parquet as pq
import pytest

from healthgap.errors import ArgumentError
from healthgap.population import dataset
from healthgap.population.importer import import_population
from tests.population._helpers import TODAY, write_csv

A = ["person_id,sex,age", "a1,1,30", "a2,2,40", "a3,9,50"]
B = ["person_id,sex,age", "b1,2,60"]


def people_at(out) -> list[str]:
    """The person ids a reader finds at `out/people.parquet`."""
    return pq.read_table(out / "people.parquet").column("person_id").to_pylist()


@pytest.fixture
def first(tmp_path):
    """Dataset A imported at tmp_path/out; B's input file written beside it."""
    out = tmp_path / "out"
    import_population(write_csv(tmp_path / "a.csv", A), out, today=TODAY)
    write_csv(tmp_path / "b.csv", B)
    assert people_at(out) == ["a1", "a2", "a3"]
    return out


def replace_with_b(out):
    return import_population(out.parent / "b.csv", out, overwrite=True, today=TODAY)


def test_overwrite_swaps_the_link_and_removes_the_old_version(first):
    old_version = first.resolve()
    replace_with_b(first)
    assert people_at(first) == ["b1"]
    assert first.is_symlink() and first.resolve() != old_version
    assert not old_version.exists()
    assert list(dataset.versions_folder(first).iterdir()) == [first.resolve()]


@pytest.mark.parametrize("step", ["commit", "point_link"])
def test_a_failure_before_the_swap_leaves_the_previous_dataset(first, monkeypatch, step):
    def crash(*args, **kwargs):
        raise OSError(f"crash in {step}")

    monkeypatch.setattr(dataset, step, crash)
    with pytest.raises(OSError, match=f"crash in {step}"):
        replace_with_b(first)
    assert people_at(first) == ["a1", "a2", "a3"]
    # B's staged or committed version was removed; A's is the only one left
    assert list(dataset.versions_folder(first).iterdir()) == [first.resolve()]


def test_a_failure_after_the_swap_leaves_the_new_dataset(first, monkeypatch):
    def crash(*args, **kwargs):
        raise OSError("crash in prune")

    monkeypatch.setattr(dataset, "prune", crash)
    with pytest.raises(OSError, match="crash in prune"):
        replace_with_b(first)
    assert people_at(first) == ["b1"]


def test_a_process_killed_before_the_swap_leaves_the_previous_dataset(first):
    """A real crash: the process dies (os._exit, no cleanup) just before the link swap."""
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from healthgap.population import dataset
        from healthgap.population.importer import import_population

        dataset.point_link = lambda link, target: os._exit(9)
        out = Path({str(first)!r})
        import_population(out.parent / "b.csv", out, overwrite=True)
        """
    )
    env = {**os.environ, "HEALTHGAP_VAR_DIR": str(first.parent / "var")}
    killed = subprocess.run([sys.executable, "-c", script], env=env, check=False)
    assert killed.returncode == 9
    assert people_at(first) == ["a1", "a2", "a3"]
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["people"]["rows"] == 3
    # the next overwrite still works, and clears the version the killed process left behind
    replace_with_b(first)
    assert people_at(first) == ["b1"]
    assert list(dataset.versions_folder(first).iterdir()) == [first.resolve()]


def test_an_unversioned_dataset_is_moved_into_the_versions_on_overwrite(tmp_path):
    out = tmp_path / "out"  # a dataset written before versioning: a real folder
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    (out / "people.parquet").write_bytes(b"old")
    import_population(write_csv(tmp_path / "b.csv", B), out, overwrite=True, today=TODAY)
    assert out.is_symlink()
    assert people_at(out) == ["b1"]
    assert list(dataset.versions_folder(out).iterdir()) == [out.resolve()]


def test_only_datasets_are_replaced(tmp_path):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    writing = dataset.writing_dataset(out, overwrite=True)
    with pytest.raises(ArgumentError, match=r"holds no manifest\.json"):
        writing.__enter__()
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert not dataset.versions_folder(out).exists()
