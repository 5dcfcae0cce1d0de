"""Numerical kernels behind the funnel plot functions (PHEindicatormethods `Funnels.R`, `utils.R`).

All functions are vectorised over numpy arrays: the x-axis recursion runs over the 100 chart
points with every group at once, and the Poisson bisection runs over every chart point at once.

References
----------
Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance. Stat Med
24(8):1185-1202. PHE (2018) *Technical Guide: Funnel plots* (Fingertips supporting information,
"PH methods"). Wilson EB (1927). JASA 22:209-212.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special
from scipy import stats as sps

#: Number of points on a funnel chart's x axis (PHE's 100-row limits table).
N_POINTS = 100
#: Stop the Poisson bisection once the step in v falls to this (PHE's Excel macro value).
BISECTION_TOLERANCE = 1e-7
#: PHE's Poisson series stops once a term past the mean is at most this fraction of the sum.
SERIES_CUTOFF = 1e-10


def proportion_limit(
    n: np.ndarray, average: np.ndarray, p: float, side: Literal["low", "high"], multiplier: float
) -> np.ndarray:
    """The proportion whose Wilson interval at sample size n just reaches the average p̄.

    With z = Φ⁻¹(p) (p = 0.975 for the 95% funnel, 0.999 for 99.8%), B = p̄(n/z² + 1),
    C = 1/z² + 1/n and D = (8B)² − 64·C·p̄·(n(p̄(n/z² + 2) − 1) + z²(p̄ − 1)):

        limit = (B ∓ √D / 8) / C / n · multiplier

    ("low" takes −, "high" +). This is PHE's `sigma_adjustment`, evaluated in R's order of
    operations. Algebraically it equals p̄ ∓ z·√(p̄(1 − p̄)/n), the proportions whose Wilson score
    interval has p̄ as a bound; D < 0 only by rounding and is taken as 0, and at p̄ = 0 or 1 the
    limit is p̄ exactly.
    """
    n = np.asarray(n, dtype="float64")
    q2 = float(sps.norm.ppf(p)) ** 2
    first_part = average * (n / q2 + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        discriminant = (-8 * average * (n / q2 + 1)) ** 2 - 64 * (1 / q2 + 1 / n) * average * (
            n * (average * (n / q2 + 2) - 1) + q2 * (average - 1)
        )
        # D = 64·C²·n·z²·p̄(1 − p̄) ≥ 0; at p̄ = 1 rounding can make it −ε (R then gives NaN).
        adj = np.sqrt(np.maximum(discriminant, 0))
        last_part = 1 / q2 + 1 / n
        sign = -1 if side == "low" else 1
        limit = (first_part + sign * adj / 8) / last_part / n * multiplier
    # At p̄ = 0 or 1 the funnel is p̄ itself; R's arithmetic gives NaN or noise of order √ε there.
    return np.where(average * (1 - average) == 0, average * multiplier, limit)


def _cdf(k: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """P(K ≤ k) for K ~ Poisson(mean); 0 for k < 0."""
    return np.where(k < 0, 0.0, special.pdtr(np.maximum(k, 0), mean))


def _sf(k: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """P(K > k) for K ~ Poisson(mean); 1 for k < 0."""
    return np.where(k < 0, 1.0, special.pdtrc(np.maximum(k, 0), mean))


def _series_end(mean: np.ndarray) -> np.ndarray:
    """The last count that PHE's series (`poisson_cis`) sums for a Poisson mean z.

    The series adds the terms zᵏ/k! and stops at the first k > z whose term is at most 1e-10 of
    the sum before it. Past the mean the terms fall and the sum grows, so that condition is
    monotone in k and is found by bisection on whole numbers.
    """
    lo = np.floor(mean) + 1
    hi = lo + np.ceil(40 * np.sqrt(mean + 1)) + 40  # the term there is below e^-800 of the sum
    while np.any(lo < hi):
        mid = np.floor((lo + hi) / 2)
        log_term = special.xlogy(mid, mean) - mean - special.gammaln(mid + 1)
        stop = log_term <= np.log(SERIES_CUTOFF) + np.log(_cdf(mid - 1, mean))
        hi = np.where(stop, mid, hi)
        lo = np.where(stop, lo, mid + 1)
    return lo - 1


def _tail(
    obs: np.ndarray, mean: np.ndarray, side: str, last: np.ndarray | None = None
) -> np.ndarray:
    """P(K ≥ O) ("low") or P(K ≤ O) ("high"), K ~ Poisson(mean).

    With `last`, PHE's truncated series instead: the same probability for K restricted to the
    counts 0..last, i.e. divided by P(K ≤ last).
    """
    at_least = np.ceil(obs) - 1  # P(K ≥ O) = P(K > ⌈O⌉ − 1)
    at_most = np.floor(obs)
    if last is None:
        return _sf(at_least, mean) if side == "low" else _cdf(at_most, mean)
    total = _cdf(last, mean)
    if side == "low":
        return np.maximum(_sf(at_least, mean) - _sf(last, mean), 0) / total
    return _cdf(np.minimum(at_most, last), mean) / total


def poisson_funnel(observed: np.ndarray, p: float, side: Literal["low", "high"]) -> np.ndarray:
    """The Poisson mean μ at which the tail beyond an observed count O has probability p.

    "low" finds the smaller μ with P(K ≥ O | μ) = p (the upper control limit O/μ); "high" finds
    the larger μ with P(K ≤ O | μ) = p (the lower control limit). As in PHE's macro, μ is
    parametrised as μ = (1 + O)·v/(1 − v) and v is bisected from 0.5 with a step that starts at
    0.5 and halves until it is no more than 1e-7 (23 halvings), all distinct counts at once.

    PHE sums the tail with a series truncated at a relative 1e-10, which differs from the exact
    tail (`scipy.special.pdtr`) by less than 1e-10·(μ + 1). Where the exact tail is that close
    to p the truncated sum is used, so every bisection step goes the way PHE's does (it matters:
    at O = 328 the 99.8% upper count limit moves by 3e-6 relative otherwise).
    """
    observed = np.asarray(observed, dtype="float64")
    obs, inverse = np.unique(observed, return_inverse=True)  # each distinct count solved once
    v = np.full(obs.shape, 0.5)
    dv = 0.5
    while dv > BISECTION_TOLERANCE:
        dv /= 2
        mean = (1 + obs) * v / (1 - v)
        tail = _tail(obs, mean, side)
        near = np.abs(tail - p) < SERIES_CUTOFF * (mean + 2)
        if near.any():
            tail[near] = _tail(obs[near], mean[near], side, last=_series_end(mean[near]))
        step_down = tail > p if side == "low" else tail < p
        v = np.where(step_down, v - dv, v + dv)
    return ((1 + obs) * v / (1 - v))[inverse].reshape(observed.shape)


def r_nchar(values: np.ndarray) -> np.ndarray:
    """R's `nchar()` of non-negative whole numbers stored as doubles, as `as.character` writes them.

    R writes a double in scientific notation when that is strictly shorter than fixed notation
    (15 significant digits, scipen 0): 700000 is "7e+05" (5 characters, not 6) and 123000000 is
    "1.23e+08" (8, not 9). PHE's axis rounding counts these characters, so this reproduces it.
    """
    v = np.asarray(values, dtype="float64")
    safe = np.where(np.isfinite(v) & (v >= 1), v, 1.0)
    digits = np.floor(np.log10(safe)) + 1
    digits += safe >= 10.0**digits  # guard log10 rounding either side of a power of ten
    digits -= safe < 10.0 ** (digits - 1)
    trailing_zeros = np.zeros_like(safe)
    for k in range(1, 16):
        trailing_zeros += np.fmod(safe, 10.0**k) == 0
    significant = np.minimum(digits - trailing_zeros, 15)
    exponent_width = np.maximum(2, np.floor(np.log10(np.maximum(digits - 1, 1))) + 1)
    scientific = significant + (significant > 1) + 2 + exponent_width  # d[.ddd]e+XX
    return np.where(digits <= scientific, digits, scientific)


def signif_floor(x: np.ndarray, percentage_down: float = 0.95) -> np.ndarray:
    """PHE's `signif.floor`: 95% of x rounded down to its leading digit (0 stays 0).

    n = nchar(⌊0.95x⌋) − 1; result = ⌊0.95x / 10ⁿ⌋ · 10ⁿ, e.g. 23684 → 22499.8 → 20000.
    """
    x = np.asarray(x, dtype="float64")
    power = 10.0 ** (r_nchar(np.floor(x * percentage_down)) - 1)
    return np.where(x == 0, 0.0, np.floor(x * percentage_down / power) * power)


def signif_ceiling(x: np.ndarray, percentage_up: float = 1.05) -> np.ndarray:
    """PHE's `signif.ceiling`: 105% of x rounded up to two leading digits (0 stays 0).

    n = nchar(⌈1.05x⌉) − 2; result = ⌈1.05x / 10ⁿ⌉ · 10ⁿ, e.g. 61921 → 65017.05 → 66000.
    """
    x = np.asarray(x, dtype="float64")
    power = 10.0 ** (r_nchar(np.ceil(x * percentage_up)) - 2)
    return np.where(x == 0, 0.0, np.ceil(x * percentage_up / power) * power)


def axis_points(minimum: np.ndarray, maximum: np.ndarray, *, ratio: bool) -> np.ndarray:
    """The 100 x-axis points of each funnel (one row per group), spaced geometrically.

    x₁ = max(1, minimum); xⱼ = max(round((maximum/xⱼ₋₁)^(1/(101 − k))·xⱼ₋₁), xⱼ₋₁ + 1) with
    k = j for proportions and rates and k = j − 1 for ratios (PHE's offset, so a ratio axis stops
    short of its maximum). R's `round` is half-to-even, as numpy's.
    """
    minimum = np.atleast_1d(np.asarray(minimum, dtype="float64"))
    maximum = np.atleast_1d(np.asarray(maximum, dtype="float64"))
    points = np.empty((minimum.size, N_POINTS))
    points[:, 0] = np.maximum(1, minimum)
    for j in range(2, N_POINTS + 1):
        previous = points[:, j - 2]
        offset = j - 1 if ratio else j
        step = np.round((maximum / previous) ** (1 / (101 - offset)) * previous)
        points[:, j - 1] = np.maximum(step, previous + 1)
    return points
