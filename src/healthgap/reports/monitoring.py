"""Monitoring series as they are published: `series.parquet` (docs/results.md) through
disclosure control, and "Making Data Count" charts of an area's series for profiles.

Values are numerator ÷ denominator × multiplier from the series' counts: for a DSR indicator
the crude rate, because PHE publishes no DSR for fewer than 10 events, which most small-area
months have, and within an area the age structure hardly changes from month to month.

Disclosure: `protect_series` runs `healthgap.disclosure.protect_results` on series rows shaped
as a results table (one cell per indicator × period × area; `parents` adds the sums between
areas, e.g. a programme's areas taken together), so counts of 1 to 7 are hidden, the others
rounded to 5, values recomputed from the rounded counts, and complements hidden where a hidden
count could be worked back. Profiles protect the whole live series table at once
(`area_charts`), never one area's slice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.disclosure import protect_results
from healthgap.evaluation import spc
from healthgap.evaluation.chart import spc_svg
from healthgap.indicators import load_catalogue
from healthgap.indicators.series_store import TABLE
from healthgap.indicators.store import open_results

MIN_POINTS = 12  # shown points an area's chart needs on a profile (a year of months)
DIRECTIONS = {"higher_is_better": "increase", "lower_is_better": "decrease"}


@dataclass(frozen=True)
class AreaChart:
    """One indicator's monitoring chart on a profile: `svg` (empty when too few points can be
    shown) and a `note` (how many points are hidden, what the values are)."""

    indicator_id: str
    name: str
    svg: str
    note: str


def crude_values(rows: pd.DataFrame, multiplier: float | pd.Series) -> pd.Series:
    """numerator ÷ denominator × multiplier; NaN where the denominator is not positive."""
    return rows["numerator"] / rows["denominator"].where(rows["denominator"] > 0) * multiplier


def protect_series(
    rows: pd.DataFrame, policy: str, parents: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Series rows (`indicator_id, period_start, area_type, area_code, numerator, denominator,
    method, multiplier`) as `policy` publishes them: counts rounded or hidden (NaN), `value`
    the crude value of the published counts (NaN when hidden), plus `suppressed`. `parents`
    maps an area code to the code of a row that is its sum (module docstring)."""
    parents = parents or {}
    statistic = np.where(rows["method"].astype(str) == "proportion", "proportion", "rate")
    frame = rows.assign(
        period=pd.to_datetime(rows["period_start"]).dt.strftime("%Y-%m"),
        parent_code=rows["area_code"].map(parents).astype(object),
        category_type="all",
        category="All",
        statistic=statistic,
        value=crude_values(rows, rows["multiplier"]),
        lowercl=np.nan,
        uppercl=np.nan,
    )
    return protect_results(frame, policy)


def area_charts(results_dir: str | Path, area_code: str, policy: str) -> tuple[AreaChart, ...]:
    """An XmR chart per indicator with a published series for `area_code`, from the whole
    series table protected under `policy`; () when the store has no series table."""
    live = open_results(results_dir)
    if not (live.path / f"{TABLE}.parquet").is_file():
        return ()
    table = live.table(TABLE)
    table = table[table["category_type"] == "all"] if "category_type" in table else table
    if area_code not in set(table["area_code"]):
        return ()
    shown = protect_series(table, policy)
    shown = shown[shown["area_code"] == area_code]
    catalogue = load_catalogue(ids=sorted(set(shown["indicator_id"])))
    charts = []
    for ident, rows in shown.groupby("indicator_id", sort=True):
        indicator = catalogue[ident]
        rows = rows.assign(period_start=pd.to_datetime(rows["period_start"]))
        points = rows[~rows["suppressed"] & rows["value"].notna()].sort_values("period_start")
        hidden = len(rows) - len(points)
        what = "crude rate" if indicator.method == "dsr" else "value"
        note = f"{len(points)} of {len(rows)} periods shown ({what} of the published counts)"
        if hidden:
            note += f"; {hidden} hidden to protect small numbers"
        if len(points) < MIN_POINTS:
            charts.append(AreaChart(ident, indicator.name, "", note + ": too few for a chart."))
            continue
        chart = spc(
            points.reset_index(drop=True),
            "value",
            "period_start",
            improvement_direction=DIRECTIONS.get(indicator.polarity, "neutral"),
        )
        svg = spc_svg(chart, title=_short(indicator.name), width=640, height=260)
        charts.append(AreaChart(ident, indicator.name, svg, note + "."))
    return tuple(charts)


def _short(name: str, most: int = 70) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"
