"""Funnel plots: control limits, outlier significance and chart points (PHEindicatormethods 2.1.0).

`funnel_limits` (R `calculate_funnel_limits`) builds the 100-point table of 95% ("2s", p = 0.025
each side) and 99.8% ("3s", p = 0.001 each side) control limits around the overall average;
`funnel_significance` (R `assign_funnel_significance`) says whether each row lies outside them;
`funnel_points` (R `calculate_funnel_points`) gives rate-funnel points in chart units.

References
----------
Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance. Stat Med
24(8):1185-1202. PHE (2018) *Technical Guide: Funnel plots* (Fingertips supporting information,
"PH methods"). Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, vol II*. IARC,
p. 69 (Byar's approximation). Wilson EB (1927). JASA 22:209-212.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError
from healthgap.stats._frame import (
    Frame,
    as_pandas,
    float_array,
    fmt_number,
    normalise_group_by,
    reasons,
)
from healthgap.stats._funnel_limits import (
    N_POINTS,
    axis_points,
    poisson_funnel,
    proportion_limit,
    signif_ceiling,
    signif_floor,
)
from healthgap.stats._intervals import poisson_limits
from healthgap.stats._validate import reject_groups, reject_rows, require_columns, require_numeric

STATISTICS = ("proportion", "ratio", "rate")
RATIO_TYPES = ("count", "isr")
RATE_TYPES = ("dsr", "crude")
OUTPUT_TYPES = ("full", "standard")
#: Significance categories, in R's factor-level order; the last applies to rates only.
SIGNIFICANCE_LEVELS = (
    "High (0.001)",
    "High (0.025)",
    "Low (0.001)",
    "Low (0.025)",
    "Not significant",
    "Not applicable for events less than 10 for dsrs",
)
#: (column prefix, one-sided tail probability, confidence of the two-sided interval)
_BANDS = (("2s", 0.025, 0.95), ("3s", 0.001, 0.998))
_MISSING = "numerator, denominator or rate missing"


@dataclass(frozen=True)
class _Inputs:
    """Validated inputs: the numerator, the denominator the funnel uses and which rows lack one."""

    x: np.ndarray
    denominator: np.ndarray  # proportion/ratio: as given; rate: derived from the rate
    missing: np.ndarray  # a needed input is NA (a dsr's zero-event row needs none)


def _one_of(value: object, allowed: Sequence[str], name: str, fn: str) -> str:
    if value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise ArgumentError(f"{fn}: {name} must be one of {listed} (got {value!r})")
    return str(value)


def _require(fn: str, statistic: str, needs: dict[str, object]) -> None:
    """R's "the following arguments are required for <statistic>s: …" check."""
    absent = [name for name, value in needs.items() if value is None]
    if absent:
        raise ArgumentError(
            f"{fn}: the following arguments are required for {statistic}s: {', '.join(needs)}"
            f" (missing: {', '.join(absent)})"
        )


def _positive(value: float, name: str, fn: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number) or value <= 0:
        raise ArgumentError(f"{fn}: {name} must be a positive number (got {value!r})")
    return float(value)


