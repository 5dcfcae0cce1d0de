"""The WRES report's trend chart: indicators 2 to 4 of every year up to the report's own, as
published under the report's policy (a hidden value is not drawn), in the PDF (pdftotext
finds its caption and labels, pdftoppm finds its colours)."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from healthgap.equality.wres import wres_indicators
from healthgap.reports.equality import render_wres, wres_report
from healthgap.reports.equality_chart import COLOURS

poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs poppler's pdftotext and pdftoppm",
)

HEADER = "year,indicator,ethnicity,band,staff_group,numerator,denominator\n"
# Indicator 2 (White relative to BME, appointed over shortlisted), counts that are multiples of
# 5 and above 7, and complements (shortlisted - appointed) likewise, so the public policy
# publishes them unchanged:
#   2024: (60/200) / (30/150) = 0.30 / 0.20 = 1.5
#   2025: (50/200) / (40/160) = 0.25 / 0.25 = 1.0
#   2026: (45/150) / (20/100) = 0.30 / 0.20 = 1.5 (after 2025: not in the 2025 report)
# Indicator 3 in 2024 has 5 BME staff entering the process (a count of 1 to 7): hidden in public.
#   2024: (5/100) / (10/400) = 0.05 / 0.025 = 2.0 as recorded
#   2025: (10/100) / (20/400) = 0.10 / 0.05 = 2.0
COUNTS = HEADER + (
    "2024,2,White,,,60,200\n2024,2,BME,,,30,150\n"
    "2024,3,White,,,10,400\n2024,3,BME,,,5,100\n"
    "2025,2,White,,,50,200\n2025,2,BME,,,40,160\n"
    "2025,3,White,,,20,400\n2025,3,BME,,,10,100\n"
    "2026,2,White,,,45,150\n2026,2,BME,,,20,100\n"
)


def _trend(policy: str) -> dict[tuple[str, str], float]:
    report = wres_report(wres_indicators(io.StringIO(COUNTS)), "Trust A", "2025", policy=policy)
    return {(t["year"], t["indicator"]): t["value"] for t in report.trend}


def test_the_trend_holds_every_year_up_to_the_reports_own():
    trend = _trend("none")
    assert set(trend) == {("2024", "2"), ("2024", "3"), ("2025", "2"), ("2025", "3")}
    assert trend[("2024", "2")] == pytest.approx(1.5)
    assert trend[("2025", "2")] == pytest.approx(1.0)
    assert trend[("2024", "3")] == pytest.approx(2.0)
    assert trend[("2025", "3")] == pytest.approx(2.0)


def test_the_public_trend_hides_a_value_behind_a_count_of_1_to_7():
    trend = _trend("public")
    assert math.isnan(trend[("2024", "3")])
    assert trend[("2024", "2")] == pytest.approx(1.5)
    assert trend[("2025", "3")] == pytest.approx(2.0)


def _pdf(policy: str, counts: str = COUNTS, year: str = "2025") -> bytes:
    report = wres_report(wres_indicators(io.StringIO(counts)), "Trust A", year, policy=policy)
    return render_wres(report, "pdf")


def _text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def _pixels_of(pdf: bytes, colour: str, tmp_path: Path) -> int:
    """How many pixels of the rendered pages (50 dpi) lie within 12 of `colour` per channel."""
    folder = tmp_path / colour.lstrip("#")
    folder.mkdir()
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", source, folder / "page"], check=True)
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    found = 0
    for page in sorted(folder.glob("page*.png")):
        rgb = np.asarray(Image.open(page).convert("RGB"), dtype=int)
        found += int((np.abs(rgb - target).max(axis=2) <= 12).sum())
    return found


@poppler
def test_the_pdf_draws_the_trend_chart(tmp_path):
    pdf = _pdf("public")
    text = _text(pdf)
    assert "Trend: indicators 2 to 4 by year, as published" in text
    for label in ("Indicator 2", "Indicator 3", "1 (parity)", "2024", "2025"):
        assert label in text, label
    # Indicator 2's blue and indicator 3's red appear only in the chart (the report's text and
    # tables are dark grey on white).
    assert _pixels_of(pdf, COLOURS["2"], tmp_path) > 20
    assert _pixels_of(pdf, COLOURS["3"], tmp_path) > 0


@poppler
def test_no_chart_when_every_relative_likelihood_is_hidden(tmp_path):
    """Every count of indicator 2 is 1 to 7: nothing published to draw, so no chart."""
    counts = HEADER + "2025,2,White,,,3,6\n2025,2,BME,,,2,5\n"
    pdf = _pdf("public", counts)
    assert "Trend: indicators" not in _text(pdf)
    assert _pixels_of(pdf, COLOURS["2"], tmp_path) == 0


def test_a_hidden_value_is_not_drawn():
    report = wres_report(wres_indicators(io.StringIO(COUNTS)), "Trust A", "2025", policy="public")
    html = render_wres(report, "html").decode()
    # Indicator 2: 2024 and 2025 drawn; indicator 3: 2025 only (2024 hidden).
    assert len(re.findall(r'class="point indicator-2"', html)) == 2
    assert len(re.findall(r'class="point indicator-3"', html)) == 1
