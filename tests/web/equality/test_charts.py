"""The WRES trend chart: one point per indicator (2-4) and year, limits as whiskers, the
non-adverse band drawn, on a log scale placed by hand."""

from __future__ import annotations

import math
import re

import pandas as pd

from healthgap.reports.equality_chart import BOTTOM, HEIGHT, TOP, trend_svg


def _row(year: str, indicator: str, value: float, lo: float, hi: float) -> dict:
    return {"year": year, "indicator": indicator, "value": value, "lowercl": lo, "uppercl": hi}


def test_points_whiskers_and_band():
    results = pd.DataFrame([
        _row("2024", "2", 1.5, 1.02, 2.20), _row("2025", "2", 1.25, 0.9, 1.7),
        _row("2024", "3", 0.8, 0.5, 1.3), _row("2025", "3", 1.0, 0.6, 1.6),
        _row("2025", "1", 25.0, 22.0, 28.0),  # not a relative likelihood: not drawn
    ])  # fmt: skip
    svg = trend_svg(results)
    assert len(re.findall(r'class="point indicator-2"', svg)) == 2
    assert len(re.findall(r'class="point indicator-3"', svg)) == 2
    assert "indicator-1" not in svg and 'class="non-adverse"' in svg
    # The axis runs from ln(0.5) (bottom) to ln(2.2) (top, the largest upper limit).
    # Parity (ln 1 = 0) sits at HEIGHT - BOTTOM - (0 - ln 0.5) / (ln 2.2 - ln 0.5) * (span).
    span = HEIGHT - BOTTOM - TOP
    expected = HEIGHT - BOTTOM - (0 - math.log(0.5)) / (math.log(2.2) - math.log(0.5)) * span
    parity = re.search(r'<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"', svg)
    assert parity and abs(float(parity.group(1)) - expected) < 0.01


def test_nothing_to_plot_gives_no_chart():
    assert trend_svg(pd.DataFrame([_row("2025", "1", 25.0, 22.0, 28.0)])) == ""


def _ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" font-size="10">([\d.]+)</text>', svg)


def test_axis_labels_follow_the_range():
    """0.5, 0.8, 1.25 and 2 are always on the axis; 4 only once a value or limit reaches it
    (ln 4.5 > ln 4), 0.25 only once one goes down to it (ln 0.2 < ln 0.25)."""
    narrow = trend_svg(pd.DataFrame([_row("2025", "2", 1.5, 1.02, 2.2)]))
    assert _ticks(narrow) == ["0.5", "0.8", "1.25", "2"]
    wide = trend_svg(pd.DataFrame([_row("2025", "2", 1.5, 0.2, 4.5)]))
    assert _ticks(wide) == ["0.25", "0.5", "0.8", "1.25", "2", "4"]
