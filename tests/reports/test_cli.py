"""`healthgap report profile` on the hand-made store, and on the real Black Country results."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from healthgap.cli import app
from healthgap.config import DataConfig, project_root
from healthgap.indicators.store import open_results
from healthgap.reports import place
from tests.reports.stores import make_store, reference

CONFIG = DataConfig.from_env()
BLACK_COUNTRY = (project_root() or Path(".")) / "var/results/black-country"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_store(tmp_path / "results")
    monkeypatch.setattr(place.Reference, "from_mirror", classmethod(lambda cls: reference()))
    return tmp_path / "results"


def test_html_profile_with_disclosure_none_warns(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "walsall.html"
    args = ["report", "profile", "--results", str(store), "--area", "E08000030", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--disclosure", "none"])
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.output and "analysts only" in result.output
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Disclosure control is OFF" in html


def test_public_pdf_by_default(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "icb.pdf"
    args = ["report", "profile", "--results", str(store), "--area", "E54000062", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output and "policy public" in result.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_bad_suffix_and_unknown_area_are_one_line_user_errors(store: Path, tmp_path: Path) -> None:
    base = ["report", "profile", "--results", str(store)]
    bad = CliRunner().invoke(app, [*base, "--area", "E08000030", "--out", str(tmp_path / "x.doc")])
    assert bad.exit_code != 0 and "must end in .pdf or .html" in str(bad.exception)
    unknown = CliRunner().invoke(
        app, [*base, "--area", "E01999999", "--out", str(tmp_path / "x.pdf")]
    )
    assert unknown.exit_code != 0 and "no results" in str(unknown.exception)


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.skipif(
    not CONFIG.mirror_available, reason=f"needs the mirror: {CONFIG.describe_mirror()}"
)
@pytest.mark.skipif(
    not (BLACK_COUNTRY / "CURRENT").is_file(),
    reason=f"needs the Black Country results at {BLACK_COUNTRY} (docs/reports.md says how)",
)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="SKIPPED LOUDLY: no pdftotext")
def test_real_black_country_profile_of_walsall(tmp_path: Path) -> None:
    from tests.reports.test_pdf import PARTS, pdf_text, small_numbers, table_text

    out = tmp_path / "walsall.pdf"
    args = ["report", "profile", "--results", str(BLACK_COUNTRY), "--area", "E08000030"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    for part in (*PARTS, "Walsall", "NHS Black Country Integrated Care Board"):
        assert part in text, part
    assert small_numbers(table_text(text)) == []
    indicators = open_results(BLACK_COUNTRY).manifest["indicators"]
    assert text.count("vs ICB:") == len(indicators)  # every indicator has a line
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "p")], check=True)
    assert list(tmp_path.glob("p-*.png"))
