"""Regression-based HEAT measures for ordered dimensions: ACI, RCI, SII, RII (healthequal 1.0.1).

All groups are fitted at once: each fit has two parameters, so the normal equations are 2 × 2
and solved in closed form over the (G, K) padded layout of `_heat_measures.Subgroups`.

References
----------
Kakwani N, Wagstaff A, van Doorslaer E (1997). Socioeconomic inequalities in health:
measurement, computation, and statistical inference. J Econometrics 77:87-103 (the "convenient
regression" for the concentration index). O'Donnell O et al. (2008). *Analyzing Health Equity
Using Household Survey Data*, World Bank, ch. 8. Schlotheuber A, Hosseinpoor AR (2022). Int J
Environ Res Public Health 19(6):3697. MacKinnon JG, White H (1985). J Econometrics 29:305-325
(HC1). WHO `healthequal` 1.0.1 `aci`, `rci`, `sii`, `rii` (R `glm` + `marginaleffects`).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit

from healthgap.stats._heat_measures import Result, Subgroups, normal_result

_ITERATIONS = 100
_TOLERANCE = 1e-12


def ranks(sub: Subgroups) -> np.ndarray:
    """Relative rank Xⱼ = (Σₖ₍ₖ₍ⱼ₎ Nₖ + Nⱼ/2) / ΣN: cumulative population share at the mid-point."""
    n = np.where(sub.valid, sub.population, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sub.valid, (np.cumsum(n, axis=1) - n / 2) / sub.total[:, None], 0.0)


def _wls(t: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """Weighted least squares of t on (1, x) per group: intercept, slope and Σw(x − x̄)²."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sw = np.sum(w, axis=1)
        x_bar = np.sum(w * x, axis=1) / sw
        t_bar = np.sum(w * t, axis=1) / sw
        dx = x - x_bar[:, None]
        sxx = np.sum(w * dx**2, axis=1)
        slope = np.sum(w * dx * (t - t_bar[:, None]), axis=1) / sxx
    return t_bar - slope * x_bar, slope, sxx


