"""Proportions with Wilson score confidence intervals (PHEindicatormethods `phe_proportion`).

References
----------
Wilson EB (1927). Probable inference, the law of succession, and statistical inference.
JASA 22:209-212. Newcombe RG, Altman DG (2000). Proportions and their differences. In *Statistics
with Confidence*, 2nd ed., BMJ Books, pp. 46-48. PHE (2018) *Technical Guide: Confidence
Intervals*, section 3.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from healthgap.stats._frame import (
    Frame,
    as_pandas,
    finish,
    float_array,
    fmt_number,
    group_sum,
    normalise_group_by,
    reasons,
)
from healthgap.stats._intervals import Estimates, wilson_limits
from healthgap.stats._validate import (
    parse_confidence,
    reject_rows,
    require_columns,
    require_numeric,
)


def proportion(
    data: Frame,
    numerator: str,
    denominator: str,
    *,
    group_by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] | None = 0.95,
    multiplier: float = 1,
) -> Frame:
    """Proportion x/n with Wilson score limits, per row or summed within `group_by` groups.

    value = x / n · multiplier (a fraction for multiplier 1, a percentage for 100);
    limits = (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)) · multiplier.

    Without `group_by` every row is computed on its own and all input columns are kept; with
    `group_by`, x and n are summed within each group first (a group with a missing x or n gives
    NA). `confidence=None` gives the value only (for 100% samples, PHE's `confidence = NA`).
    A zero denominator gives NA with a `reason`; a negative count or x > n raises
    `InputDataError` naming the rows.

    Returns the group (or input) columns, the (summed) numerator and denominator, `value`,
    the CI columns, `confidence`, `statistic` ("percentage" or "proportion of <multiplier>"),
    `method` ("Wilson") and `reason`.

    Example: 8 of 100 at 95% gives 0.08 (0.0411, 0.1500).
    """
    fn = "proportion"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, [numerator, denominator, *groups], fn)
    require_numeric(df, [numerator, denominator], fn)
    conf = None if confidence is None else parse_confidence(confidence, fn)

    x_in, n_in = float_array(df[numerator]), float_array(df[denominator])
    reject_rows(x_in < 0, df, f"{fn}: numerators must be greater than or equal to zero")
    reject_rows(n_in < 0, df, f"{fn}: denominators must be greater than or equal to zero")
    reject_rows(
        x_in > n_in,
        df,
        f"{fn}: numerators must be less than or equal to denominator for a proportion statistic",
    )

    out = group_sum(df, groups, [numerator, denominator]) if groups else df.copy()
    levels = () if conf is None else conf.levels
    est = wilson_arrays(
        float_array(out[numerator]), float_array(out[denominator]), levels, multiplier
    )
    out["value"] = est.value
    if conf is not None:
        for lo, hi, (lower, upper) in zip(est.lower, est.upper, conf.names(), strict=True):
            out[lower] = lo
            out[upper] = hi
    missing, zero = est.missing, est.zero
    statistic = "percentage" if multiplier == 100 else f"proportion of {fmt_number(multiplier)}"
    return back(
        finish(
            out,
            confidence=None if conf is None else conf.label,
            statistic=statistic,
            method=None if conf is None else "Wilson",
            reason=reasons(
                (missing, "numerator or denominator missing"), (zero, "denominator is zero")
            ),
        )
    )


def wilson_arrays(
    x: np.ndarray,
    n: np.ndarray,
    levels: Sequence[float] = (0.95,),
    multiplier: float | np.ndarray = 1,
) -> Estimates:
    """`proportion` on arrays, one estimate per element: the core the frame function calls.

    value = x / n · multiplier; limits = Wilson score limits of x of n at each confidence
    level in `levels` (fractions, e.g. (0.95, 0.998)), times `multiplier` (a number, or an
    array broadcast against x, e.g. one per row). A zero or NaN denominator gives NaN value
    and limits (flagged in `zero` / `missing`). Inputs are not validated: x must be 0 ≤ x ≤ n
    (`proportion` checks that on its input rows).
    """
    x = np.asarray(x, dtype="float64")
    n = np.asarray(n, dtype="float64")
    zero = n == 0
    n_safe = np.where(zero, np.nan, n)
    limits = [wilson_limits(x, n_safe, level) for level in levels]
    return Estimates(
        value=x / n_safe * multiplier,
        lower=tuple(lo * multiplier for lo, _ in limits),
        upper=tuple(hi * multiplier for _, hi in limits),
        missing=np.isnan(x) | np.isnan(n),
        zero=zero,
    )
