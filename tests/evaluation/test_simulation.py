"""Honest inference: over many simulated data sets with a known effect the 95% intervals cover
it about 95% of the time, and with no effect about 5% of tests are significant.

The band is the 99.9% binomial band around the nominal rate, p ± 3.29 × √(p(1 − p)/R) (for
R = 300: 95% ± 4.1 points, 5% ± 4.1 points), so a sound method fails it about once in 1,000
seeds. ITS uses 240 monthly points and its default AR(1) errors: intervals under-cover in short
series and with Newey–West errors, which docs/evaluation.md reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthgap.evaluation.did import did
from healthgap.evaluation.its import its

REPS = 300
Z = 3.29  # two-sided 99.9%


def band(p: float, reps: int = REPS) -> tuple[float, float]:
    half = Z * np.sqrt(p * (1 - p) / reps)
    return p - half, p + half


def panel(
    rng: np.random.Generator, effect: float, areas: int = 40, years: int = 10
) -> pd.DataFrame:
    """Area and year effects, AR(1) errors (ρ = 0.5) within each area, half the areas treated."""
    unit = np.repeat(np.arange(areas), years)
    t = np.tile(np.arange(years), areas)
    eps = rng.normal(0.0, 1.0, (areas, years))
    for k in range(1, years):
        eps[:, k] += 0.5 * eps[:, k - 1]
    treated, post = unit < areas // 2, t >= 6
    y = (50 + rng.normal(0, 2, areas)[unit] + rng.normal(0, 1, years)[t] + eps.ravel()
         + effect * (treated & post))  # fmt: skip
    return pd.DataFrame({"y": y, "area": unit, "year": t, "treated": treated, "post": post})


@pytest.mark.slow
def test_did_coverage_and_false_positives() -> None:
    rng = np.random.default_rng(20261207)
    covered = sum(
        e.lowercl <= 4.0 <= e.uppercl
        for e in (did(panel(rng, 4.0), "y", "area", "year", "treated", "post") for _ in range(REPS))
    )
    false = sum(
        did(panel(rng, 0.0), "y", "area", "year", "treated", "post").p_value < 0.05
        for _ in range(REPS)
    )
    low, high = band(0.95)
    assert low <= covered / REPS <= high
    low, high = band(0.05)
    assert low <= false / REPS <= high


def series(rng: np.random.Generator, level: float, slope: float, n: int = 240) -> pd.DataFrame:
    """Monthly series, 120 points each side, AR(1) errors with ρ = 0.3."""
    e = rng.normal(0.0, 1.0, n)
    for k in range(1, n):
        e[k] += 0.3 * e[k - 1]
    t = np.arange(n)
    post = t >= n // 2
    y = 10 + 0.05 * t + level * post + slope * np.where(post, t - n // 2, 0) + e
    return pd.DataFrame({"m": pd.date_range("2005-01-01", periods=n, freq="MS"), "y": y})


@pytest.mark.slow
def test_its_coverage_and_false_positives() -> None:
    rng = np.random.default_rng(20261208)
    start = "2015-01-01"  # the 121st month
    fits = [its(series(rng, 2.0, 0.02), "y", "m", start) for _ in range(REPS)]
    level = sum(s.level_change.lowercl <= 2.0 <= s.level_change.uppercl for s in fits) / REPS
    slope = sum(s.slope_change.lowercl <= 0.02 <= s.slope_change.uppercl for s in fits) / REPS
    nulls = [its(series(rng, 0.0, 0.0), "y", "m", start) for _ in range(REPS)]
    false = sum(s.level_change.p_value < 0.05 for s in nulls) / REPS
    low, high = band(0.95)
    assert low <= level <= high and low <= slope <= high
    low, high = band(0.05)
    assert low <= false <= high
