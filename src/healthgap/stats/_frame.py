"""Data-frame plumbing shared by the statistics functions.

Every public statistic takes a pandas or polars data frame and returns the same kind. Inside,
work is done on pandas/numpy arrays; these helpers convert at the edges and do the grouping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError

Frame = Any  # pandas.DataFrame | polars.DataFrame (polars is imported lazily)


def as_pandas(data: Frame, function: str) -> tuple[pd.DataFrame, Callable[[pd.DataFrame], Frame]]:
    """Return `data` as pandas plus a function that turns a pandas result back into its kind."""
    if isinstance(data, pd.DataFrame):
        return data, lambda out: out.reset_index(drop=True)
    module = type(data).__module__
    if module.startswith("polars"):
        import polars as pl

        return data.to_pandas(), lambda out: pl.from_pandas(out.reset_index(drop=True))
    raise ArgumentError(
        f"{function}: data must be a pandas or polars DataFrame, not {type(data).__name__}"
    )


def normalise_group_by(group_by: str | Sequence[str] | None) -> list[str]:
    """`None` -> [], "a" -> ["a"], ("a", "b") -> ["a", "b"]."""
    if group_by is None:
        return []
    if isinstance(group_by, str):
        return [group_by]
    return list(group_by)


def group_sum(
    df: pd.DataFrame, group_by: list[str], columns: Sequence[str], *, min_count: int = 0
) -> pd.DataFrame:
    """Sum `columns` within groups (sorted by the group columns, NA groups kept).

    A group containing a missing value sums to NA (R's `sum` semantics), so its statistic is NA
    rather than silently computed from the other rows.
    """
    grouped = df.groupby(group_by, sort=True, dropna=False, observed=True)
    sums = grouped[list(columns)].sum(min_count=min_count)
    has_na = df[list(columns)].isna().groupby([df[g] for g in group_by], dropna=False).any()
    sums = sums.mask(has_na.reindex(sums.index).to_numpy())
    return sums.reset_index()


def float_array(series: pd.Series) -> np.ndarray:
    """A column as a float64 numpy array with NaN for missing values."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def fmt_number(x: float) -> str:
    """A multiplier as R's `format(x, scientific = FALSE)` prints it: 100000, 1, 0.5."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def reasons(*rules: tuple[np.ndarray, str]) -> np.ndarray:
    """A `reason` column: for each row the first rule whose mask is True, else None.

    Every NA a statistic returns is explained here ("denominator is zero", "total count < 10").
    """
    size = len(rules[0][0])
    out = np.full(size, None, dtype=object)
    for mask, text in reversed(rules):
        out[np.asarray(mask, dtype=bool)] = text
    return out


def finish(
    out: pd.DataFrame,
    *,
    confidence: str | None,
    statistic: str | np.ndarray,
    method: str | np.ndarray | None,
    reason: np.ndarray,
) -> pd.DataFrame:
    """Append the standard trailer columns: confidence, statistic, method, reason."""
    if confidence is not None:
        out["confidence"] = confidence
    out["statistic"] = statistic
    if method is not None:
        out["method"] = method
    out["reason"] = pd.Series(reason, index=out.index, dtype=object)
    return out
