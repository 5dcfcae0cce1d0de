"""Empirical-Bayes stabilisation of small-area proportions and rates.

A neighbourhood's observed value is noisy when few people are counted, so a ranking on raw
values chases chance: the top places go to tiny areas with extreme values. Empirical Bayes
shrinks each area's value towards the mean of a *pool* of comparable areas (the same indicator,
period and group within one parent area such as a local authority), by an amount that depends
on how much data the area has and on how much the areas in the pool really differ.

Proportions: the beta-binomial model. x_i ~ Binomial(n_i, p_i), p_i ~ Beta(a, b).
Method-of-moments prior from the k areas of the pool with n_i > 0 (N = Σn_i, n̄ = N/k):

    μ  = Σx_i / N                              (prior mean)
    s² = Σ n_i (p̂_i − μ)² / N                  (weighted variance of observed values)
    τ² = max(0, (s² − μ(1 − μ)/n̄) / (1 − 1/n̄))   (between-area variance; 0 if n̄ ≤ 1)
    M  = a + b = μ(1 − μ)/τ² − 1, capped at N  (prior strength, in people)
    a = μM, b = (1 − μ)M

Under the model E[s²] = τ² + (μ(1 − μ) − τ²)/n̄ (treating μ as known), which gives τ²; a Beta
prior with mean μ and variance τ² has a + b + 1 = μ(1 − μ)/τ². The posterior of p_i is
Beta(x_i + a, n_i − x_i + b): the stabilised value is its mean (x_i + a)/(n_i + M), which is a
weighted mean of the raw value (weight n_i/(n_i + M)) and μ, and the interval is its central
quantiles.

Rates: the Poisson–gamma model of Clayton & Kaldor (1987) with Marshall's (1991) moment
estimator. x_i ~ Poisson(E_i λ_i), λ_i ~ Gamma(α, β) (mean α/β, variance α/β²):

    m  = Σx_i / ΣE_i,  s² = Σ E_i (r_i − m)² / ΣE_i,  A = max(0, s² − m/Ē)
    β = m/A (capped at ΣE_i), α = mβ

with posterior Gamma(x_i + α, E_i + β), mean (x_i + α)/(E_i + β). E_i is the exposure: the
population for a crude rate; for a directly standardised rate prioritise passes the
"standardised exposure" x_i / DSR_i (see docs/priorities.md).

Deliberate choices, all documented in docs/priorities.md:
- the prior strength is capped at the pool's total N (or ΣE): the prior cannot carry more
  information than the data it was estimated from. Without the cap a pool with no excess
  variation (τ² = 0) would give every area exactly μ with a zero-width interval;
- pools with fewer than `min_areas` areas with data, pools whose rate is 0 or 100% (no
  variation to learn from), and beta-binomial pools whose prior would be worth less than one
  person (M < 1: τ² near its ceiling μ(1 − μ), areas all at 0% or 100%) are not smoothed:
  their rows get NA with a `reason`, and callers fall back to the raw value.

References
----------
Clayton D, Kaldor J (1987). Empirical Bayes estimates of age-standardized relative risks for use
in disease mapping. Biometrics 43(3):671-681. Marshall RJ (1991). Mapping disease and mortality
rates using empirical Bayes estimators. Applied Statistics 40(2):283-294. Kleinman JC (1973).
Proportions with extraneous variance: single and independent samples. JASA 68:46-54.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from healthgap.errors import ArgumentError
from healthgap.stats.inputs import (
    Frame,
    as_pandas,
    float_array,
    normalise_group_by,
    parse_confidence,
    reasons,
    reject_rows,
    require_columns,
    require_numeric,
)

MODELS = ("beta_binomial", "poisson_gamma")
MIN_AREAS = 5
"""Pools with fewer areas with data than this are not smoothed (a variance needs several)."""


@dataclass(frozen=True)
class Prior:
    """Per-row prior parameters: Beta(a, b) or Gamma(shape a, rate b), with NA and a reason
    where the pool is not smoothed. `mean` is the prior mean (μ or m)."""

    a: np.ndarray
    b: np.ndarray
    mean: np.ndarray
    reason: np.ndarray


def _pool_sums(codes: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
    """Σ of each column within each pool, returned per row (codes from `groupby.ngroup`)."""
    size = int(codes.max()) + 1 if len(codes) else 0
    return [np.bincount(codes, weights=c, minlength=size)[codes] for c in columns]


def beta_binomial_prior(
    x: np.ndarray, n: np.ndarray, pool: np.ndarray, *, min_areas: int = MIN_AREAS
) -> Prior:
    """Beta prior per row by the method of moments over its pool (module docstring).

    x, n: counts per area (NaN = missing, left out of the pool); pool: integer pool codes.
    """
    used = np.isfinite(x) & np.isfinite(n) & (n > 0)
    xu, nu = np.where(used, x, 0.0), np.where(used, n, 0.0)
    k, total_x, total_n = _pool_sums(pool, used.astype(float), xu, nu)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = total_x / total_n
        p = np.where(used, xu / np.where(used, nu, 1), mu)
        (spread,) = _pool_sums(pool, nu * (p - mu) ** 2)
        s2 = spread / total_n
        n_bar = total_n / k
        binomial = mu * (1 - mu)
        tau2 = np.where(n_bar > 1, np.maximum(0.0, (s2 - binomial / n_bar) / (1 - 1 / n_bar)), 0.0)
        strength = np.where(tau2 > 0, binomial / tau2 - 1, np.inf)
    strength = np.minimum(strength, total_n)
    why = reasons(
        (k < min_areas, f"fewer than {min_areas} areas with data in the pool; not smoothed"),
        ((mu == 0) | (mu == 1), "the pool's value is 0% or 100% (no variation); not smoothed"),
        (
            strength < 1,
            "the areas vary so much that the prior is worth less than one person; not smoothed",
        ),
    )
    ok = np.array([r is None for r in why])
    nan = np.full(len(x), np.nan)
    return Prior(
        a=np.where(ok, mu * strength, nan),
        b=np.where(ok, (1 - mu) * strength, nan),
        mean=np.where(ok, mu, nan),
        reason=why,
    )


def poisson_gamma_prior(
    x: np.ndarray, exposure: np.ndarray, pool: np.ndarray, *, min_areas: int = MIN_AREAS
) -> Prior:
    """Gamma prior per row by Marshall's (1991) moment estimator over its pool."""
    used = np.isfinite(x) & np.isfinite(exposure) & (exposure > 0)
    xu, eu = np.where(used, x, 0.0), np.where(used, exposure, 0.0)
    k, total_x, total_e = _pool_sums(pool, used.astype(float), xu, eu)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = total_x / total_e
        r = np.where(used, xu / np.where(used, eu, 1), m)
        (spread,) = _pool_sums(pool, eu * (r - m) ** 2)
        variance = np.maximum(0.0, spread / total_e - m / (total_e / k))
        rate = np.where(variance > 0, m / variance, np.inf)
    rate = np.minimum(rate, total_e)
    why = reasons(
        (k < min_areas, f"fewer than {min_areas} areas with data in the pool; not smoothed"),
        (m == 0, "the pool has no events (no variation); not smoothed"),
    )
    ok = np.array([r is None for r in why])
    nan = np.full(len(x), np.nan)
    return Prior(
        a=np.where(ok, m * rate, nan),
        b=np.where(ok, rate, nan),
        mean=np.where(ok, m, nan),
        reason=why,
    )


