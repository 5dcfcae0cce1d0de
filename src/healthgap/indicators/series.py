"""Monitoring series: catalogue indicators by month or quarter for chosen areas.

A programme's board asks whether its target indicator moved after the start, which needs a
series (SPC, interrupted time series, difference-in-differences: `healthgap.evaluation`),
not two annual figures. The series is computed by the same engine and catalogue as the
annual results: `series_indicators` gives each indicator the series' periods in place of the
catalogue's, then any engine (`backends.execute_finest`, or `reference.reference_finest`)
computes the fine table, and `series_table` sums it over each chosen area and adds the value
and 95% limits from `healthgap.stats` (by the indicator's method, as `tidy.statistics`).

How a catalogue definition reads for a series period (docs/indicators.md, "Series"):
- every window relative to the period is resolved against the series period, so `window:
  period` counts the events of that month, and `{last: 36 months, to: period_end}` is a
  rolling 36 months to the month's last day (coverage at each month end);
- the cohort (age `at`, and registration) is taken on the series period's last day, because
  a catalogue date such as `period_start + 6 months - 1 day` (mid-year) would fall outside a
  month. So a monthly rate is events in the month per person registered at its end, not per
  person-year: multiply by 12 to compare with a yearly figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from healthgap.errors import ArgumentError
from healthgap.indicators._dates import add_months
from healthgap.indicators.backends import connect, execute, load_tables
from healthgap.indicators.compile import compile_indicators
from healthgap.indicators.definitions import DateRef, Indicator, Period, Registration
from healthgap.indicators.loading import load_catalogue
from healthgap.indicators.tidy import statistics

__all__ = [
    "AREA_LEVELS", "BY", "compute_series", "series_indicators", "series_periods", "series_table",
]  # fmt: skip

BY = {"month": 1, "quarter": 3}
"""Series steps and their length in months (a quarter is three months from `first`)."""
AREA_LEVELS = ("lsoa21", "msoa21", "lad24", "sicbl24", "icb24", "region24")
"""Columns of the areas table an area code is looked up in, smallest first."""
COLUMNS = [
    "indicator_id", "area_type", "area_code", "period", "period_start", "period_end",
    "numerator", "denominator", "value", "lowercl", "uppercl", "reason", "method", "multiplier",
]  # fmt: skip
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_PERIOD_END = DateRef("period_end")


def _month(text: str, name: str) -> date:
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ArgumentError(f"{name} must be a month written YYYY-MM (e.g. 2023-04); got {text!r}.")
    return date(int(match.group(1)), int(match.group(2)), 1)


def series_periods(first: str, last: str, by: str = "month") -> tuple[Period, ...]:
    """Consecutive periods from the month `first` to the month `last` (both YYYY-MM, inclusive),
    one per month or per three months; each labelled by its first month (YYYY-MM)."""
    if by not in BY:
        raise ArgumentError(f"--by must be one of {', '.join(BY)}; got {by!r}.")
    start, end = _month(first, "--from"), _month(last, "--to")
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months < 1:
        raise ArgumentError(f"--to ({last}) must not be before --from ({first}).")
    step = BY[by]
    if months % step:
        raise ArgumentError(
            f"{first} to {last} is {months} months, not a whole number of {by}s of {step}."
        )
    periods = []
    for k in range(0, months, step):
        begins = add_months(start, k)
        ends = add_months(begins, step) - timedelta(days=1)
        periods.append(Period(f"{begins:%Y-%m}", begins, ends))
    return tuple(periods)


def series_indicators(
    indicators: Mapping[str, Indicator], periods: Sequence[Period]
) -> dict[str, Indicator]:
    """Each indicator with `periods` in place of its own, and its cohort (age and
    registration) taken on each period's last day (module docstring)."""
    out = {}
    for ident, indicator in indicators.items():
        cohort = indicator.cohort
        registration = (
            None if cohort.registration is None else Registration(_PERIOD_END, _PERIOD_END)
        )
        cohort = replace(cohort, age=replace(cohort.age, at=_PERIOD_END), registration=registration)
        out[ident] = replace(indicator, periods=tuple(periods), cohort=cohort)
    return out


