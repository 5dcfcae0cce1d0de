"""`healthgap data fetch` and `status` (the geography Typer sub-app) on the fixture mirror."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from healthgap.cli import main
from healthgap.errors import DataSourceError
from healthgap.geography.cli import app
from healthgap.geography.sources import SOURCES

runner = CliRunner()


@pytest.fixture
def env(mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEALTHGAP_DATA_DIR", str(mirror))
    monkeypatch.setenv("HEALTHGAP_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("HEALTHGAP_DATA_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path / "var"


def test_fetch_uses_the_mirror_and_builds_the_caches(env: Path) -> None:
    names = ["imd2025_lsoa21", "census2021_age6"]
    result = runner.invoke(app, ["fetch", *names, "--no-verify"])
    assert result.exit_code == 0, result.output
    assert "mirror: imd2025/imd2025_lsoa21.csv" in result.output
    assert len(list((env / "cache" / "geography").glob("imd2025-*.parquet"))) == 1
    assert len(list((env / "cache" / "geography").glob("population2021-*.parquet"))) == 1


def test_fetch_lists_missing_sources_then_raises_one_error(env: Path) -> None:
    result = runner.invoke(app, ["fetch", "imd2025_lsoa21", "imd2025_icb24", "--no-verify"])
    assert isinstance(result.exception, DataSourceError)
    assert str(result.exception) == "1 problem(s) while fetching (details above)."
    assert "imd2025_icb24: No copy of 'imd2025_icb24'" in result.output
    assert len(list((env / "cache" / "geography").glob("imd2025-*.parquet"))) == 1


def test_fetch_with_verify_flags_checksum_mismatches(env: Path) -> None:
    result = runner.invoke(app, ["fetch", "lad24_region24"])
    assert isinstance(result.exception, DataSourceError)
    assert "does not match the checksum registered for 'lad24_region24'" in result.output


def test_fetch_download_falls_back_to_the_mirror_when_the_download_fails(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHGAP_DATA_URL", (tmp_path / "no-such-copy").as_uri())
    result = runner.invoke(app, ["fetch", "lad24_region24", "--download", "--no-verify"])
    assert result.exit_code == 0, result.output
    assert "Could not download file://" in result.output
    assert "Using the mirror copy" in result.output


def test_fetch_download_from_a_copy_of_the_mirror(
    env: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHGAP_DATA_URL", mirror.as_uri())
    result = runner.invoke(app, ["fetch", "lad24_region24", "--download", "--no-verify"])
    assert result.exit_code == 0, result.output
    copy = env / "cache" / "data" / SOURCES["lad24_region24"].path
    assert copy.read_bytes() == (mirror / SOURCES["lad24_region24"].path).read_bytes()


def test_an_unknown_source_is_one_line_from_the_main_command(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["healthgap", "data", "fetch", "imd2052"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert "ArgumentError: There is no data source called 'imd2052'" in err
    assert "Traceback" not in err


def test_status_lists_every_source(env: Path) -> None:
    result = runner.invoke(app, ["status", "--no-verify"])
    assert result.exit_code == 0, result.output
    for name in ("imd2025_lsoa21", "lsoa21_sicbl24_icb24", "census2011_ethnicity"):
        assert name in result.output
    assert "IoD2025 (Oct 2025), LSOA 2021" in result.output
    assert "missing" in result.output  # the fixture mirror lacks most registered files
    assert "not checked" in result.output


def test_status_without_a_mirror_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHGAP_DATA_DIR", str(tmp_path / "absent"))
    monkeypatch.setenv("HEALTHGAP_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("COLUMNS", "250")
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "absent (HEALTHGAP_DATA_DIR) does not exist" in result.output


def test_status_reports_an_unreadable_file_and_carries_on(env: Path, mirror: Path) -> None:
    (mirror / "boundaries" / "msoa21_england_bsc.geojson").write_text("{not json")
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "MISMATCH, unreadable" in result.output
