"""`healthgap priorities`: prints the ranked list, exports it and publishes it into the store.

Core20 flags come from the geography tests' fixture mirror (LSOAs E01000001-2 are Core20).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap.errors import ArgumentError, DataSourceError
from healthgap.geography import DataConfig
from healthgap.indicators import IndicatorDefinitionError
from healthgap.indicators.store import open_results
from healthgap.priorities import COLUMNS, core20_flags
from healthgap.priorities.cli import app
from tests.geography.mirror_fixture import write_mirror
from tests.priorities.stores import ENGLAND, LAD, MSOA, lsoa, row, store

runner = CliRunner()


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the geography loaders at the fixture mirror, with its IMD table already cached
    (the fixture files are not the registered ones, so they only load unverified)."""
    mirror, var = write_mirror(tmp_path / "mirror"), tmp_path / "var"
    core20_flags("lsoa21", DataConfig(mirror=mirror, var=var, verify=False))
    monkeypatch.setenv("HEALTHGAP_DATA_DIR", str(mirror))
    monkeypatch.setenv("HEALTHGAP_VAR_DIR", str(var))
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def results(tmp_path: Path) -> Path:
    rows = [row("flu_vaccination_65_plus", area, 1, 2) for area in (ENGLAND, LAD, MSOA)]
    rows += [
        row("flu_vaccination_65_plus", lsoa(1), 30, 60, 50.0, (40.0, 60.0)),
        row("flu_vaccination_65_plus", lsoa(2), 60, 100, 60.0, (50.0, 70.0)),
        row("flu_vaccination_65_plus", lsoa(3), 70, 100, 70.0, (60.0, 80.0)),
    ]
    store(tmp_path / "results", rows)
    return tmp_path / "results"


def test_prints_ranked_explanations_and_publishes_a_new_version(
    results: Path, tmp_path: Path
) -> None:
    before = open_results(results)
    out = tmp_path / "export" / "top.csv"
    got = runner.invoke(app, ["--results", str(results), "--top", "2", "--out", str(out)])
    assert got.exit_code == 0, got.output
    # 50% of 60 -> (75 - 50) * 0.6 = 15 people, lower limit (75 - 60) * 0.6 = 9;
    # 60% of 100 -> 15 people too, lower limit (75 - 70) * 1 = 5, so second; 70% of 100 -> 5.
    assert "Greatest potential to benefit: top 2 of 3 areas, per indicator" in got.output
    assert "15 people" in got.output
    assert "Flu vaccination coverage, people aged 65 and over in Walsall 001A" in got.output
    assert "Walsall 001C" not in got.output
    assert "; Core20; Core20PLUS5" in got.output
    exported = pd.read_csv(out)
    assert list(exported.columns) == COLUMNS
    assert exported["area_code"].tolist() == ["E01000001", "E01000002", "E01000003"]
    after = open_results(results)
    assert after.version != before.version
    assert after.table("priorities")["rank"].tolist() == [1, 2, 3]
    pd.testing.assert_frame_equal(after.table("results"), before.table("results"))
    pd.testing.assert_frame_equal(after.table("inequalities"), before.table("inequalities"))
    assert after.manifest["backend"] == "duckdb"
    assert after.manifest["priorities"]["from_version"] == before.version
    assert after.manifest["priorities"]["rows"] == 3


def test_parquet_export_and_no_publish(results: Path, tmp_path: Path) -> None:
    before = open_results(results).version
    out = tmp_path / "all.parquet"
    got = runner.invoke(
        app,
        ["--results", str(results), "--indicator", "flu_vaccination_65_plus", "--out", str(out),
         "--no-publish"],
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    assert len(pd.read_parquet(out)) == 3
    assert open_results(results).version == before


def test_republishing_replaces_the_priorities_table(results: Path) -> None:
    assert runner.invoke(app, ["--results", str(results)]).exit_code == 0
    assert runner.invoke(app, ["--results", str(results), "--top", "1"]).exit_code == 0
    assert len(open_results(results).table("priorities")) == 3


def test_user_errors(results: Path, tmp_path: Path) -> None:
    got = runner.invoke(app, ["--results", str(results), "--out", str(tmp_path / "x.xlsx")])
    assert isinstance(got.exception, ArgumentError)
    assert "--out must end in .csv or .parquet" in str(got.exception)
    got = runner.invoke(app, ["--results", str(tmp_path / "nowhere")])
    assert isinstance(got.exception, DataSourceError)
    got = runner.invoke(app, ["--results", str(results), "--level", "ward24"])
    assert isinstance(got.exception, ArgumentError)
    assert "the results have no 'ward24' rows" in str(got.exception)
    got = runner.invoke(app, ["--results", str(results), "--indicator", "flu_vaccination"])
    assert isinstance(got.exception, IndicatorDefinitionError)
    assert "Did you mean 'flu_vaccination_65_plus'?" in str(got.exception)


def test_combined_view_with_weights_and_a_bad_weight(results: Path) -> None:
    got = runner.invoke(
        app,
        ["--results", str(results), "--view", "combined", "--weight",
         "flu_vaccination_65_plus=2", "--no-publish"],
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    assert "combined across indicators" in got.output
    got = runner.invoke(app, ["--results", str(results), "--weight", "flu=lots"])
    assert isinstance(got.exception, ArgumentError)
    assert "--weight must look like INDICATOR_ID=NUMBER" in str(got.exception)
