"""WHO HEAT summary measures on a padded groups × subgroups layout (healthequal 1.0.1).

Every array is (G, K): one row per group, its subgroups padded with NaN / False up to the
largest group, so each measure is a handful of masked sums over axis 1 for all groups at once.
This module holds the simple, analytic and simulation-based measures; the regression-based ones
(ACI, RCI, SII, RII) are in `_heat_regression`. Formulas, quirks and references:
docs/methods.md (WHO HEAT section).

References
----------
Schlotheuber A, Hosseinpoor AR (2022). Summary measures of health inequality: a review of
existing measures and their application. Int J Environ Res Public Health 19(6):3697.
Ahn J, Harper S, Yu M, Feuer EJ, Liu B, Luta G (2018). Variance estimation and confidence
intervals for 11 commonly used health disparity measures. JCO Clin Cancer Inform 2:1-19.
Ahn J, Harper S, Yu M, Feuer EJ, Liu B (2019). Improved Monte Carlo methods for estimating
confidence intervals for eleven commonly used health disparity measures. PLoS One 14(7).
Walter SD (1978). Calculation of attributable risks from epidemiological data. Int J Epidemiol
7(2):175-182. WHO `healthequal` R package 1.0.1 (github.com/WHOequity/healthequal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.special import ndtr, ndtri

from healthgap.stats._frame import reasons
from healthgap.stats._validate import z_value

NO_SE = "standard errors missing: no confidence interval"
SIMULATED = ("bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw")
_CHUNK = 4_000_000  # draws held in memory at once (groups are simulated in chunks of this size)


@dataclass(frozen=True)
class Subgroups:
    """Subgroup estimates of G groups padded to K columns (rows in order 1..J when ordered).

    `valid` marks a subgroup that is present and has an estimate; `reference` the reference
    subgroup; `favourable`, `scale` and `setting_average` (NaN when not given) are per group.
    """

    estimate: np.ndarray
    se: np.ndarray
    population: np.ndarray
    valid: np.ndarray
    reference: np.ndarray
    favourable: np.ndarray
    scale: np.ndarray
    setting_average: np.ndarray
    ordered: bool
    levels: tuple[float, ...]

    @cached_property
    def count(self) -> np.ndarray:
        """Number of subgroups with an estimate, J."""
        return self.valid.sum(axis=1)

    @cached_property
    def has_se(self) -> np.ndarray:
        """Every subgroup with an estimate has a standard error."""
        return ~np.any(self.valid & np.isnan(self.se), axis=1)

    @cached_property
    def total(self) -> np.ndarray:
        """Σ N over the subgroups with an estimate (NaN when a population is missing)."""
        return np.sum(np.where(self.valid, self.population, 0.0), axis=1)

    @cached_property
    def has_population(self) -> np.ndarray:
        """Every subgroup has a population and they do not all sum to zero."""
        return np.isfinite(self.total) & (self.total > 0)

    @cached_property
    def share(self) -> np.ndarray:
        """Population shares pⱼ = Nⱼ / ΣN (0 in padding, NaN where population is missing)."""
        total = np.where(self.has_population, self.total, np.nan)[:, None]
        return np.where(self.valid, self.population / total, 0.0)

    @cached_property
    def mean(self) -> np.ndarray:
        """μ: the setting average where given, else the population-weighted mean Σ pⱼyⱼ."""
        weighted = np.sum(self.share * np.where(self.valid, self.estimate, 0.0), axis=1)
        return np.where(np.isnan(self.setting_average), weighted, self.setting_average)

    @cached_property
    def z(self) -> np.ndarray:
        """Normal quantiles for each confidence level, shape (L, 1)."""
        return np.array([z_value(c) for c in self.levels])[:, None]

    def take(self, values: np.ndarray, index: np.ndarray) -> np.ndarray:
        """values[g, index[g]] for every group g."""
        return np.take_along_axis(values, index[:, None], axis=1)[:, 0]

    @cached_property
    def extremes(self) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the highest and lowest estimate (first on ties)."""
        highest = np.argmax(np.where(self.valid, self.estimate, -np.inf), axis=1)
        lowest = np.argmin(np.where(self.valid, self.estimate, np.inf), axis=1)
        return highest, lowest

    @cached_property
    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the first (most disadvantaged) and last (most advantaged) subgroup."""
        first = np.argmax(self.valid, axis=1)
        last = self.valid.shape[1] - 1 - np.argmax(self.valid[:, ::-1], axis=1)
        return first, last


@dataclass(frozen=True)
class Result:
    """One measure for every group: value, SE, limits (L, G) and why anything is NA."""

    value: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    reason: np.ndarray
    method: str


def normal_result(
    sub: Subgroups,
    value: np.ndarray,
    se: np.ndarray,
    method: str,
    *rules: tuple[np.ndarray, str],
    ci_scale: np.ndarray | float = 1.0,
    log: bool = False,
) -> Result:
    """value ∓ z·se (× ci_scale), or exp(ln value ∓ z·se) when `log`; reasons as given."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        centre = np.log(value) if log else value / ci_scale
        lower, upper = (centre - sub.z * se) * ci_scale, (centre + sub.z * se) * ci_scale
        if log:
            lower, upper = np.exp(lower), np.exp(upper)
    return Result(value, se, lower, upper, reasons(*rules) if rules else _none(value), method)


