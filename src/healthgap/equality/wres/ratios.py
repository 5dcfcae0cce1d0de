"""Relative likelihoods (ratios of two proportions) and differences of two proportions.

Relative likelihood RL = (a / n1) / (b / n2), the WRES's own statistic, with the Katz log
interval: SE(ln RL) = sqrt(1/a - 1/n1 + 1/b - 1/n2), limits exp(ln RL -/+ z * SE).
Reference: Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals for the
risk ratio in cohort studies. Biometrics 34:469-474; Altman DG et al. (2000) *Statistics with
Confidence*, 2nd ed., ch. 7.

Difference D = p1 - p2 with Newcombe's hybrid score (method 10) limits built from each
proportion's Wilson limits (l, u): D - sqrt((p1 - l1)^2 + (u2 - p2)^2) and
D + sqrt((u1 - p1)^2 + (p2 - l2)^2). Reference: Newcombe RG (1998). Interval estimation for the
difference between independent proportions: comparison of eleven methods. Stat Med 17:873-890.
The Wilson limits come from `healthgap.stats.proportion`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy import stats as sps

from healthgap.errors import ArgumentError
from healthgap.stats import proportion


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ArgumentError(f"The confidence level must be between 0 and 1, not {confidence}.")
    return float(sps.norm.ppf(0.5 + confidence / 2))


def _check_counts(x: float, n: float, label: str) -> None:
    if x < 0 or n < 0 or x > n or not (math.isfinite(x) and math.isfinite(n)):
        raise ArgumentError(
            f"The {label} counts must satisfy 0 <= numerator <= denominator; got {x} of {n}."
        )


@dataclass(frozen=True)
class RelativeLikelihood:
    """(a/n1) / (b/n2) with Katz log limits; `value` and the limits are NaN, with `reason`,
    when a proportion is undefined or zero."""

    a: float
    n1: float
    b: float
    n2: float
    value: float
    lowercl: float
    uppercl: float
    confidence: float
    reason: str = ""


def relative_likelihood(
    a: float, n1: float, b: float, n2: float, confidence: float = 0.95
) -> RelativeLikelihood:
    """Relative likelihood of group 1 (a of n1) compared with group 2 (b of n2), Katz limits.

    Example: 100 of 400 against 50 of 400 gives 2.0 (1.467, 2.727) at 95%.
    """
    _check_counts(a, n1, "first group's")
    _check_counts(b, n2, "second group's")
    z = _z(confidence)
    nan = float("nan")
    if n1 == 0 or n2 == 0:
        why = "a group has no one in the denominator, so its likelihood is undefined"
        return RelativeLikelihood(a, n1, b, n2, nan, nan, nan, confidence, why)
    if b == 0:
        why = "the comparison group's numerator is 0, so the ratio is undefined"
        return RelativeLikelihood(a, n1, b, n2, nan, nan, nan, confidence, why)
    value = (a / n1) / (b / n2)
    if a == 0:
        why = "the numerator is 0, so the Katz log limits are undefined"
        return RelativeLikelihood(a, n1, b, n2, value, nan, nan, confidence, why)
    se = math.sqrt(max(1 / a - 1 / n1 + 1 / b - 1 / n2, 0.0))
    log_rl = math.log(value)
    return RelativeLikelihood(
        a, n1, b, n2, value, math.exp(log_rl - z * se), math.exp(log_rl + z * se), confidence
    )


@dataclass(frozen=True)
class ProportionDifference:
    """p1 - p2 (fractions) with Newcombe hybrid score limits; NaN with `reason` if undefined."""

    p1: float
    p2: float
    value: float
    lowercl: float
    uppercl: float
    confidence: float
    reason: str = ""


def _wilson(x: float, n: float, confidence: float) -> tuple[float, float]:
    frame = proportion(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", confidence=confidence)
    return float(frame["lowercl"].iloc[0]), float(frame["uppercl"].iloc[0])


def proportion_difference(
    x1: float, n1: float, x2: float, n2: float, confidence: float = 0.95
) -> ProportionDifference:
    """x1/n1 - x2/n2 with Newcombe's hybrid score interval (method 10).

    Example (Newcombe 1998, table II, example a): 56/70 - 48/80 = 0.2000 (0.0524, 0.3339).
    """
    _check_counts(x1, n1, "first group's")
    _check_counts(x2, n2, "second group's")
    _z(confidence)
    nan = float("nan")
    if n1 == 0 or n2 == 0:
        why = "a group has no one in the denominator, so its percentage is undefined"
        return ProportionDifference(nan, nan, nan, nan, nan, confidence, why)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = _wilson(x1, n1, confidence)
    l2, u2 = _wilson(x2, n2, confidence)
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return ProportionDifference(p1, p2, d, lower, upper, confidence)
