"""Faults during an indicators run: PostgreSQL dropping the run's connection, corrupt inputs.

The run ends in an error that says what happened, the last good results stay live, nothing
half-written is left, and the next run succeeds by itself (docs/reliability.md, "Faults").
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from healthgap.errors import DataSourceError
from healthgap.indicators import load_catalogue
from healthgap.indicators import run as run_module
from healthgap.indicators.backends import DEFAULT_PG_URL
from healthgap.indicators.store import open_results
from healthgap.population.importer import import_population
from healthgap.population.problems import PopulationImportError
from tests.indicators.test_run_pipeline import AREAS
from tests.reliability._faults import KEY, PEOPLE_CSV, hidden_entries
from tests.spec import synthetic

INDICATORS = ["flu_vaccination_65_plus"]


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("population")
    people, events = synthetic.population(load_catalogue(ids=INDICATORS), 200, 800, seed=3)
    people.to_parquet(folder / "people.parquet")
    events.to_parquet(folder / "events.parquet")
    return folder


def _run(population: Path, out: Path, backend: str = "duckdb"):
    return run_module.run_indicators(
        population, out, backend=backend, areas=AREAS, indicator_ids=INDICATORS, inequalities=False
    )


def _pg_url() -> str:
    url = os.environ.get("HEALTHGAP_PG_URL", DEFAULT_PG_URL)
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 1):
            return url
    except OSError as error:
        pytest.skip(f"PostgreSQL NOT TESTED: nothing listening for {url} ({error})")


@pytest.mark.postgres
def test_postgres_dropping_the_connection_mid_run_keeps_the_last_results(
    population, tmp_path, monkeypatch
):
    """pg_terminate_backend on the run's own connection (the shared server keeps running)."""
    import psycopg

    url = _pg_url()
    out = tmp_path / "results"
    real_connect, real_compile = run_module.connect, run_module.compile_indicators
    opened: list = []
    drop = {"next": False}

    def connect(backend: str):
        opened.append(real_connect(backend))
        return opened[-1]

    def compile_then_drop(*args, **kwargs):
        compiled = real_compile(*args, **kwargs)
        if drop["next"]:
            drop["next"] = False
            pid = opened[-1].con.info.backend_pid
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return compiled

    monkeypatch.setattr(run_module, "connect", connect)
    monkeypatch.setattr(run_module, "compile_indicators", compile_then_drop)
    try:
        good = _run(population, out, backend="postgres").results
        drop["next"] = True
        with pytest.raises(psycopg.OperationalError, match="terminating connection"):
            _run(population, out, backend="postgres")
        assert open_results(out).version == good.version
        assert hidden_entries(out / "versions") == []
        again = _run(population, out, backend="postgres").results  # a new connection: recovered
    finally:
        for con in opened:
            with contextlib.suppress(Exception):
                con.disconnect()
    assert open_results(out).version == again.version != good.version
    key = ["indicator_id", "area_code", "category_type", "category", "period"]
    before, after = (
        r.table("results").sort_values(key).reset_index(drop=True) for r in (good, again)
    )
    pd.testing.assert_frame_equal(before, after)


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_corrupt_parquet_input_is_named_and_the_last_results_stay(population, tmp_path, damage):
    out = tmp_path / "results"
    good = _run(population, out).results
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "people.parquet").write_bytes((population / "people.parquet").read_bytes())
    data = (population / "events.parquet").read_bytes()
    bad = data[: len(data) // 2] if damage == "truncated" else b"PAR1" + bytes(200)
    (broken / "events.parquet").write_bytes(bad)
    with pytest.raises(DataSourceError, match="not a readable Parquet file") as caught:
        _run(broken, out)
    assert str(broken / "events.parquet") in str(caught.value)
    assert open_results(out).version == good.version
    assert hidden_entries(out / "versions") == []


@pytest.mark.parametrize(
    ("name", "content", "explained"),
    [
        ("people.parquet", b"PAR1" + bytes(100) + b"PAR1", "people"),
        ("people.csv", PEOPLE_CSV.encode()[:60] + b"\xff\xfe\x00garbage\n", "people"),
        ("people.csv", b"", "people"),
    ],
)
def test_a_corrupt_population_file_is_rejected_with_nothing_written(
    tmp_path, name, content, explained
):
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "population"
    with pytest.raises(PopulationImportError, match="nothing was written") as caught:
        import_population(source, out, key=KEY)
    problems = caught.value.to_frame()
    assert len(problems) >= 1
    assert (problems["table"] == explained).all()
    assert not out.exists()
    assert hidden_entries(tmp_path) == []
