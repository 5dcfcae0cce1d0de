"""`healthgap population import`: exit codes, the problem table, no raw numbers, no traceback."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from healthgap.population.cli import app
from tests.population._helpers import run_main, write_csv

runner = CliRunner()
GOOD = ["nhs_number,sex,age", "943 476 5919,M,42", "4010232137,2,30"]
BAD = ["nhs_number,sex,age", "9434765918,X,42", "4010232137,2,30"]


def test_import_succeeds(tmp_path):
    people = write_csv(tmp_path / "people.csv", GOOD)
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", "--people", str(people), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 people into" in result.output
    assert "Created a new pseudonym key" in result.output  # the first import makes the key
    assert (out / "people.parquet").is_file()


def test_rejected_import_prints_problems_and_exits_2(tmp_path):
    people = write_csv(tmp_path / "people.csv", BAD)
    report = tmp_path / "report.csv"
    args = ["import", "--people", str(people), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, "--report", str(report)])
    assert result.exit_code == 2
    assert "2 problems: nothing was imported" in result.output
    assert "943*****18" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    frame = pd.read_csv(report, dtype=str)
    assert frame[["row", "column", "value"]].values.tolist() == [
        ["1", "nhs_number", "943*****18"],
        ["1", "sex", "X"],
    ]
    for text in (result.output, report.read_text()):
        assert "9434765918" not in text


def test_show_limits_the_table(tmp_path):
    people = write_csv(tmp_path / "people.csv", BAD)
    args = ["import", "--people", str(people), "--out", str(tmp_path / "out"), "--show", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "... and 1 more." in result.output


def test_other_user_errors_are_one_line_with_exit_2(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "a-long-folder-name-so-that-the-message-is-wider-than-a-terminal" / "x.csv"
    args = ["population", "import", "--people", str(missing), "--out", str(tmp_path / "o")]
    code, err = run_main(monkeypatch, capsys, *args)
    assert code == 2
    # one line (a blank line may precede it where a progress bar stopped), no traceback
    assert err.strip() == f"Error: ArgumentError: The input file {missing} does not exist."


def test_key_file_option(tmp_path, monkeypatch, capsys):
    people = write_csv(tmp_path / "people.csv", GOOD)
    key_file = tmp_path / "open.key"
    key_file.write_text("x" * 40)
    key_file.chmod(0o644)
    args = ["population", "import", "--people", str(people), "--out", str(tmp_path / "o")]
    code, err = run_main(monkeypatch, capsys, *args, "--key-file", str(key_file))
    assert code == 2
    assert err.strip().startswith("Error: PseudonymKeyError: ")
    assert "chmod 600" in err
    assert "\n" not in err.strip()  # one line, no traceback