def _inputs(
    df: pd.DataFrame,
    fn: str,
    statistic: str,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    rate_type: str | None,
    multiplier: float | None,
) -> _Inputs:
    """Check the columns and values and derive the funnel denominator (PHE's rules).

    Rates: denominator = multiplier · x / rate, except where x = 0: NA for a dsr, the given
    denominator for a crude rate (which must then be supplied).
    """
    require_columns(df, [numerator, denominator, rate], fn)
    require_numeric(df, [numerator, denominator, rate], fn)
    x = float_array(df[numerator])
    den = float_array(df[denominator]) if denominator is not None else np.full(len(df), np.nan)
    reject_rows(x < 0, df, f"{fn}: numerators must be greater than or equal to zero")
    reject_rows(den < 0, df, f"{fn}: denominators must be greater than or equal to zero")
    if statistic == "proportion":
        reject_rows(
            x > den,
            df,
            f"{fn}: numerators must be less than or equal to denominator for a proportion"
            " statistic",
        )
    if statistic != "rate":
        return _Inputs(x, den, np.isnan(x) | np.isnan(den))

    r = float_array(df[rate])
    reject_rows(r < 0, df, f"{fn}: rates must be greater than or equal to zero")
    reject_rows(
        (r == 0) & (x > 0), df, f"{fn}: rates must be greater than zero where there are events"
    )
    zero = x == 0
    if rate_type == "crude" and denominator is None:
        reject_rows(
            zero,
            df,
            f"{fn}: for rates, where there are 0 events for a record, the denominator field needs"
            " to be provided using the denominator argument",
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = multiplier * x / r
    derived = np.where(zero, np.nan if rate_type == "dsr" else den, derived)
    by_design = zero & (rate_type == "dsr")
    return _Inputs(x, derived, np.isnan(x) | (np.isnan(derived) & ~by_design))


def _group_codes(df: pd.DataFrame, groups: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of each row (groups sorted, NA keys kept) and the group key table."""
    if not groups:
        return np.zeros(len(df), dtype=np.intp), pd.DataFrame(index=range(1))
    grouped = df.groupby(groups, sort=True, dropna=False, observed=True)
    keys = grouped.size().reset_index()[groups]
    return grouped.ngroup().to_numpy(dtype=np.intp), keys


def _statistic_label(
    statistic: str, ratio_type: str | None, rate_type: str | None, m: float
) -> str:
    """R's label: "proportion", "ratio (count)", "rate (dsr per 100,000)"."""
    if statistic == "ratio":
        return f"ratio ({ratio_type})"
    if statistic == "rate":
        per = f"{int(m):,}" if float(m).is_integer() else fmt_number(m)
        return f"rate ({rate_type} per {per})"
    return statistic


def funnel_limits(
    data: Frame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    rate: str | None = None,
    multiplier: float | None = None,
    ratio_type: str | None = None,
    rate_type: str | None = None,
    years_of_data: float | None = None,
    type: str = "full",
    group_by: str | Sequence[str] | None = None,
) -> Frame:
    """The 100-point table of 95% and 99.8% funnel control limits (R `calculate_funnel_limits`).

    The x axis runs from `axis_min` to `axis_max` of the funnel denominators (0 when the largest
    is more than twice the smallest, else 95% of the smallest rounded down to its leading digit;
    105% of the largest rounded up to two leading digits) in 100 geometric steps. Around the
    average p̄ = Σx / Σdenominator:

    * "proportion" (x of n): column `Population` (n); the limits are the proportions whose Wilson
      score interval just reaches p̄ (closed form in `_funnel_limits.proportion_limit`), × the
      multiplier and clipped to [0, 100] as PHE does whatever the multiplier; `baseline` = p̄ ×
      multiplier; method "Wilson".
    * "ratio" (observed x, expected counts as denominator): column `Observed_events` (O); for
      each band the expected counts μ at which O sits on the Poisson tail (`*_exp_events`,
      found by bisection) and the limits O/μ, minus 1 for `ratio_type="count"` or × 100 for
      "isr"; method "Poisson"; no baseline (1 or 100).
    * "rate" (events x and a `rate` column per `multiplier`, over `years_of_data` years):
      column `Events` (E); the axis is built on the derived denominators per year and turned
      into events with p̄; `*_population_1_year` = μ/p̄/years and the limits E/(μ/p̄) ×
      multiplier (per multiplier); `baseline` = p̄ × multiplier; method "Poisson".

    "2s" columns are the 95% limits (tail p = 0.025 each side) and "3s" the 99.8% limits
    (p = 0.001). With `group_by`, one 100-row table per group (group columns first). A missing
    needed input raises `InputDataError` (every point shapes the funnel), as do negative counts
    and, for proportions, x > n. `type="standard"` leaves out `statistic` and `method`.

    Example: PHE's 303 PCTs (p̄ = 80.64%, denominators up to 102,950) give 100 points from n = 1
    to 110,000; at n = 1 the 95% limits are 3.20% and 100% (clipped), at 110,000 80.41%-80.88%.
    """
    fn = "funnel_limits"
    statistic = _one_of(statistic, STATISTICS, "statistic", fn)
    type = _one_of(type, OUTPUT_TYPES, "type", fn)
    years = 1.0  # proportions and ratios: the axis is not per year
    if statistic == "rate":
        _require(
            fn,
            statistic,
            {
                "rate": rate,
                "rate_type": rate_type,
                "multiplier": multiplier,
                "years_of_data": years_of_data,
            },
        )
        rate_type = _one_of(rate_type, RATE_TYPES, "rate_type", fn)
        years = _positive(years_of_data, "years_of_data", fn)  # type: ignore[arg-type]
    elif statistic == "ratio":
        _require(
            fn,
            statistic,
            {"denominator": denominator, "ratio_type": ratio_type, "multiplier": multiplier},
        )
        ratio_type = _one_of(ratio_type, RATIO_TYPES, "ratio_type", fn)
    else:
        _require(fn, statistic, {"denominator": denominator, "multiplier": multiplier})
    m = _positive(multiplier, "multiplier", fn)  # type: ignore[arg-type]

    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, groups, fn)
    inputs = _inputs(df, fn, statistic, numerator, denominator, rate, rate_type, m)
    reject_rows(
        inputs.missing,
        df,
        f"{fn}: numerator, denominator and rate must not be missing, as every point shapes the"
        " funnel",
    )
    codes, keys = _group_codes(df, groups)
    g = len(keys)
    den = pd.Series(inputs.denominator)
    sum_x = np.bincount(codes, weights=inputs.x, minlength=g)
    sum_den = np.bincount(codes, weights=np.nan_to_num(inputs.denominator), minlength=g)
    reject_groups(
        sum_den <= 0,
        keys,
        f"{fn}: the denominators of a funnel must not all be zero or missing",
    )
    average = sum_x / sum_den
    min_den = den.groupby(codes).min().reindex(range(g)).to_numpy(dtype="float64")
    max_den = den.groupby(codes).max().reindex(range(g)).to_numpy(dtype="float64")

    wide = max_den > 2 * min_den
    axis_min = np.where(wide, 0.0, signif_floor(min_den / years) * years)
    axis_max = signif_ceiling(max_den / years) * years
    if statistic == "rate":
        axis_min, axis_max = np.floor(axis_min * average), np.ceil(axis_max * average)
    points = axis_points(axis_min, axis_max, ratio=statistic == "ratio")

    av = np.repeat(average, N_POINTS)
    column = {"proportion": "Population", "ratio": "Observed_events", "rate": "Events"}[statistic]
    axis = points.ravel()
    cols: dict[str, object] = {column: axis}
    if statistic == "proportion":
        for band, tail, _ in _BANDS:
            p = 1 - tail
            cols[f"lower_{band}_limit"] = np.maximum(0, proportion_limit(axis, av, p, "low", m))
            cols[f"upper_{band}_limit"] = np.minimum(100, proportion_limit(axis, av, p, "high", m))
        cols["baseline"] = av * m
    else:
        with np.errstate(divide="ignore"):
            for band, tail, _ in _BANDS:
                for bound, side in (("lower", "high"), ("upper", "low")):
                    mean = poisson_funnel(axis, tail, side)
                    if statistic == "ratio":
                        limit = axis / mean
                        cols[f"{bound}_{band}_exp_events"] = mean
                        cols[f"{bound}_{band}_limit"] = (
                            limit - 1 if ratio_type == "count" else limit * 100
                        )
                    else:
                        population = mean / av
                        cols[f"{bound}_{band}_population_1_year"] = population / years
                        cols[f"{bound}_{band}_limit"] = axis / population * m
        if statistic == "rate":
            cols["baseline"] = av * m
    if type == "full":
        cols["statistic"] = _statistic_label(statistic, ratio_type, rate_type, m)
        cols["method"] = "Wilson" if statistic == "proportion" else "Poisson"
    out = pd.DataFrame(cols)
    if groups:
        repeated = keys.loc[np.repeat(np.arange(g), N_POINTS)].reset_index(drop=True)
        out = pd.concat([repeated, out], axis=1)
    return back(out)


def funnel_significance(
    data: Frame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    rate: str | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
    group_by: str | Sequence[str] | None = None,
) -> Frame:
    """Flag rows outside the 95% or 99.8% funnel limits (R `assign_funnel_significance`).

    Appends `significance` (a categorical with R's levels "High (0.001)", "High (0.025)",
    "Low (0.001)", "Low (0.025)", "Not significant" and, for rates, "Not applicable for events
    less than 10 for dsrs") and `reason` to the input frame. Checks run in that order, first
    match wins:

    * "proportion": x/n against the funnel limits at n around p̄ = Σx/Σn (the closed form of
      `funnel_limits`, tails 0.999 and 0.975): Low (0.001) if below the 99.8% lower limit, then
      Low (0.025), High (0.001), High (0.025).
    * "ratio" (observed O, expected E): High (0.001) if L₉₉.₈(O)/E > 1, High (0.025) if
      L₉₅(O)/E > 1, Low (0.001) if U₉₉.₈(O)/E < 1, Low (0.025) if U₉₅(O)/E < 1, where L, U are
      exact Poisson limits for O < 10 and Byar's for O ≥ 10.
    * "rate" (events x, `rate` per `multiplier`): the same Poisson limits with E = the derived
      denominator (multiplier·x/rate; for x = 0 NA for a dsr, the given denominator for a crude
      rate) compared with the weighted average Σx/ΣE; a dsr with x < 10 is "Not applicable…".

    Averages are taken within `group_by` groups. Like the other statistics, a row with a
    missing input has NA significance, and so does every row of a group whose average is then
    undefined (R would call them "Not significant"); a zero denominator gives NA (R stops). The
    `reason` column says why. Negative counts and, for proportions, x > n raise
    `InputDataError`.
    """
    fn = "funnel_significance"
    statistic = _one_of(statistic, STATISTICS, "statistic", fn)
    if statistic == "rate":
        _require(fn, statistic, {"rate": rate, "rate_type": rate_type, "multiplier": multiplier})
        rate_type = _one_of(rate_type, RATE_TYPES, "rate_type", fn)
        m = _positive(multiplier, "multiplier", fn)  # type: ignore[arg-type]
    else:
        _require(fn, statistic, {"denominator": denominator})
        m = 1.0
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, groups, fn)
    inputs = _inputs(df, fn, statistic, numerator, denominator, rate, rate_type, m)
    x, den, missing = inputs.x, inputs.denominator, inputs.missing
    zero = den == 0

    codes, keys = _group_codes(df, groups)
    g = len(keys)
    group_missing = np.bincount(codes, weights=missing, minlength=g)[codes] > 0
    sum_x = np.bincount(codes, weights=np.nan_to_num(x), minlength=g)
    sum_den = np.bincount(codes, weights=np.nan_to_num(den), minlength=g)
    with np.errstate(divide="ignore", invalid="ignore"):
        average = (sum_x / sum_den)[codes]
        if statistic == "proportion":
            value = x / den
            rules = [
                (value < proportion_limit(den, average, 1 - tail, "low", 1.0), f"Low ({tail})")
                for _, tail, _ in reversed(_BANDS)
            ] + [
                (value > proportion_limit(den, average, 1 - tail, "high", 1.0), f"High ({tail})")
                for _, tail, _ in reversed(_BANDS)
            ]
        else:
            # PHE compares the reference (1 for ratios, the average rate) with the limits of
            # the row's count over its expected count or derived denominator.
            reference = 1.0 if statistic == "ratio" else average
            bounds = {tail: poisson_limits(x, confidence) for _, tail, confidence in _BANDS}
            rules = [
                (reference < bounds[tail][0] / den, f"High ({tail})")
                for _, tail, _ in reversed(_BANDS)
            ] + [
                (reference > bounds[tail][1] / den, f"Low ({tail})")
                for _, tail, _ in reversed(_BANDS)
            ]
    significance = np.select(
        [mask for mask, _ in rules], [label for _, label in rules], "Not significant"
    ).astype(object)

    no_average = group_missing & (statistic != "ratio")  # ratios are compared with 1
    reason = reasons(
        (missing, _MISSING),
        (zero, "denominator is zero"),
        (
            no_average,
            "group average missing: a numerator, denominator or rate in the group is missing",
        ),
    )
    significance[missing | zero | no_average] = None
    levels = list(SIGNIFICANCE_LEVELS[:5])
    if statistic == "rate":
        levels.append(SIGNIFICANCE_LEVELS[5])
        if rate_type == "dsr":
            few = x < 10
            significance[few] = SIGNIFICANCE_LEVELS[5]
            reason[few] = None

    out = df.copy()
    out["significance"] = pd.Categorical(significance, categories=levels)
    out["reason"] = pd.Series(reason, index=out.index, dtype=object)
    return back(out)


