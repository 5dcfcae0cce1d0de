"""Interval helpers shared by several statistic families (PHEindicatormethods `R/utils.R`).

All functions are vectorised over numpy arrays and return NaN where an input is NaN.

References
----------
Byar's approximation: Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, vol II*.
IARC, p. 69. Exact Poisson limits: Ulm K (1990). Am J Epidemiol 131(2):373-375.
Wilson score: Wilson EB (1927). JASA 22:209-212; Newcombe RG, Altman DG (2000) in *Statistics with
Confidence*, 2nd ed., BMJ Books, pp. 46-48.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from healthgap.stats._validate import z_value


def byars_lower(observed: np.ndarray, confidence: float) -> np.ndarray:
    """Byar's lower limit for a Poisson count O: O·(1 − 1/(9O) − z/(3√O))³; NaN when negative."""
    o = np.asarray(observed, dtype="float64")
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    lower = np.where(o == 0, np.nan, lower)
    return np.where(lower < 0, np.nan, lower)


def byars_upper(observed: np.ndarray, confidence: float) -> np.ndarray:
    """Byar's upper limit for a Poisson count O: (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³."""
    o1 = np.asarray(observed, dtype="float64") + 1
    z = z_value(confidence)
    return o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3


def exact_lower(observed: np.ndarray, confidence: float) -> np.ndarray:
    """Exact Poisson lower limit χ²_{α/2}(2O)/2; exactly 0 when O = 0 (scipy gives NaN there)."""
    o = np.asarray(observed, dtype="float64")
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = sps.chi2.ppf(alpha / 2, 2 * o) / 2
    return np.where(o == 0, 0.0, lower)


def exact_upper(observed: np.ndarray, confidence: float) -> np.ndarray:
    """Exact Poisson upper limit χ²_{1−α/2}(2O + 2)/2."""
    o = np.asarray(observed, dtype="float64")
    alpha = 1 - confidence
    return sps.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2


def poisson_limits(observed: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits for a Poisson count: exact below 10, Byar's approximation from 10 (PHE's rule)."""
    o = np.asarray(observed, dtype="float64")
    small = o < 10
    with np.errstate(invalid="ignore"):
        lower = np.where(
            small, exact_lower(np.where(small, o, 0), confidence), byars_lower(o, confidence)
        )
        upper = np.where(
            small, exact_upper(np.where(small, o, 0), confidence), byars_upper(o, confidence)
        )
    nan = np.isnan(o)
    return np.where(nan, np.nan, lower), np.where(nan, np.nan, upper)


def wilson_limits(x: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x of n (proportion scale, 0-1).

    lower, upper = (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)); confidence 1 gives 0 and 1.
    """
    x = np.asarray(x, dtype="float64")
    n = np.asarray(n, dtype="float64")
    if confidence >= 1:
        nan = np.isnan(x) | np.isnan(n)
        return np.where(nan, np.nan, 0.0), np.where(nan, np.nan, 1.0)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
        denominator = 2 * (n + z**2)
        return (2 * x + z**2 - root) / denominator, (2 * x + z**2 + root) / denominator


@dataclass(frozen=True)
class Estimates:
    """A statistic per row (or group) of arrays, on the multiplier's scale.

    `value` is the estimate; `lower[i]` and `upper[i]` its limits at the i-th confidence level
    asked for (empty tuples when none was); `missing` marks rows whose numerator or
    denominator is NaN and `zero` those whose denominator is 0 (value and limits are NaN on
    both). Returned by `wilson_arrays` and `rate_arrays` (public in `healthgap.stats.arrays`).
    """

    value: np.ndarray
    lower: tuple[np.ndarray, ...]
    upper: tuple[np.ndarray, ...]
    missing: np.ndarray
    zero: np.ndarray