def beta_posterior(
    x: np.ndarray, n: np.ndarray, a: np.ndarray, b: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior mean and central interval of Beta(x + a, n − x + b), on the 0-1 scale."""
    post_a, post_b = np.asarray(x) + a, np.asarray(n) - x + b
    tail = (1 - confidence) / 2
    with np.errstate(invalid="ignore"):
        return (
            post_a / (post_a + post_b),
            sps.beta.ppf(tail, post_a, post_b),
            sps.beta.ppf(1 - tail, post_a, post_b),
        )


def gamma_posterior(
    x: np.ndarray, exposure: np.ndarray, a: np.ndarray, b: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior mean and central interval of Gamma(shape x + a, rate E + b) (events per unit
    of exposure)."""
    shape, rate = np.asarray(x) + a, np.asarray(exposure) + b
    tail = (1 - confidence) / 2
    with np.errstate(invalid="ignore"):
        return (
            shape / rate,
            sps.gamma.ppf(tail, shape) / rate,
            sps.gamma.ppf(1 - tail, shape) / rate,
        )


def smooth(
    data: Frame,
    numerator: str,
    denominator: str,
    *,
    group_by: str | Sequence[str] | None = None,
    model: str = "beta_binomial",
    multiplier: float = 1,
    confidence: float = 0.95,
    min_areas: int = MIN_AREAS,
) -> Frame:
    """Empirical-Bayes stabilised value of each row, shrunk towards its `group_by` pool's mean.

    Each row is one area; `group_by` names the pool columns (e.g. indicator, period, group,
    parent area); without it all rows form one pool. `model` is "beta_binomial" (numerator
    people of denominator people) or "poisson_gamma" (numerator events over denominator
    exposure). Values are × `multiplier` (100 for a percentage).

    Returns the input columns plus `smoothed_value`, `smoothed_lowercl`, `smoothed_uppercl`
    (posterior mean and central interval at `confidence`), `prior_mean` (× multiplier),
    `prior_strength` (a + b for the beta prior, the gamma rate for Poisson–gamma: what the prior
    is worth in people or exposure), `shrinkage` (the weight on the prior mean, 0-1) and
    `reason` (why a row was not smoothed, else None). Negative counts, or a numerator above its
    denominator for the beta-binomial model, raise InputDataError naming the rows.

    Example: pools of proportions 0.2, 0.6, 0.5 with 10, 10, 20 people (docs/priorities.md).
    """
    fn = "smooth"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, [numerator, denominator, *groups], fn)
    require_numeric(df, [numerator, denominator], fn)
    if model not in MODELS:
        raise ArgumentError(f"{fn}: model must be one of {', '.join(MODELS)}; got {model!r}")
    if isinstance(min_areas, bool) or not isinstance(min_areas, int) or min_areas < 2:
        raise ArgumentError(f"{fn}: min_areas must be a whole number of at least 2")
    level = parse_confidence(confidence, fn).levels[0]
    x, n = float_array(df[numerator]), float_array(df[denominator])
    reject_rows(x < 0, df, f"{fn}: numerators must be greater than or equal to zero")
    reject_rows(n < 0, df, f"{fn}: denominators must be greater than or equal to zero")
    if model == "beta_binomial":
        reject_rows(x > n, df, f"{fn}: numerators must not exceed denominators for proportions")
    pool = (
        df.groupby(groups, sort=False, dropna=False).ngroup().to_numpy()
        if groups
        else np.zeros(len(df), dtype=int)
    )
    out = df.copy()
    if model == "beta_binomial":
        prior = beta_binomial_prior(x, n, pool, min_areas=min_areas)
        value, lower, upper = beta_posterior(x, n, prior.a, prior.b, level)
        strength = prior.a + prior.b
    else:
        prior = poisson_gamma_prior(x, n, pool, min_areas=min_areas)
        value, lower, upper = gamma_posterior(x, n, prior.a, prior.b, level)
        strength = prior.b
    out["smoothed_value"] = value * multiplier
    out["smoothed_lowercl"] = lower * multiplier
    out["smoothed_uppercl"] = upper * multiplier
    out["prior_mean"] = prior.mean * multiplier
    out["prior_strength"] = strength
    with np.errstate(invalid="ignore", divide="ignore"):
        out["shrinkage"] = strength / (n + strength)
    missing = np.isnan(x) | np.isnan(n)
    why = np.where(missing, "numerator or denominator missing", prior.reason)
    out["reason"] = pd.Series(why, index=out.index, dtype=object)
    return back(out)
