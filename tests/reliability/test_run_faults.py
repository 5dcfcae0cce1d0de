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

from healthgap.errors import DataSourceError, HealthgapError
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


class _Dropper:
    """Patches `run_indicators` so that, when armed, the run's own PostgreSQL connection is
    ended with pg_terminate_backend (from a second connection) after the query is compiled
    and before it runs. The shared server keeps running."""

    def __init__(self, monkeypatch, url: str) -> None:
        self.url, self.armed, self.opened = url, False, []
        real_connect, real_compile = run_module.connect, run_module.compile_indicators

        def connect(backend: str):
            self.opened.append(real_connect(backend))
            return self.opened[-1]

        def compile_then_drop(*args, **kwargs):
            compiled = real_compile(*args, **kwargs)
            if self.armed:
                self.armed = False
                self.terminate()
            return compiled

        monkeypatch.setattr(run_module, "connect", connect)
        monkeypatch.setattr(run_module, "compile_indicators", compile_then_drop)

    def terminate(self) -> None:
        import psycopg

        pid = self.opened[-1].con.info.backend_pid
        with psycopg.connect(self.url, autocommit=True) as admin:
            ended = admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
        assert ended == (True,)

    def close(self) -> None:
        for con in self.opened:
            with contextlib.suppress(Exception):
                con.disconnect()


@pytest.mark.postgres
def test_postgres_dropping_the_connection_mid_run_keeps_the_last_results(
    population, tmp_path, monkeypatch
):
    """pg_terminate_backend on the run's own connection: a one-line BackendConnectionError
    (a HealthgapError, not psycopg's traceback), the last results live, then recovery."""
    out = tmp_path / "results"
    dropper = _Dropper(monkeypatch, _pg_url())
    try:
        good = _run(population, out, backend="postgres").results
        dropper.armed = True
        with pytest.raises(run_module.BackendConnectionError) as caught:
            _run(population, out, backend="postgres")
        assert isinstance(caught.value, HealthgapError)
        assert "The postgres connection failed during the indicators run" in str(caught.value)
        assert "Nothing was published" in str(caught.value)
        assert open_results(out).version == good.version
        assert hidden_entries(out / "versions") == []
        again = _run(population, out, backend="postgres").results  # a new connection: recovered
    finally:
        dropper.close()
    assert open_results(out).version == again.version != good.version
    key = ["indicator_id", "area_code", "category_type", "category", "period"]
    before, after = (
        r.table("results").sort_values(key).reset_index(drop=True) for r in (good, again)
    )
    pd.testing.assert_frame_equal(before, after)


@pytest.mark.postgres
def test_the_cli_reports_a_dropped_postgres_connection_as_one_line_exit_2(
    population, tmp_path, monkeypatch, capsys
):
    """`healthgap indicators run --backend postgres` with the connection ended mid-run."""
    from healthgap import cli

    out = tmp_path / "results"
    dropper = _Dropper(monkeypatch, _pg_url())
    monkeypatch.setattr(run_module, "areas_table", lambda: AREAS)
    args = ["--population", str(population), "--out", str(out), "--backend", "postgres"]
    args += ["--indicator", INDICATORS[0], "--no-inequalities"]
    try:
        good = _run(population, out, backend="postgres").results
        capsys.readouterr()
        dropper.armed = True
        monkeypatch.setattr("sys.argv", ["healthgap", "indicators", "run", *args])
        with pytest.raises(SystemExit) as exited:
            cli.main()
    finally:
        dropper.close()
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: BackendConnectionError: The postgres connection failed")
    assert open_results(out).version == good.version
    assert hidden_entries(out / "versions") == []


def test_a_refused_postgres_connection_is_a_one_line_error(population, tmp_path, monkeypatch):
    """A port nothing listens on: BackendConnectionError before anything is written."""
    with socket.socket() as probe:  # a free loopback port, closed again: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("HEALTHGAP_PG_URL", f"postgres://postgres@127.0.0.1:{port}/postgres")
    out = tmp_path / "results"
    with pytest.raises(run_module.BackendConnectionError, match="Nothing was published"):
        _run(population, out, backend="postgres")
    assert not out.exists()


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