def _slope_and_se(t: np.ndarray, x: np.ndarray, w: np.ndarray, n: np.ndarray) -> tuple:
    """WLS slope and its model-based SE √(RSS/(J − 2) / Σw(x − x̄)²) (R `glm` gaussian `vcov`)."""
    intercept, slope, sxx = _wls(t, x, w)
    rss = np.sum(w * (t - intercept[:, None] - slope[:, None] * x) ** 2, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return slope, np.sqrt(rss / (n - 2) / sxx)


def concentration(
    sub: Subgroups, bounds: tuple[float, float] | None, correction: str | None
) -> dict[str, Result]:
    """ACI = Σ pⱼ(2Xⱼ − 1)yⱼ and RCI = ACI/μ, with the SEs of Kakwani's convenient regression.

    2σ²yⱼ (ACI) or 2σ²yⱼ/μ (RCI) is regressed on Xⱼ with weights Nⱼ, σ² = Σ pⱼ(Xⱼ − ½)²; the
    slope is the index and its OLS SE the reported SE. With `bounds` (lmin, lmax) the estimates are
    first rescaled to (y − lmin)/(lmax − lmin); RCI's `correction` "wagstaff" divides by 1 − μ,
    "erreygers" multiplies by 4μ (μ on the rescaled scale). RCI is a fraction (not ×100).
    """
    y = sub.estimate
    mean = sub.mean
    if bounds is not None:
        low, high = bounds
        y, mean = (y - low) / (high - low), (mean - low) / (high - low)
    x, p = ranks(sub), sub.share
    sigma2 = np.sum(p * np.where(sub.valid, (x - 0.5) ** 2, 0.0), axis=1)[:, None]
    base = 2 * sigma2 * np.where(sub.valid, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rci_t = base / mean[:, None]
        if correction == "wagstaff":
            rci_t = rci_t / (1 - mean[:, None])
        elif correction == "erreygers":
            rci_t = rci_t * 4 * mean[:, None]
    method = "analytic (convenient regression SE)"
    aci, aci_se = _slope_and_se(base, x, p, sub.count)
    rci, rci_se = _slope_and_se(rci_t, x, p, sub.count)
    return {
        "aci": normal_result(sub, aci, aci_se, method),
        "rci": normal_result(sub, rci, rci_se, method, (mean == 0, "the mean is zero")),
    }


def _hc1(x: np.ndarray, w: np.ndarray, score: np.ndarray, n: np.ndarray) -> tuple:
    """HC1 sandwich (A⁻¹BA⁻¹)·J/(J − 2)·(J₊/J)² of a two-parameter GLM, as R `sandwich::vcovHC`.

    A = Σ wⱼ(1, xⱼ)ᵀ(1, xⱼ) with the working weights, B = Σ scoreⱼ²(1, xⱼ)ᵀ(1, xⱼ) with
    scoreⱼ = prior weight × (response − fitted); J₊ counts subgroups with positive weight.
    Returns the (v00, v01, v11) entries of the covariance matrix per group.
    """
    a00, a01, a11 = (np.sum(w * x**k, axis=1) for k in (0, 1, 2))
    s2 = score**2
    b00, b01, b11 = (np.sum(s2 * x**k, axis=1) for k in (0, 1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        det = a00 * a11 - a01**2
        i00, i01, i11 = a11 / det, -a01 / det, a00 / det
        positive = np.sum(w > 0, axis=1)
        factor = n / (n - 2) * (positive / n) ** 2
    # A⁻¹ B A⁻¹ for symmetric 2 × 2 matrices, written out.
    m00, m01 = i00 * b00 + i01 * b01, i00 * b01 + i01 * b11
    m10, m11 = i01 * b00 + i11 * b01, i01 * b01 + i11 * b11
    v00 = (m00 * i00 + m01 * i01) * factor
    v01 = (m00 * i01 + m01 * i11) * factor
    v11 = (m10 * i01 + m11 * i11) * factor
    return v00, v01, v11


def _delta_se(grad: tuple[np.ndarray, np.ndarray], v: tuple) -> np.ndarray:
    """√(gᵀVg) for a gradient g = (∂/∂β₀, ∂/∂β₁)."""
    g0, g1 = grad
    v00, v01, v11 = v
    with np.errstate(invalid="ignore"):
        return np.sqrt(g0**2 * v00 + 2 * g0 * g1 * v01 + g1**2 * v11)


def _logistic(
    x: np.ndarray, prop: np.ndarray, size: np.ndarray, prior: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Binomial logit GLM by IRLS (R `glm.fit`, mustart = (n·y + ½)/(n + 1)).

    Returns β₀, β₁, the fitted probabilities and whether each group converged.
    """
    mu = (size * prop + 0.5) / (size + 1)
    eta = logit(mu)
    beta = np.full((2, x.shape[0]), np.inf)
    converged = np.zeros(x.shape[0], dtype=bool)
    for _ in range(_ITERATIONS):
        d = mu * (1 - mu)
        b0, b1, _ = _wls(eta + (prop - mu) / d, x, prior * d)
        new = np.stack([b0, b1])
        with np.errstate(invalid="ignore"):
            converged = ~np.any(np.abs(new - beta) > _TOLERANCE * (1 + np.abs(new)), axis=0)
        beta = new
        eta = b0[:, None] + b1[:, None] * x
        mu = expit(eta)
        if converged.all():
            break
    return beta[0], beta[1], mu, converged & np.isfinite(beta).all(axis=0)


def slope_indices(sub: Subgroups, model: str) -> dict[str, Result]:
    """SII and RII from a regression of the indicator on the relative rank (healthequal default).

    N⁺ = ⌈N⌉ and counts yⱼ⁺ = round(yⱼ/scale·N⁺ⱼ) (R's half-to-even). "logistic": quasibinomial
    logit GLM of yⱼ⁺/N⁺ⱼ with prior weights N⁺ⱼ² (R's `weights = pop` times the binomial totals);
    "linear": gaussian GLM of yⱼ/scale with weights N⁺ⱼ. With f the fitted value at rank 0 and 1:
    SII = (f(1) − f(0))·scale, RII = f(1)/f(0); SEs by the delta method on the HC1 robust
    covariance (the SII SE unscaled, the RII SE on the log scale), limits ∓ z·SE.
    """
    x = ranks(sub)
    size = np.where(sub.valid, np.ceil(sub.population), 0.0)
    target = np.where(sub.valid, sub.estimate, 0.0) / sub.scale[:, None]
    counts = np.round(target * size)
    invalid = np.any(sub.valid & ((counts < 0) | (counts > size)), axis=1)
    spread = np.max(np.where(sub.valid, sub.estimate, -np.inf), axis=1) - np.min(
        np.where(sub.valid, sub.estimate, np.inf), axis=1
    )
    if model == "logistic":
        with np.errstate(invalid="ignore", divide="ignore"):
            prop = np.clip(np.where(size > 0, counts / size, 0.0), 0.0, 1.0)
        prior = size**2
        b0, b1, fitted, converged = _logistic(x, prop, size, prior)
        working = prior * fitted * (1 - fitted)
        score = prior * (prop - fitted)
        f0, f1 = expit(b0), expit(b0 + b1)
        sii_grad = (f1 * (1 - f1) - f0 * (1 - f0), f1 * (1 - f1))
        rii_grad = (f0 - f1, 1 - f1)
        name = "logistic regression"
    else:
        b0, b1, _ = _wls(target, x, size)
        working = size
        score = size * (target - b0[:, None] - b1[:, None] * x)
        converged = np.ones(len(b0), dtype=bool)
        f0, f1 = b0, b0 + b1
        with np.errstate(invalid="ignore", divide="ignore"):
            rii_grad = (1 / f1 - 1 / f0, 1 / f1)
        sii_grad = (np.zeros_like(f0), np.ones_like(f0))
        name = "weighted linear regression"
    v = _hc1(x, np.where(sub.valid, working, 0.0), np.where(sub.valid, score, 0.0), sub.count)
    rules = (
        (invalid, "estimates outside 0 to scale: the model's counts would be invalid"),
        (spread == 0, "all estimates have the same value"),
        (~converged, "logistic model did not converge"),
    )
    blocked = invalid | (spread == 0) | ~converged
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = f1 / f0
        rii = np.where(blocked | ~(ratio > 0), np.nan, ratio)
    sii = np.where(blocked, np.nan, (f1 - f0) * sub.scale)
    return {
        "sii": normal_result(
            sub, sii, _delta_se(sii_grad, v), f"{name}, HC1 robust SE", *rules, ci_scale=sub.scale
        ),
        "rii": normal_result(
            sub,
            rii,
            _delta_se(rii_grad, v),
            f"{name}, HC1 robust SE (log scale)",
            *rules,
            (~(ratio > 0), "fitted values at ranks 0 and 1 differ in sign: no ratio"),
            log=True,
        ),
    }
