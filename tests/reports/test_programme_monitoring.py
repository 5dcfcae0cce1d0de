"""Monitoring charts on profiles (`reports.monitoring`) and the series' disclosure control, on
the reports' hand-built store (tests/reports/stores.py) with a hand-written monthly series."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from healthgap.indicators.series_store import publish_series
from healthgap.reports.monitoring import area_charts, protect_series
from healthgap.reports.render import render_profile
from tests.reports.stores import make_store, reference

FLU = "flu_vaccination_65_plus"
LAD, BUSY, QUIET = "E08000030", "E01000001", "E01000005"
MONTHS = pd.date_range("2024-04-01", periods=24, freq="MS").date


def _series() -> pd.DataFrame:
    """24 months of a proportion for the LAD (400 to 423 of 1,000), an LSOA with 40 to 63 of
    100, and an LSOA with 3 of 20 each month (a small count, always hidden)."""
    rows = []
    for k, month in enumerate(MONTHS):
        for code, level, num, den in (("lad24", LAD, 400, 1000), ("lsoa21", BUSY, 40, 100),
                                      ("lsoa21", QUIET, 3, 20)):  # fmt: skip
            n = num + (k if num > 3 else 0)
            rows.append({"indicator_id": FLU, "area_type": code, "area_code": level,
                         "period": f"{month:%Y-%m}", "period_start": month,
                         "period_end": month, "numerator": n, "denominator": den,
                         "value": 100 * n / den, "lowercl": 0.0, "uppercl": 100.0,
                         "reason": "", "method": "proportion", "multiplier": 100.0})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("results")
    make_store(root)
    publish_series(root, _series(), {"indicators": [FLU]})
    return root


def test_protected_series_rounds_to_5_and_hides_small_counts():
    shown = protect_series(_series(), "public")
    quiet = shown[shown["area_code"] == QUIET]
    assert quiet["suppressed"].all() and quiet["numerator"].isna().all()
    busy = shown[shown["area_code"] == BUSY].reset_index(drop=True)
    # month 0: 40 of 100 (40%); month 3: 43 -> 45 of 100, so 45% from the rounded counts
    assert busy.loc[0, "numerator"] == 40 and busy.loc[0, "value"] == pytest.approx(40.0)
    assert busy.loc[3, "numerator"] == 45 and busy.loc[3, "value"] == pytest.approx(45.0)


def test_a_profile_has_a_chart_per_indicator_with_a_series(store):
    charts = area_charts(store, BUSY, "public")
    assert [c.indicator_id for c in charts] == [FLU]
    assert charts[0].svg.startswith("<svg") and charts[0].note.startswith("24 of 24 periods")


def test_a_hidden_series_gets_a_note_not_a_chart(store):
    (chart,) = area_charts(store, QUIET, "public")
    assert chart.svg == ""
    assert "0 of 24 periods shown" in chart.note and "24 hidden" in chart.note


def test_an_area_without_a_series_has_no_monitoring(store):
    assert area_charts(store, "E01000002", "public") == ()


def test_the_profile_shows_the_monitoring_section(store):
    html = render_profile(store, LAD, fmt="html", reference=reference(),
                          today=date(2026, 12, 7)).decode("utf-8")  # fmt: skip
    assert "Monitoring: month by month" in html
    assert html.count('class="icon variation') == 1  # the MDC variation icon of the one chart


def test_a_programme_total_with_small_counts_is_hidden_and_said_so():
    """Four LSOAs with 1 event each a month for a year (a total of 4: hidden), then 10 to 12
    each (month 12: 10 + 11 + 12 + 10 = 43 events of 200 people, shown as 45)."""
    from healthgap.indicators.loading import load_catalogue
    from healthgap.reports.programme import ProgrammeSpec, evaluate_programme

    codes = [f"E0100000{k}" for k in range(1, 5)]
    rows = [{"indicator_id": FLU, "area_type": "lsoa21", "area_code": code,
             "period_start": month, "numerator": 1 if k < 12 else 10 + (k + j) % 3,
             "denominator": 50,
             "value": 0.0, "lowercl": 0.0, "uppercl": 0.0, "method": "proportion",
             "multiplier": 100.0}
            for k, month in enumerate(MONTHS) for j, code in enumerate(codes)]  # fmt: skip
    spec = ProgrammeSpec("Small", FLU, tuple(codes), date(2025, 4, 1))
    areas = pd.DataFrame({"lsoa21": codes, "lad24": LAD, "imd_score": [40.0, 35.0, 30.0, 25.0]})
    found = evaluate_programme(spec, pd.DataFrame(rows), load_catalogue(ids=[FLU])[FLU], areas)
    hidden = found.series["suppressed"].to_numpy()
    assert hidden[:12].all() and not hidden[12:].any()
    assert found.series["numerator"].iloc[12] == 45  # 43 rounded to the nearest 5
    assert found.series["value"].iloc[12] == pytest.approx(100 * 45 / 200)  # from rounded counts
    assert found.messages[0].startswith("12 of 24 points are hidden to protect small numbers")
    assert "No comparison areas are published" in found.did.sentence
