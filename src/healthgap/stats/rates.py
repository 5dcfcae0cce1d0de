"""Crude rates with exact Poisson or Byar's confidence limits (PHEindicatormethods `phe_rate`).

References
----------
Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, vol II: The Design and Analysis
of Cohort Studies*. IARC Scientific Publications 82, p. 69 (Byar's approximation). Ulm K (1990).
A simple method to calculate the confidence interval of a standardized mortality ratio. Am J
Epidemiol 131(2):373-375 (exact limits from the chi-square distribution). PHE (2018) *Technical
Guide: Confidence Intervals*, section 4.
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
from healthgap.stats._intervals import Estimates, poisson_limits
from healthgap.stats._validate import (
    parse_confidence,
    reject_rows,
    require_columns,
    require_numeric,
)


def rate(
    data: Frame,
    numerator: str,
    denominator: str,
    *,
    group_by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
) -> Frame:
    """Crude rate x/n per `multiplier` with Poisson limits, per row or summed within groups.

    value = x / n · multiplier (events per 100,000 person-years by default, when n is in
    person-years). The limits are those of the Poisson count x divided by n and scaled:

    * x < 10, method "Exact": lower = χ²_{α/2}(2x)/2, upper = χ²_{1−α/2}(2x + 2)/2 (lower is 0
      when x = 0);
    * x ≥ 10, method "Byars": lower = x·(1 − 1/(9x) − z/(3√x))³,
      upper = (x + 1)·(1 − 1/(9(x + 1)) + z/(3√(x + 1)))³,

    with α = 1 − confidence and z = Φ⁻¹(1 − α/2). x > n is allowed (a rate is not a proportion).

    Without `group_by` every row is computed on its own and all input columns are kept; with
    `group_by`, x and n are summed within each group first (a group with a missing x or n gives
    NA). A zero denominator gives NA with a `reason`; a negative numerator or denominator raises
    `InputDataError` naming the rows. The `method` is chosen per row from x (None when x is
    missing).

    Returns the group (or input) columns, the (summed) numerator and denominator, `value`, the
    CI columns, `confidence`, `statistic` ("rate per <multiplier>", e.g. "rate per 100000"),
    `method` ("Exact" or "Byars") and `reason`.

    Example: 1 event in 100 person-years at 95% gives 1000 (25.3, 5571.6) per 100,000.
    """
    fn = "rate"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, [numerator, denominator, *groups], fn)
    require_numeric(df, [numerator, denominator], fn)
    conf = parse_confidence(confidence, fn)

    x_in, n_in = float_array(df[numerator]), float_array(df[denominator])
    reject_rows(x_in < 0, df, f"{fn}: numerators must be greater than or equal to zero")
    reject_rows(n_in < 0, df, f"{fn}: denominators must be greater than or equal to zero")

    out = group_sum(df, groups, [numerator, denominator]) if groups else df.copy()
    x = float_array(out[numerator])
    est = rate_arrays(x, float_array(out[denominator]), conf.levels, multiplier)
    out["value"] = est.value
    for lo, hi, (lower, upper) in zip(est.lower, est.upper, conf.names(), strict=True):
        out[lower] = lo
        out[upper] = hi
    method = np.where(np.isnan(x), None, np.where(x < 10, "Exact", "Byars"))
    return back(
        finish(
            out,
            confidence=conf.label,
            statistic=f"rate per {fmt_number(multiplier)}",
            method=method,
            reason=reasons(
                (est.missing, "numerator or denominator missing"),
                (est.zero, "denominator is zero"),
            ),
        )
    )


def rate_arrays(
    x: np.ndarray,
    n: np.ndarray,
    levels: Sequence[float] = (0.95,),
    multiplier: float | np.ndarray = 100_000,
) -> Estimates:
    """`rate` on arrays, one estimate per element: the core the frame function calls.

    value = x / n · multiplier; limits = the Poisson limits of x (exact below 10 events,
    Byar's from 10; `healthgap.stats.intervals.poisson_limits`) at each level in `levels`,
    divided by n and times `multiplier` (a number, or an array broadcast against x). A zero or
    NaN denominator gives NaN value and limits (flagged in `zero` / `missing`). Inputs are not
    validated (`rate` rejects negative counts on its input rows). The method of a row is
    "Exact" where x < 10, else "Byars".
    """
    x = np.asarray(x, dtype="float64")
    n = np.asarray(n, dtype="float64")
    zero = n == 0
    scale = multiplier / np.where(zero, np.nan, n)
    limits = [poisson_limits(x, level) for level in levels]
    return Estimates(
        value=x * scale,
        lower=tuple(lo * scale for lo, _ in limits),
        upper=tuple(hi * scale for _, hi in limits),
        missing=np.isnan(x) | np.isnan(n),
        zero=zero,
    )
