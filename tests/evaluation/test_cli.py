"""`healthgap evaluate`: CSV in, answers out; user errors are one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from healthgap.errors import InputDataError
from healthgap.evaluation.cli import app

runner = CliRunner()


def test_spc_prints_summary_and_writes_csv_and_svg(tmp_path: Path) -> None:
    y = [10.0, 11.0] * 5 + [10.0, 30.0]
    src = tmp_path / "in.csv"
    pd.DataFrame({"month": pd.date_range("2024-01-01", periods=12, freq="MS"), "v": y}).to_csv(
        src, index=False
    )
    out, svg = tmp_path / "points.csv", tmp_path / "chart.svg"
    result = runner.invoke(
        app, ["spc", str(src), "--value", "v", "--date", "month", "--target", "20",
              "--out", str(out), "--svg", str(svg)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "consistent_fail" in result.output  # target 20 above the UPL 14.74
    points = pd.read_csv(out)
    assert list(points["special_cause_type"].tail(1)) == ["Above UCL"]
    assert svg.read_text().startswith("<svg")


def test_did_and_its_print_sentences(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    rows = [
        {"area": a, "year": t, "y": 50 + (3 if a < 6 and t >= 5 else 0) + rng.normal(0, 0.5),
         "in_programme": "yes" if a < 6 else "no", "after": int(t >= 5)}
        for a in range(12) for t in range(8)
    ]  # fmt: skip
    src = tmp_path / "panel.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    result = runner.invoke(
        app, ["did", str(src), "--outcome", "y", "--unit", "area", "--time", "year",
              "--treated", "in_programme", "--post", "after", "--what", "uptake",
              "--event-study"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "uptake rose" in result.output and "Event study" in result.output

    months = pd.date_range("2020-01-01", periods=30, freq="MS")
    y = 5 + 0.1 * np.arange(30) + 2 * (np.arange(30) >= 15) + rng.normal(0, 0.2, 30)
    ts = tmp_path / "series.csv"
    pd.DataFrame({"month": months, "y": y}).to_csv(ts, index=False)
    result = runner.invoke(
        app, ["its", str(ts), "--value", "y", "--date", "month", "--start", "2021-04-01"]
    )
    assert result.exit_code == 0, result.output
    assert "At the start, y rose" in result.output


def test_bad_input_is_a_user_error(tmp_path: Path) -> None:
    src = tmp_path / "panel.csv"
    pd.DataFrame({"area": [1], "year": [1], "y": [1.0], "t": ["maybe"], "p": [1]}).to_csv(src)
    result = runner.invoke(app, ["did", str(src), "--outcome", "y", "--unit", "area", "--time",
                                 "year", "--treated", "t", "--post", "p"])  # fmt: skip
    assert isinstance(result.exception, InputDataError)
    missing = subprocess.run(
        [sys.executable, "-c", "from healthgap.cli import main; main()", "evaluate", "spc",
         str(tmp_path / "nope.csv"), "--value", "v", "--date", "d"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert missing.returncode == 2
    assert "Error: InputDataError: The file" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_numeric_facets_take_targets_by_name(tmp_path: Path) -> None:
    months = pd.date_range("2024-01-01", periods=14, freq="MS")
    src = tmp_path / "f.csv"
    pd.concat([pd.DataFrame({"m": months, "v": [1.0, 2.0] * 7, "k": k}) for k in (1, 2)]).to_csv(
        src, index=False
    )
    # facet 1: 1, 2 seven times: mean 1.5, UPL 4.16 < target 5: consistent fail
    result = runner.invoke(app, ["spc", str(src), "--value", "v", "--date", "m", "--facet", "k",
                                 "--target", "1=5"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "consistent_fail" in result.output