def _none(value: np.ndarray) -> np.ndarray:
    return np.full(value.shape, None, dtype=object)


def difference_and_ratio(sub: Subgroups) -> dict[str, Result]:
    """D = y₁ − y₂ and R = y₁ / y₂ for HEAT's pair of subgroups (healthequal 1.0.1 `d`, `r`).

    Ordered: y₁ = most advantaged (highest order), y₂ = most disadvantaged if favourable, the
    reverse if adverse. Non-ordered: y₁ = highest, y₂ = lowest estimate; with a reference
    subgroup, y₁ = reference and y₂ = lowest (favourable) or y₁ = highest and y₂ = reference
    (adverse). SE(D) = √(se₁² + se₂²); SE(ln R) = √((se₁² + R²se₂²)/y₂²)/R (Ahn et al. 2018).
    """
    if sub.ordered:
        first, last = sub.ends
        one, two = np.where(sub.favourable, last, first), np.where(sub.favourable, first, last)
    else:
        highest, lowest = sub.extremes
        chosen = sub.reference & sub.valid
        has_ref, ref = chosen.any(axis=1), np.argmax(chosen, axis=1)
        one = np.where(has_ref & sub.favourable, ref, highest)
        two = np.where(has_ref & ~sub.favourable, ref, lowest)
    y1, y2 = sub.take(sub.estimate, one), sub.take(sub.estimate, two)
    se1, se2 = sub.take(sub.se, one), sub.take(sub.se, two)
    pair_se = np.isfinite(se1) & np.isfinite(se2)
    no_se = (~pair_se, "standard errors missing for the compared subgroups: no confidence interval")
    zero = y2 == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(zero, np.nan, y1 / np.where(zero, 1.0, y2))
        log_se = np.sqrt((se1**2 + ratio**2 * se2**2) / y2**2) / ratio
    return {
        "d": normal_result(sub, y1 - y2, np.sqrt(se1**2 + se2**2), "analytic", no_se),
        "r": normal_result(
            sub,
            ratio,
            log_se,
            "analytic (log scale)",
            (zero, "the comparison subgroup's estimate is zero"),
            (ratio <= 0, "ratio is not positive: no confidence interval"),
            no_se,
            log=True,
        ),
    }