def funnel_points(
    data: Frame,
    numerator: str,
    rate: str,
    *,
    rate_type: str,
    years_of_data: float,
    multiplier: float,
    denominator: str | None = None,
) -> Frame:
    """Rate-funnel points in chart units (R `calculate_funnel_points`).

    Appends `<rate>_chart` (the rate as a number; NA for a dsr with fewer than 10 events, which
    PHE does not plot) and `denominator_derived` = (multiplier · x / rate) / years_of_data, the
    population per year that puts the point on a `funnel_limits(statistic="rate")` chart; for
    x = 0 a crude rate uses the given `denominator` / years_of_data (which must then be given),
    and `reason` for each NA. Rows are computed on their own, so there is no `group_by`.

    Example: 414 events at 184 per 100,000 over 3 years → 1e5 · 414/184/3 = 75,000 a year.
    """
    fn = "funnel_points"
    rate_type = _one_of(rate_type, RATE_TYPES, "rate_type", fn)
    years = _positive(years_of_data, "years_of_data", fn)
    m = _positive(multiplier, "multiplier", fn)
    df, back = as_pandas(data, fn)
    inputs = _inputs(df, fn, "rate", numerator, denominator, rate, rate_type, m)
    few = (inputs.x < 10) & (rate_type == "dsr")
    chart = np.where(few | inputs.missing, np.nan, float_array(df[rate]))
    out = df.copy()
    out[f"{rate}_chart"] = chart
    out["denominator_derived"] = np.where(few, np.nan, inputs.denominator / years)
    reason = reasons(
        (inputs.missing, _MISSING), (few, "fewer than 10 events: dsrs are not plotted")
    )
    out["reason"] = pd.Series(reason, index=out.index, dtype=object)
    return back(out)
