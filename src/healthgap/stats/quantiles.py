"""Assign areas to quantiles of a value (PHEindicatormethods `phe_quantile`).

Used to put small areas into deprivation deciles or quintiles, or any areas into quantiles of an
indicator, within groups (e.g. within each region and indicator).

References
----------
OHID (formerly PHE) *Technical Guide: Assigning Deprivation Categories* (Fingertips
"Public health methods" guidance): rank the N areas, then quantile
= floor((q + 1) − ceiling((N + 1 − rank) / (N / q))). The guide advises a manual review where
areas with equal values straddle a quantile boundary; this function applies the rule strictly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats._frame import Frame, as_pandas, float_array, normalise_group_by, reasons
from healthgap.stats._validate import reject_groups, require_columns, require_numeric

INVERTED = "lowest quantile represents highest values"
NOT_INVERTED = "lowest quantile represents lowest values"


def quantiles(
    data: Frame,
    values: str,
    *,
    group_by: str | Sequence[str] | None = None,
    nquantiles: int = 10,
    invert: bool | str = True,
) -> Frame:
    """Quantile (1..nquantiles) of each row's value within its group; input rows kept in order.

    Within a group of N non-missing values, each value's rank r is its minimum rank (ties share
    the lowest rank), ranking max(value) − value when inverted so that the highest value is
    ranked 1; then quantile = floor((q + 1) − ceiling((N + 1 − r) / (N / q))), with 0 read as 1.

    `invert` is True (the default: quantile 1 holds the highest values), False (quantile 1 holds
    the lowest), or the name of a boolean column giving the direction for each group (it must
    take one value within a group). A missing value gets no quantile, and no group gets quantiles
    when it has fewer non-missing values than `nquantiles`; each such NA has a `reason`.

    Returns the input columns plus `quantile` (integer, NA where none), `nquantiles`,
    `groupvars` (the group columns joined by ", ") , `qinverted` (which end quantile 1 is) and
    `reason`. Raises `ArgumentError` for a bad `nquantiles` or `invert`, and `InputDataError`
    naming the groups where an `invert` column is missing or not constant.

    Example: values 10, 10, 30, 40 in 2 quantiles, not inverted, have ranks 1, 1, 3, 4 and
    quantiles 1, 1, 2, 2.
    """
    fn = "quantiles"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, [values, *groups], fn)
    require_numeric(df, [values], fn)
    if isinstance(nquantiles, bool) or not isinstance(nquantiles, int | np.integer):
        raise ArgumentError(f"{fn}: nquantiles must be a whole number, got {nquantiles!r}")
    if nquantiles < 1:
        raise ArgumentError(f"{fn}: nquantiles must be at least 1, got {nquantiles}")

    codes = (
        df.groupby(groups, sort=False, dropna=False, observed=True).ngroup().to_numpy()
        if groups
        else np.zeros(len(df), dtype=np.int64)
    )
    inverted = _invert_by_row(df, invert, groups, codes, fn)

    v = float_array(df[values])
    present = ~np.isnan(v)
    count = np.bincount(codes, weights=present, minlength=codes.max() + 1 if len(codes) else 0)
    n = count[codes]
    group_max = pd.Series(v).groupby(codes).transform("max").to_numpy()
    ranked = np.where(inverted, group_max - v, v)
    rank = pd.Series(ranked).groupby(codes).rank(method="min").to_numpy()
    q = nquantiles
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.floor((q + 1) - np.ceil(((n + 1) - rank) / (n / q)))
    too_few = n < q
    quantile = np.where(too_few, np.nan, np.where(quantile == 0, 1, quantile))

    out = df.copy()
    out["quantile"] = pd.array(quantile, dtype="Int64")
    out["nquantiles"] = q
    out["groupvars"] = ", ".join(groups)
    out["qinverted"] = np.array([NOT_INVERTED, INVERTED], dtype=object)[inverted.astype(np.int8)]
    out["reason"] = pd.Series(
        reasons(
            (~present, "value missing"),
            (too_few, f"group has fewer than {q} non-missing values, one per quantile"),
        ),
        index=out.index,
        dtype=object,
    )
    return back(out)


def _invert_by_row(
    df: pd.DataFrame, invert: object, groups: list[str], codes: np.ndarray, fn: str
) -> np.ndarray:
    """Each row's direction: True where quantile 1 holds the highest values."""
    if isinstance(invert, bool | np.bool_):
        return np.full(len(df), bool(invert))
    if not isinstance(invert, str):
        raise ArgumentError(
            f"{fn}: invert must be True, False or the name of a column of True/False values,"
            f" got {invert!r}"
        )
    require_columns(df, [invert], fn)
    column = df[invert]
    if pd.api.types.infer_dtype(column, skipna=True) != "boolean":
        raise InputDataError(f"{fn}: invert column {invert!r} must hold True/False values")
    missing = column.isna().to_numpy()
    flags = column.fillna(False).to_numpy(dtype=bool)
    by_group = pd.DataFrame({"flag": flags, "missing": missing}).groupby(codes)
    for mask, message in (
        (
            by_group["missing"].any().to_numpy(),
            f"{fn}: invert column {invert!r} has missing values",
        ),
        (
            by_group["flag"].nunique().to_numpy() > 1,
            f"{fn}: invert field values must take the same logical value for each data grouping"
            " set",
        ),
    ):
        if groups:
            first_rows = pd.Series(np.arange(len(df))).groupby(codes).first().to_numpy()
            reject_groups(mask, df[groups].iloc[first_rows], message)
        elif mask.any():
            raise InputDataError(message)
    return flags