def area_lsoas(areas: pd.DataFrame, codes: Iterable[str]) -> dict[str, tuple[str, list[str]]]:
    """Area code -> (its level, the LSOAs in it), looked up in `areas` (one row per LSOA)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for code in codes:
        for level in AREA_LEVELS:
            if level in areas.columns and (areas[level] == code).any():
                found[code] = (level, sorted(areas.loc[areas[level] == code, "lsoa21"]))
                break
        else:
            raise ArgumentError(
                f"Area {code!r} is not an LSOA, MSOA, local authority, sub-ICB, ICB or region "
                "code of the areas table (e.g. E01010085 or E08000030)."
            )
    return found


def series_table(
    fine: pd.DataFrame,
    indicators: Mapping[str, Indicator],
    areas: pd.DataFrame,
    codes: Sequence[str],
) -> pd.DataFrame:
    """One row per indicator x area x period of `fine` (a fine table computed for
    `series_indicators(...)`, or any table with its indicator_id, period, lsoa21, age_band,
    numerator and denominator): numerator and denominator summed over the area's LSOAs, value
    and 95% limits by the indicator's method (× its multiplier). Periods in which nobody in the
    area is in the cohort are left out."""
    members = pd.DataFrame(
        [
            (lsoa, level, code)
            for code, (level, lsoas) in area_lsoas(areas, codes).items()
            for lsoa in lsoas
        ],
        columns=["lsoa21", "area_type", "area_code"],
    )
    by_lsoa = ["indicator_id", "period", "lsoa21", "age_band"]
    small = fine.groupby(by_lsoa, dropna=False)[["numerator", "denominator"]].sum().reset_index()
    chosen = small.merge(members, on="lsoa21")
    keys = ["indicator_id", "period", "area_type", "area_code", "age_band"]
    counts = chosen.groupby(keys, dropna=False)[["numerator", "denominator"]].sum().reset_index()
    counts = counts.assign(category_type="all", category="All")
    if counts.empty:
        return pd.DataFrame(columns=COLUMNS)
    out = statistics(counts, indicators)
    bounds = {
        (ident, p.label): (p.start, p.end) for ident, i in indicators.items() for p in i.periods
    }
    pairs = list(zip(out["indicator_id"], out["period"], strict=True))
    out["period_start"] = [bounds[pair][0] for pair in pairs]
    out["period_end"] = [bounds[pair][1] for pair in pairs]
    out["method"] = out["indicator_id"].map({k: i.method for k, i in indicators.items()})
    out = out.astype({"numerator": "int64", "denominator": "int64"})
    return out.sort_values(["indicator_id", "area_code", "period"], ignore_index=True)[COLUMNS]


def compute_series(
    population: str | Path,
    indicator_ids: Sequence[str],
    codes: Sequence[str],
    *,
    first: str,
    last: str,
    by: str = "month",
    backend: str = "duckdb",
    areas: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """`series_table` for the catalogue indicators `indicator_ids` in the areas `codes`, from
    the population folder `population` (people.parquet, events.parquet) on `backend`; only
    the people living in those areas are read into the query. `areas` (one row per LSOA, as
    `run.areas_table()`) defaults to England's."""
    from healthgap.indicators.run import areas_table, population_files

    people, events = population_files(population)
    if not codes:
        raise ArgumentError("Give at least one --area code.")
    areas = areas_table() if areas is None else areas
    lsoas = sorted({lsoa for _, found in area_lsoas(areas, codes).values() for lsoa in found})
    indicators = series_indicators(
        load_catalogue(ids=list(indicator_ids)), series_periods(first, last, by)
    )
    con = connect(backend)
    tables = load_tables(con, people, events)
    chosen = tables.people.filter(tables.people.lsoa21.isin(lsoas))
    fine = compile_indicators(indicators, chosen, tables.events)
    # Summed over ethnicity and sex in the engine: the series has no breakdowns (yet).
    by_lsoa = fine.group_by(["indicator_id", "period", "lsoa21", "age_band"]).aggregate(
        numerator=fine.numerator.sum().cast("int64"),
        denominator=fine.denominator.sum().cast("int64"),
    )
    return series_table(execute(con, by_lsoa), indicators, areas, codes)
