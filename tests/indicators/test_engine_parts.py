"""The DuckDB engine run in parts (people split by a hash of person_id) to bound its memory:
each person in exactly one part, and the published results identical to a one-part run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators import run as run_module
from healthgap.indicators.backends import connect, load_tables
from healthgap.indicators.run import _gigabytes, engine_parts, person_part, run_indicators
from healthgap.indicators.store import open_results
from tests.indicators.test_run_pipeline import AREAS
from tests.spec import synthetic

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    people, events = synthetic.population(CATALOGUE, n_people=600, n_events=4000, seed=11)
    folder = tmp_path_factory.mktemp("population")
    people.to_parquet(folder / "people.parquet")
    events.to_parquet(folder / "events.parquet")
    return folder


@pytest.mark.parametrize(
    ("size", "gb"),
    [("6144MB", 6.144), ("4GB", 4.0), ("4 GiB", 4.0), ("500MB", 0.5), ("2048KB", 0.002048)],
)
def test_duckdb_sizes_in_gigabytes(size: str, gb: float) -> None:
    assert _gigabytes(size) == pytest.approx(gb)


def test_parts_grow_with_people_and_shrink_with_memory(population, monkeypatch) -> None:
    people = population / "people.parquet"
    monkeypatch.setenv("HEALTHGAP_DUCKDB_MEMORY", "2GB")
    assert engine_parts(people, "duckdb") == 1  # 600 people, 3 million per part
    monkeypatch.setattr(run_module, "PEOPLE_PER_GB", 100)
    assert engine_parts(people, "duckdb") == 3  # 100 x 2 GB = 200 people a part: 600 / 200
    monkeypatch.setenv("HEALTHGAP_DUCKDB_MEMORY", "1500MB")
    assert engine_parts(people, "duckdb") == 4  # 150 a part: 600 / 150
    assert engine_parts(people, "postgres") == 1


def test_every_person_and_event_falls_in_exactly_one_part(population) -> None:
    con = connect("duckdb")
    tables = load_tables(con, population / "people.parquet", population / "events.parquet")
    for table in (tables.people, tables.events):
        whole = table.to_pyarrow().to_pandas()
        whole = whole.sort_values(list(table.columns)).reset_index(drop=True)
        parts = [person_part(table, k, 3).to_pyarrow().to_pandas() for k in range(3)]
        assert all(len(p) for p in parts)
        ids = [set(p["person_id"]) for p in parts]
        assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
        joined = pd.concat(parts).sort_values(list(table.columns))
        pd.testing.assert_frame_equal(joined.reset_index(drop=True), whole)
    assert person_part(tables.people, 0, 1) is tables.people


def test_a_run_in_parts_publishes_the_same_results(population, tmp_path, monkeypatch) -> None:
    one = run_indicators(population, tmp_path / "one", areas=AREAS, inequalities=False)
    monkeypatch.setenv("HEALTHGAP_DUCKDB_MEMORY", "1GB")
    monkeypatch.setattr(run_module, "PEOPLE_PER_GB", 150)  # 600 people: 4 parts
    done: list[tuple[int, int]] = []
    four = run_indicators(
        population,
        tmp_path / "four",
        areas=AREAS,
        inequalities=False,
        on_part=lambda d, n: done.append((d, n)),
    )
    assert done == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert four.rows == one.rows
    keys = ["indicator_id", "period", "area_type", "area_code", "category_type", "category"]
    want, got = (
        open_results(tmp_path / name).table("results").sort_values(keys, ignore_index=True)
        for name in ("one", "four")
    )
    pd.testing.assert_frame_equal(got, want, check_exact=True)
