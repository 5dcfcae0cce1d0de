"""XmR statistical process control charts, NHS "Making Data Count" style (NHSRplotthedots 0.2.2).

`spc` takes the R package's arguments and returns its output columns, one row per point sorted by
facet and then date, so R code ports line by line; `spc_summary` is R's `summary()` of the
result. The arithmetic and rules live in `_spc_rules` (vectorised over every facet × rebase
group at once). Rules, quirks and every deliberate difference from R: docs/evaluation.md.

Reference: NHS-R community, NHSRplotthedots 0.2.2 (R/ptd_spc.R, ptd_spc_standard.R,
ptd_calculate_point_type.R, ptd_add_short_group_warnings.R, ptd_add_target_column.R,
ptd_calculate_assurance_type.R); NHS England, *Making Data Count* (2019).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError, InputDataError
from healthgap.evaluation import _spc_rules as rules

COLUMNS = [
    "y", "x", "f", "trajectory", "rebase_group", "short_group_warning", "fix_y", "mean_col", "lpl",
    "upl", "outside_limits", "relative_to_mean", "close_to_limits", "special_cause_type",
    "special_cause_flag", "point_type", "target",
]  # fmt: skip
NO_FACET = "no facet"
SHORT_GROUP = 13  # R option ptd_spc.warning_threshold, default 13 in 0.2.2
MIN_FIX = 12
DIRECTIONS = {"increase": 1, "neutral": 0, "decrease": -1}
OPTIONS = "healthgap.spc"  # key of the options kept in the result's `attrs`

Rebase = object  # a date, a list of dates, or {facet: date or [dates]}
Target = float | Mapping[Any, float] | None


def spc(
    df: pd.DataFrame,
    value_field: str,
    date_field: str,
    facet_field: str | None = None,
    rebase: Rebase | None = None,
    fix_after_n_points: int | None = None,
    improvement_direction: str = "increase",
    target: Target = None,
    trajectory: str | None = None,
    screen_outliers: bool = True,
) -> pd.DataFrame:
    """XmR chart data for every facet: NHSRplotthedots 0.2.2 `ptd_spc` as a data frame.

    Parameters
    ----------
    df : one row per point; no gaps or duplicate dates within a facet.
    value_field, date_field, facet_field : column names (facet optional).
    rebase : a date, a list of dates, or `{facet: date or [dates]}`; a new rebase group (fresh
        mean and limits) starts at each date, which must be one of the facet's dates.
    fix_after_n_points : base the mean and limits on each group's first n points (n ≥ 12).
    improvement_direction : "increase", "decrease" or "neutral".
    target : a number for every facet, or `{facet: number}`.
    trajectory : a column copied to the `trajectory` column.
    screen_outliers : drop moving ranges ≥ 3.267 × their mean before the limits (R's default).

    Returns
    -------
    `COLUMNS`, in the units of `value_field`: `mean_col`, `lpl`, `upl` (mean ± 2.66 × mean moving
    range), `special_cause_type` (e.g. "Above UCL", "7 Point Trend (Increasing)"), `point_type`
    ("common_cause", "special_cause_improvement", …). The options are kept in `attrs` for
    `spc_summary` and the chart.
    """
    if not isinstance(df, pd.DataFrame):
        raise ArgumentError("spc: df must be a pandas DataFrame.")
    fields = {"value_field": value_field, "date_field": date_field}
    fields |= {"facet_field": facet_field, "trajectory": trajectory}
    for arg, name in fields.items():
        if name is not None and name not in df.columns:
            raise ArgumentError(f"spc: {arg} {name!r} is not a column of the data.")
    direction = _direction(improvement_direction)
    fix = _fix_after(fix_after_n_points)
    if not isinstance(screen_outliers, bool | np.bool_):
        raise ArgumentError("spc: screen_outliers must be True or False.")
    if facet_field is None and isinstance(rebase, Mapping):
        raise ArgumentError("spc: rebase must be a date or a list of dates when no facet is set.")
    if facet_field is None and isinstance(target, Mapping):
        raise ArgumentError("spc: target must be a single number when no facet is set.")

    frame = _frame(df, value_field, date_field, facet_field, trajectory)
    rebase_group = _rebase_groups(frame, rebase)
    fcode = frame["fcode"].to_numpy()
    new_group = np.ones(len(frame), dtype=bool)
    new_group[1:] = (fcode[1:] != fcode[:-1]) | (rebase_group[1:] != rebase_group[:-1])
    g = np.cumsum(new_group) - 1
    y = frame["y"].to_numpy(dtype=float)
    lim = rules.limits(y, g, fix_after_n_points=fix, screen_outliers=bool(screen_outliers))
    code = rules.special_cause(y, g, lim)
    _, _, size = rules.group_layout(g)

    out = pd.DataFrame(
        {
            "y": y,
            "x": frame["x"].to_numpy(),
            "f": frame["f"].to_numpy(),
            "trajectory": frame["trajectory"].to_numpy(),
            "rebase_group": rebase_group,
            "short_group_warning": size < SHORT_GROUP,
            "fix_y": lim.fix_y,
            "mean_col": lim.mean_col,
            "lpl": lim.lpl,
            "upl": lim.upl,
            "outside_limits": lim.outside_limits,
            "relative_to_mean": lim.relative_to_mean.astype(np.int64),
            "close_to_limits": lim.close_to_limits,
            "special_cause_type": pd.Categorical.from_codes(code, categories=rules.LABELS),
            "special_cause_flag": code != 0,
            "point_type": rules.point_type(code, direction),
            "target": _targets(frame["f"], target),
        }
    )
    out.attrs[OPTIONS] = {
        "facet_field": facet_field,
        "rebased": rebase is not None,
        "improvement_direction": improvement_direction,
        "has_target": target is not None,
        "value_field": value_field,
    }
    return out


def spc_summary(chart: pd.DataFrame) -> pd.DataFrame:
    """One row per facet and rebase group: R's `summary()` of a `ptd_spc` result.

    Columns: `f` (when faceted), `rebase_group` (when rebased), `mean_col`, `lpl`, `upl`, `n`,
    `common_cause`, `special_cause_improvement`, `special_cause_concern`, `variation_type` (the
    point type of the group's last point) and, when a target was given, `assurance_type` (on the
    facet's last group only): "consistent_pass", "consistent_fail" or "inconsistent" as the
    target lies beyond a process limit or between them.
    """
    options = chart.attrs.get(OPTIONS) if isinstance(chart, pd.DataFrame) else None
    if options is None:
        raise ArgumentError("spc_summary: pass the data frame returned by spc().")
    keys = ["f", "rebase_group"]
    grouped = chart.groupby(keys, sort=False)
    s = grouped[["mean_col", "lpl", "upl"]].first()
    s["n"] = grouped.size()
    s["common_cause"] = s["n"] - grouped["special_cause_flag"].sum()
    types = chart["point_type"]
    for name in ("special_cause_improvement", "special_cause_concern"):
        s[name] = (types == name).groupby([chart[k] for k in keys], sort=False).sum()
    s["variation_type"] = grouped["point_type"].last()
    s = s.reset_index()
    if options["has_target"]:
        s["assurance_type"] = _assurance(chart, s, options["improvement_direction"])
    drop = [k for k, keep in (("f", options["facet_field"]), ("rebase_group", options["rebased"]))
            if not keep]  # fmt: skip
    return s.drop(columns=drop)


def assurance_type(target: float, lpl: float, upl: float, improvement_direction: str) -> str | None:
    """MDC assurance of one limit pair against a target (None for neutral or no target)."""
    if improvement_direction == "neutral" or target is None or np.isnan(target):
        return None
    up = improvement_direction == "increase"
    if target > upl:
        return "consistent_fail" if up else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if up else "consistent_fail"
    return "inconsistent"


def _assurance(chart: pd.DataFrame, s: pd.DataFrame, direction: str) -> list[str | None]:
    last = chart.groupby("f", sort=False).tail(1).set_index("f")
    newest = s.groupby("f", sort=False)["rebase_group"].transform("max")
    out: list[str | None] = []
    for f, group, top in zip(s["f"], s["rebase_group"], newest, strict=True):
        row = last.loc[f]
        out.append(
            assurance_type(row["target"], row["lpl"], row["upl"], direction) if group == top
            else None
        )  # fmt: skip
    return out


def _direction(value: str) -> int:
    if value not in DIRECTIONS:
        raise ArgumentError(
            f"spc: improvement_direction must be one of {', '.join(DIRECTIONS)}, not {value!r}."
        )
    return DIRECTIONS[value]


def _fix_after(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < MIN_FIX:
        raise ArgumentError(
            f"spc: fix_after_n_points must be a whole number of at least {MIN_FIX}, not {value!r}."
        )
    return int(value)


def _as_dates(values: pd.Series | Sequence[object], what: str) -> pd.Series:
    """Numbers stay numbers (a period index); anything else is parsed as dates, like R."""
    series = pd.Series(values)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series
    try:
        return pd.Series(pd.to_datetime(series)).astype("datetime64[ns]")
    except (ValueError, TypeError) as exc:
        raise InputDataError(f"spc: {what} could not be read as dates ({exc}).") from exc


def _frame(
    df: pd.DataFrame, value: str, date: str, facet: str | None, trajectory: str | None
) -> pd.DataFrame:
    """y, x, f, trajectory and the facet's sort code, sorted by facet and then date."""
    y = pd.to_numeric(df[value], errors="coerce").astype(float)
    bad = y.isna() & df[value].notna()
    if bad.any():
        raise InputDataError(f"spc: {value!r} must hold numbers.", df.index[bad])
    if y.isna().any():
        raise InputDataError(
            f"spc: {value!r} is missing in some rows; an XmR chart needs a value for every "
            "period (drop or fill them first).",
            df.index[y.isna()],
        )
    x = _as_dates(df[date].reset_index(drop=True), f"{date!r}")
    if x.isna().any():
        raise InputDataError(f"spc: {date!r} is missing in some rows.", df.index[x.isna()])
    f = df[facet].to_numpy() if facet else np.full(len(df), NO_FACET, dtype=object)
    if facet and pd.isna(f).any():
        raise InputDataError(f"spc: {facet!r} is missing in some rows.", df.index[pd.isna(f)])
    fcode = pd.factorize(f, sort=True)[0]
    xkey = x.to_numpy().view(np.int64) if x.dtype.kind == "M" else x.to_numpy(dtype=float)
    order = np.lexsort((xkey, fcode))
    fcode, xkey = fcode[order], xkey[order]
    dup = np.zeros(len(order), dtype=bool)
    dup[1:] = (fcode[1:] == fcode[:-1]) & (xkey[1:] == xkey[:-1])
    if dup.any():
        rows = np.union1d(order[dup], order[np.flatnonzero(dup) - 1])
        raise InputDataError(
            "spc: a facet has two rows for the same date; give one value per period.",
            df.index[rows],
        )
    trajectory_values = (
        pd.to_numeric(df[trajectory]).astype(float).to_numpy() if trajectory
        else np.full(len(df), np.nan)
    )  # fmt: skip
    return pd.DataFrame(
        {"y": y.to_numpy()[order], "x": x.to_numpy()[order], "f": f[order],
         "trajectory": trajectory_values[order], "fcode": fcode}
    )  # fmt: skip


def _rebase_groups(frame: pd.DataFrame, rebase: Rebase | None) -> np.ndarray:
    """`cumsum` of the rebase flags within each facet (0 before the first rebase date)."""
    if rebase is None:
        return np.zeros(len(frame), dtype=int)
    if isinstance(rebase, Mapping):
        unknown = [f for f in rebase if f not in set(frame["f"])]
        if unknown:
            raise ArgumentError(f"spc: rebase names facets that are not in the data: {unknown}.")
        parts = [(f, _date_list(dates, frame)) for f, dates in rebase.items()]
    else:
        parts = [(f, _date_list(rebase, frame)) for f in frame["f"].unique()]
    wanted = pd.MultiIndex.from_arrays(
        [
            pd.Series([f for f, dates in parts for _ in range(len(dates))], dtype=object),
            pd.concat([dates for _, dates in parts], ignore_index=True),
        ]
    )
    here = pd.MultiIndex.from_arrays([frame["f"].astype(object), frame["x"]])
    flags = here.isin(wanted)
    found = wanted.isin(here)
    if isinstance(rebase, Mapping):
        missing = wanted[~found]
    else:  # a date for every facet: it must be a date of at least one facet
        dates = wanted.get_level_values(1)
        missing = wanted[~pd.Series(found).groupby(np.asarray(dates)).transform("any").to_numpy()]
    if len(missing):
        shown = sorted({str(d) for d in missing.get_level_values(1)})
        raise ArgumentError(f"spc: rebase dates not among the data's dates: {shown}.")
    return pd.Series(flags.astype(int)).groupby(frame["f"].to_numpy()).cumsum().to_numpy()


def _date_list(value: object, frame: pd.DataFrame) -> pd.Series:
    values = list(value) if isinstance(value, list | tuple | np.ndarray | pd.Index) else [value]
    parsed = _as_dates(pd.Series(values) if values else pd.Series([], dtype=object), "rebase")
    if pd.api.types.is_numeric_dtype(frame["x"]) != pd.api.types.is_numeric_dtype(parsed):
        raise ArgumentError("spc: rebase dates must be of the same kind as the date column.")
    return parsed.astype(frame["x"].dtype)


def _targets(f: pd.Series, target: Target) -> np.ndarray:
    if target is None:
        return np.full(len(f), np.nan)
    if isinstance(target, Mapping):
        bad = {k: v for k, v in target.items() if not _is_number(v)}
        if bad:
            raise ArgumentError(f"spc: targets must be numbers: {bad}.")
        unknown = [k for k in target if k not in set(f)]
        if unknown:
            raise ArgumentError(f"spc: target names facets that are not in the data: {unknown}.")
        return f.map({k: float(v) for k, v in target.items()}).astype(float).to_numpy()
    if not _is_number(target):
        raise ArgumentError(f"spc: target must be a number or {{facet: number}}, not {target!r}.")
    return np.full(len(f), float(target))  # type: ignore[arg-type]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