def between_group_variance(sub: Subgroups) -> Result:
    """Between-group variance BGV = Σ pⱼ(yⱼ − μ)² (squared indicator units).

    SE = √(4Σpⱼ²seⱼ²(yⱼ−μ)² + 2[(Σpⱼ²seⱼ²)² − Σpⱼ⁴seⱼ⁴ + Σpⱼ²(1−pⱼ)²seⱼ⁴]) (Ahn et al. 2018).
    """
    p, s2 = sub.share, np.where(sub.valid, sub.se, 0.0) ** 2
    dev2 = np.where(sub.valid, sub.estimate - sub.mean[:, None], 0.0) ** 2
    value = np.sum(p * dev2, axis=1)
    se2 = np.sum(p**2 * s2 * dev2, axis=1)
    s2sum, s4 = np.sum(p**2 * s2, axis=1), np.sum(p**4 * s2**2, axis=1)
    se4 = np.sum(p**2 * (1 - p) ** 2 * s2**2, axis=1)
    se = np.sqrt(4 * se2 + 2 * (s2sum**2 - s4 + se4))
    return normal_result(
        sub, value, np.where(sub.has_se, se, np.nan), "analytic", (~sub.has_se, NO_SE)
    )


def theil_and_mld(sub: Subgroups) -> dict[str, Result]:
    """Theil index and mean log deviation ×1000, rⱼ = yⱼ/μ with yⱼ = 0 read as 1e-6.

    TI = 1000·Σ pⱼrⱼ ln rⱼ, SE = √Σ(1 + ln rⱼ − Σₖpₖrₖ(1 + ln rₖ))²pⱼ²seⱼ²/μ²;
    MLD = 1000·Σ pⱼ(−ln rⱼ), SE = √Σ seⱼ²pⱼ²/μ²·(1 − 1/rⱼ)². Both SEs are *not* ×1000, as in
    healthequal 1.0.1 (so the limits are estimate ∓ z·SE with an unscaled SE).
    """
    y = np.where(sub.estimate == 0, 1e-6, sub.estimate)
    p = sub.share
    weighted = np.sum(p * np.where(sub.valid, y, 0.0), axis=1)
    mu = np.where(np.isnan(sub.setting_average), weighted, sub.setting_average)[:, None]
    s2 = np.where(sub.valid, sub.se, 0.0) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(sub.valid, y / mu, 1.0)
        log_r = np.log(r)
        ti = 1000 * np.sum(p * r * log_r, axis=1)
        mld = 1000 * np.sum(p * -log_r, axis=1)
        centre = np.sum(p * r * (1 + log_r), axis=1)[:, None]
        ti_se = np.sqrt(np.sum((1 + log_r - centre) ** 2 * p**2 * s2 / mu**2, axis=1))
        mld_se = np.sqrt(np.sum(s2 * p**2 / mu**2 * (1 - 1 / r) ** 2, axis=1))
    negative = (np.any(sub.valid & (y < 0), axis=1), "estimates must not be negative")
    no_se = (~sub.has_se, NO_SE)
    return {
        code: normal_result(
            sub, value, np.where(sub.has_se, se, np.nan), "analytic", negative, no_se
        )
        for code, value, se in (("ti", ti, ti_se), ("mld", mld, mld_se))
    }


