"""Means with Student's t confidence intervals (PHEindicatormethods `phe_mean`).

References
----------
Student (1908). The probable error of a mean. Biometrika 6(1):1-25. Altman DG, Machin D, Bryant
TN, Gardner MJ (2000). *Statistics with Confidence*, 2nd ed., BMJ Books, ch. 4. PHE (2018)
*Technical Guide: Confidence Intervals*, section 5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from healthgap.stats._frame import (
    Frame,
    as_pandas,
    finish,
    float_array,
    normalise_group_by,
    reasons,
)
from healthgap.stats._validate import parse_confidence, require_columns, require_numeric


def mean(
    data: Frame,
    value: str,
    *,
    group_by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
) -> Frame:
    """Mean of `value` with a Student's t interval, over the whole frame or within groups.

    For the k rows of a group (the whole frame without `group_by`, as `phe_mean` does):
    value_sum = Σx, value_count = k, stdev = √(Σ(x − x̄)² / (k − 1)), value = value_sum / k,
    limits = value ∓ t_{1−α/2, k−1} · stdev / √k, with α = 1 − confidence. Units are those of
    `value`.

    As in PHE, value_count counts every row, missing values included, and a group with any
    missing value has NA sum, stdev, value and limits. A group of one row has a value but NA
    stdev and limits (t needs k − 1 ≥ 1 degrees of freedom). Each NA is explained in `reason`.
    A non-numeric value raises `InputDataError` naming the rows. An empty frame gives an empty
    result (R gives one row with value_count 0 when ungrouped).

    Returns the group columns (none when ungrouped), `value_sum`, `value_count`, `stdev`,
    `value`, the CI columns, `confidence`, `statistic` ("mean"), `method`
    ("Student's t-distribution") and `reason`.

    Example: 1, 2, 3, 4 at 95% gives 2.5 (0.446, 4.554): stdev √(5/3), t_{0.975, 3} = 3.182.
    """
    fn = "mean"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, [value, *groups], fn)
    require_numeric(df, [value], fn)
    conf = parse_confidence(confidence, fn)

    x = pd.Series(float_array(df[value]), index=df.index)
    keys = [df[g] for g in groups] if groups else np.zeros(len(df), dtype=np.int8)
    grouped = x.groupby(keys, sort=True, dropna=False, observed=True)
    count = grouped.size()
    has_na = grouped.count() < count
    # Two-pass sum of squares about the group mean (as R's var), for accuracy at large values.
    squares = (x - grouped.transform("mean")) ** 2
    sum_squares = squares.groupby(keys, sort=True, dropna=False, observed=True).sum()

    k = count.to_numpy(dtype="float64")
    na = has_na.to_numpy()
    total = np.where(na, np.nan, grouped.sum().to_numpy(dtype="float64"))
    single = k < 2
    df_t = np.where(single, np.nan, k - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        stdev = np.where(na, np.nan, np.sqrt(sum_squares.to_numpy(dtype="float64") / df_t))
        centre = total / k
        half_widths = [sps.t.ppf(1 - (1 - c) / 2, df_t) * stdev / np.sqrt(k) for c in conf.levels]

    out = count.index.to_frame(index=False) if groups else pd.DataFrame(index=range(len(count)))
    out["value_sum"] = total
    out["value_count"] = count.to_numpy()
    out["stdev"] = stdev
    out["value"] = centre
    for half, (lower, upper) in zip(half_widths, conf.names(), strict=True):
        out[lower] = centre - half
        out[upper] = centre + half
    return back(
        finish(
            out,
            confidence=conf.label,
            statistic="mean",
            method="Student's t-distribution",
            reason=reasons(
                (na, "value missing"),
                (single, "fewer than two values, so no standard deviation"),
            ),
        )
    )
