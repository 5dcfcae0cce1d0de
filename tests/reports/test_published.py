"""The published table and `healthgap indicators export` go through disclosure control."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from healthgap.cli import app
from healthgap.indicators.store import open_results, publish
from healthgap.reports.published import CACHE_FORMAT, public_results


def row(area_type, area, parent, cat, num, den, name=None):
    return {
        "indicator_id": "flu_vaccination_65_plus", "indicator_name": "Flu", "period": "2024/25",
        "area_type": area_type, "area_code": area, "area_name": name or area,
        "parent_code": parent, "category_type": "all" if cat == "All" else "sex",
        "category": cat, "numerator": num, "denominator": den, "value": 100 * num / den,
        "lowercl": 1.0, "uppercl": 99.0, "lower99_8cl": 0.5, "upper99_8cl": 99.5,
        "statistic": "percentage", "method": "Wilson", "reason": None, "multiplier": 100.0,
        "polarity": "higher_is_better", "target": 75.0,
    }  # fmt: skip


def store(tmp_path: Path) -> Path:
    rows = [
        row("msoa21", "E02000001", "E08000030", "All", 83, 100, name="=HYPERLINK(1)"),
        row("msoa21", "E02000001", "E08000030", "Female", 80, 92),
        row("msoa21", "E02000001", "E08000030", "Male", 3, 8),
    ]
    publish(tmp_path / "store", {"results": pd.DataFrame(rows)}, {})
    return tmp_path / "store"


def test_public_results_is_cached_beside_the_version(tmp_path: Path) -> None:
    root = store(tmp_path)
    first = public_results(root)
    cache = open_results(root).path / f"results.public.v{CACHE_FORMAT}.parquet"
    assert cache.is_file()
    pd.testing.assert_frame_equal(public_results(root), first)
    # Male 3 is hidden; Female 80 and All 83 would give it back (83 - 80 unrounded), so with
    # rounding 85 - 80 leaves 3 anywhere in 81 - 82 .. 87 - 78, i.e. 0..9.
    male = first[first["category"] == "Male"].iloc[0]
    assert male["suppressed"] and pd.isna(male["numerator"]) and pd.isna(male["value"])


def test_export_applies_the_public_policy_and_neutralises_formulas(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(
        app, ["indicators", "export", "--results", str(store(tmp_path)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert frame["Count"].tolist()[:2] == [85, 80]  # 83 -> 85; 80 stays 80
    assert pd.isna(frame.loc[2, "Count"]) and pd.isna(frame.loc[2, "Value"])
    assert frame["Disclosure note"].tolist() == [
        "rounded to nearest 5", "rounded to nearest 5",
        "suppressed: small number, or to protect one",
    ]  # fmt: skip
    assert frame.loc[0, "Area Name"] == "'=HYPERLINK(1)"
    # the percentage is recomputed from the rounded counts: 85 / 100
    assert frame.loc[0, "Value"] == 85.0


def test_export_none_is_unsuppressed_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(
        app,
        ["indicators", "export", "--results", str(store(tmp_path)), "--out", str(out),
         "--disclosure", "none"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "unsuppressed" in result.output
    frame = pd.read_csv(out)
    assert frame["Count"].tolist() == [83, 80, 3]
    assert (frame["Disclosure note"] == "not disclosure-controlled").all()


def test_export_unknown_policy_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["indicators", "export", "--results", str(store(tmp_path)), "--out",
         str(tmp_path / "x.csv"), "--disclosure", "secret"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "Unknown disclosure policy 'secret'" in str(result.exception)