def attributable(sub: Subgroups) -> dict[str, Result]:
    """PAR = y_ref − μ and PAF = 100·PAR/μ, set to 0 when the reference is worse than μ.

    The reference is the most advantaged subgroup (highest order) for ordered dimensions and
    the best one (highest if favourable, lowest if adverse) otherwise. SE(PAF) (Walter 1978)
    from c = y_ref/scale·N_ref, d = N_ref − c, a = μ/scale·ΣN − c, b = ΣN − a − N_ref, N = ΣN:
    √(cN(ad(N − c) + bc²)/((a + c)³(c + d)³)), on the fraction scale while PAF is in % (as
    healthequal); SE(PAR) = |μ|·SE(PAF).
    """
    highest, lowest = sub.extremes
    ref = sub.ends[1] if sub.ordered else np.where(sub.favourable, highest, lowest)
    y_ref, n_ref, mu = sub.take(sub.estimate, ref), sub.take(sub.population, ref), sub.mean
    gap = y_ref - mu
    wrong_way = ((gap < 0) & sub.favourable) | ((gap > 0) & ~sub.favourable)
    par = np.where(wrong_way, 0.0, gap)
    total = sub.total
    c = y_ref / sub.scale * n_ref
    d = n_ref - c
    a = mu / sub.scale * total - c
    b = total - a - n_ref
    with np.errstate(invalid="ignore", divide="ignore"):
        paf = 100 * par / mu
        paf_se = np.sqrt(
            c * total * (a * d * (total - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3)
        )
    no_pop = (~sub.has_population, "population missing: no confidence interval")
    zero = (mu == 0, "the mean is zero")
    return {
        "paf": normal_result(sub, paf, paf_se, "analytic", zero, no_pop),
        "par": normal_result(sub, par, np.abs(mu) * paf_se, "analytic", no_pop),
    }


def truncated_normal(
    rng: np.random.Generator, mean: np.ndarray, sd: np.ndarray, upper: np.ndarray, shape: tuple
) -> np.ndarray:
    """Draws from Normal(mean, sd) restricted to [0, upper] by inversion.

    The same distribution as healthequal's redraw-until-accepted loop (which never ends when an
    estimate lies far outside the bounds); the tail nearer the estimate is inverted for accuracy.
    """
    u = rng.random(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = (0 - mean) / sd, (upper - mean) / sd
        flip = a > 0
        p_lo = ndtr(np.where(flip, -b, a))
        width = ndtr(np.where(flip, -a, b)) - p_lo
        fixed = ~(sd > 0)  # se 0: ndtri(½) = 0, so the draw is the estimate itself
        p_lo, width = np.where(fixed, 0.5, p_lo), np.where(fixed, 0.0, width)
        step = np.where(fixed, 0.0, np.where(flip, -sd, sd))
        x = mean + step * ndtri(p_lo + u * width)
    x = np.where(np.isfinite(x), x, np.where(flip, 0.0, upper))
    return np.clip(x, 0.0, upper, out=x)


def spread(
    codes: Sequence[str],
    y: np.ndarray,
    share: np.ndarray,
    valid: np.ndarray,
    setting_average: np.ndarray,
    favourable: np.ndarray,
    reference: np.ndarray,
) -> dict[str, np.ndarray]:
    """The simulation-based measures for y of shape (G, S, K); other arrays broadcast to it.

    BGSD = √Σpⱼ(yⱼ−μ)², COV = 100·BGSD/μ, MDMU = Σ|yⱼ−μ|/J, MDMW = Σpⱼ|yⱼ−μ|, IDISU/IDISW =
    100·MDMU/μ, 100·MDMW/μ, MDBU/MDBW and MDRU/MDRW the same about the best (highest if
    favourable, else lowest) and the reference estimate. μ = Σpⱼyⱼ of these y unless a setting
    average is given.
    """
    n = valid.sum(axis=-1)
    yv = np.where(valid, y, 0.0)
    weighted = np.sum(share * yv, axis=-1)
    mu = np.where(np.isnan(setting_average), weighted, setting_average)

    def about(centre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dev = np.where(valid, np.abs(y - centre[..., None]), 0.0)
        return np.sum(dev, axis=-1) / n, np.sum(share * dev, axis=-1)

    def best() -> np.ndarray:
        top = np.max(np.where(valid, y, -np.inf), axis=-1)
        bottom = np.min(np.where(valid, y, np.inf), axis=-1)
        return np.where(favourable, top, bottom)

    def ref() -> np.ndarray:
        chosen = reference & valid
        return np.where(chosen.any(axis=-1), np.sum(np.where(chosen, y, 0.0), axis=-1), np.nan)

    wanted = set(codes)
    out: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        if wanted & {"bgsd", "cov"}:
            bgsd = np.sqrt(np.sum(share * np.where(valid, y - mu[..., None], 0.0) ** 2, axis=-1))
            out.update(bgsd=bgsd, cov=100 * bgsd / mu)
        if wanted & {"mdmu", "mdmw", "idisu", "idisw"}:
            mdmu, mdmw = about(mu)
            out.update(mdmu=mdmu, mdmw=mdmw, idisu=100 * mdmu / mu, idisw=100 * mdmw / mu)
        if wanted & {"mdbu", "mdbw"}:
            out["mdbu"], out["mdbw"] = about(best())
        if wanted & {"mdru", "mdrw"}:
            out["mdru"], out["mdrw"] = about(ref())
    return {code: out[code] for code in codes}


def simulated(sub: Subgroups, codes: Sequence[str], draws: int, seed: int) -> dict[str, Result]:
    """Point values and simulation limits of the measures in `codes` (a subset of SIMULATED).

    Each draw redraws every subgroup estimate from Normal(yⱼ, seⱼ) truncated to [0, ∞), or to
    [0, 100] when the scale is 100, recomputes the measures, and the limits are the (1 ∓ c)/2
    type-7 quantiles of the draws (2.5% and 97.5% at 95%, as healthequal). Draws come from one
    NumPy generator seeded with `seed`, group by group in output order (shape G × draws × K), so a
    call is reproducible but R's RNG stream is not.
    """

    def measure(y: np.ndarray, rows: slice) -> dict[str, np.ndarray]:
        return spread(
            codes,
            y,
            sub.share[rows, None, :],
            sub.valid[rows, None, :],
            sub.setting_average[rows, None],
            sub.favourable[rows, None],
            sub.reference[rows, None, :],
        )

    point = {code: v[:, 0] for code, v in measure(sub.estimate[:, None, :], slice(None)).items()}
    g, k = sub.estimate.shape
    probs = np.concatenate([(1 - np.array(sub.levels)) / 2, (1 + np.array(sub.levels)) / 2])
    limits = {code: np.full((len(probs), g), np.nan) for code in codes}
    rng = np.random.default_rng(seed)
    upper = np.where(sub.scale == 100, 100.0, np.inf)[:, None, None]
    mean = np.where(sub.valid, sub.estimate, 0.0)[:, None, :]
    sd = np.where(sub.valid & sub.has_se[:, None], sub.se, 0.0)[:, None, :]
    step = max(1, _CHUNK // max(1, draws * k))
    for start in range(0, g, step):
        rows = slice(start, start + step)
        y = truncated_normal(rng, mean[rows], sd[rows], upper[rows], (len(mean[rows]), draws, k))
        for code, stats in measure(y, rows).items():
            limits[code][:, rows] = _quantiles(stats, probs)
    method = f"simulation ({draws} draws, seed {seed})"
    n_levels = len(sub.levels)
    no_ref = (
        ~np.any(sub.reference & sub.valid, axis=1),
        "reference subgroup has no estimate in this group",
    )
    out = {}
    for code in codes:
        ci = np.where(sub.has_se, limits[code], np.nan)
        rules = [(sub.mean == 0, "the mean is zero")] if code in ("cov", "idisu", "idisw") else []
        rules += [no_ref] if code in ("mdru", "mdrw") else []
        rules.append((~sub.has_se, NO_SE))
        se = np.full(g, np.nan)
        out[code] = Result(point[code], se, ci[:n_levels], ci[n_levels:], reasons(*rules), method)
    return out


def _quantiles(stats: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """R's quantile(type = 7, na.rm = TRUE) along the draws axis of a (G, S) array.

    Groups whose draws are all NA (no population, say) get NA limits.
    """
    nan = np.isnan(stats)
    out = np.full((len(probs), len(stats)), np.nan)
    clean, partial = ~nan.any(axis=1), nan.any(axis=1) & ~nan.all(axis=1)
    out[:, clean] = np.quantile(stats[clean], probs, axis=1)
    if partial.any():
        out[:, partial] = np.nanquantile(stats[partial], probs, axis=1)
    return out
