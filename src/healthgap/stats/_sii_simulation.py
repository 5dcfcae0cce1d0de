"""Monte-Carlo confidence limits for the SII and RII (PHEindicatormethods `SimulationFunc`),
and their back-transformation (the link functions g, g⁻¹ and the `transform` pivot).

PHE draws, for each group, a k × R matrix Y with Y[i, r] ~ Normal(μᵢ, sᵢ) (μ on the log/logit
scale for rates/proportions), back-transforms the draws unless `transform = TRUE`, refits the
weighted regression to every column and takes order statistics of the R slopes (and RIIs).

The fit is linear in Y: (β₀ᵣ, β₁ᵣ) = M·Yᵣ with M = (XᵀX)⁻¹Xᵀ·diag(√a), X = [√a, b√a] (2 × k per
group). Here M is applied to all groups of a chunk at once as one batched matrix product
(groups × 2 × k by groups × k × R), chunked so that no more than `BUDGET` draws are held per task.

When the draws are not back-transformed (value_type 0, or transform = TRUE), (β₀ᵣ, β₁ᵣ) is a
linear map of a multivariate normal vector and therefore exactly bivariate normal with mean M·μ
and covariance M·diag(s²)·Mᵀ; those cases draw the 2-vector directly (1 normal per rep when only
the slope is needed, 2 with the RII), which is equal in distribution to PHE's k-draw simulation
and k/2 to k times cheaper. See docs/methods.md (SII section).

Randomness: one independent stream per (group, run), `default_rng(SeedSequence(entropy,
spawn_key=(group, run)))`, so a group's limits depend only on the seed, its position in the output
and its own data — not on chunk sizes or the number of threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import special

BUDGET = 1 << 22  # normal draws held by one task (32 MiB of float64)
MAX_THREADS = 8

BackTransform = Callable[[np.ndarray], None]  # in-place inverse link applied to the draws


def exp_inplace(y: np.ndarray) -> None:
    """Inverse of the log link (rates): y ← exp(y)."""
    np.exp(y, out=y)


def expit_inplace(y: np.ndarray) -> None:
    """Inverse of the logit link (proportions): y ← exp(y)/(1 + exp(y))."""
    special.expit(y, out=y)


def order_positions(repetitions: int, levels: tuple[float, ...]) -> np.ndarray:
    """0-based order-statistic positions (levels × [lower, upper]) as PHE picks them.

    With c' = c + (1 − c)/2, lower = round(R·(1 − c')), upper = round(R·c') (1-based; R's `round`
    is half-to-even like `np.rint`), so R = 100,000 at 95% gives the 2,500th and 97,500th smallest.
    Positions are clamped to 1..R (PHE fails when a position rounds to 0, e.g. c = 1).
    """
    c = np.asarray(levels, dtype="float64")
    upper_q = c + (1 - c) / 2
    one_based = np.stack([np.rint(repetitions * (1 - upper_q)), np.rint(repetitions * upper_q)])
    return np.clip(one_based.T, 1, repetitions).astype(np.int64) - 1


@dataclass(frozen=True)
class OrderStatistics:
    """Simulated order statistics: arrays of shape (groups, runs, positions)."""

    slope: np.ndarray
    rii: np.ndarray | None


@dataclass(frozen=True)
class _Job:
    design: np.ndarray  # (G, 2, k): rows of M for β₀ and β₁
    mu: np.ndarray  # (G, k) means of the draws (link scale)
    sd: np.ndarray  # (G, k) standard deviations of the draws
    back: BackTransform | None
    slope_scale: float
    rii: bool
    invert_rii: bool
    positions: np.ndarray  # sorted unique 0-based positions
    repetitions: int
    bivariate: bool
    entropy: int | tuple[int, ...]
    stream_ids: np.ndarray


def simulate(
    design: np.ndarray,
    mu: np.ndarray,
    sd: np.ndarray,
    *,
    back: BackTransform | None,
    slope_scale: float,
    rii: bool,
    invert_rii: bool,
    positions: np.ndarray,
    repetitions: int,
    runs: int,
    seed: int | None,
    stream_ids: np.ndarray,
    bivariate: bool | None = None,
) -> OrderStatistics:
    """Order statistics of the simulated SII (β₁·slope_scale) and RII ((β₀ + β₁)/β₀) per group.

    `positions` are 0-based ranks (see `order_positions`), `runs` independent simulations of
    `repetitions` reps each (10 for PHE's reliability statistic). `bivariate` (default: whenever
    `back` is None) draws (β₀, β₁) directly from their exact bivariate normal distribution;
    False forces the k-draw simulation (used by the tests to check the equivalence).
    """
    groups = design.shape[0]
    positions = np.asarray(positions, dtype=np.int64)
    slope = np.full((groups, runs, positions.size), np.nan)
    rii_out = np.full_like(slope, np.nan) if rii else None
    if groups == 0:
        return OrderStatistics(slope, rii_out)
    job = _Job(
        design=design,
        mu=mu,
        sd=sd,
        back=back,
        slope_scale=slope_scale,
        rii=rii,
        invert_rii=invert_rii,
        positions=positions,
        repetitions=repetitions,
        bivariate=back is None if bivariate is None else bivariate,
        entropy=np.random.SeedSequence(seed).entropy,
        stream_ids=np.asarray(stream_ids),
    )
    per_group = (2 if rii else 1) if job.bivariate else design.shape[2]
    chunk = max(1, BUDGET // (per_group * repetitions))
    tasks = [
        (lo, min(lo + chunk, groups), run) for run in range(runs) for lo in range(0, groups, chunk)
    ]

    def work(task: tuple[int, int, int]) -> None:
        lo, hi, run = task
        draws_slope, draws_rii = _draw(job, lo, hi, run)
        slope[lo:hi, run] = _pick(draws_slope, positions)
        if rii_out is not None and draws_rii is not None:
            rii_out[lo:hi, run] = _pick(draws_rii, positions)

    threads = min(_available_cpus(), len(tasks), MAX_THREADS)
    if threads <= 1:
        for task in tasks:
            work(task)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(work, tasks))  # numpy releases the GIL in the heavy calls
    return OrderStatistics(slope, rii_out)


def _draw(job: _Job, lo: int, hi: int, run: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Simulated slopes (scaled) and RIIs for groups lo..hi of one run: (G, R) arrays."""
    reps = job.repetitions
    rngs = [
        np.random.default_rng(np.random.SeedSequence(job.entropy, spawn_key=(int(sid), run)))
        for sid in job.stream_ids[lo:hi]
    ]
    design = job.design[lo:hi]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if job.bivariate:
            z = np.empty((hi - lo, 2 if job.rii else 1, reps))
            for rng, out in zip(rngs, z, strict=True):
                rng.standard_normal(out=out)
            beta1, beta0 = _bivariate(design, job.mu[lo:hi], job.sd[lo:hi], z)
        else:
            y = np.empty((hi - lo, design.shape[2], reps))
            for rng, out in zip(rngs, y, strict=True):
                rng.standard_normal(out=out)
            y *= job.sd[lo:hi, :, None]
            y += job.mu[lo:hi, :, None]
            if job.back is not None:
                job.back(y)
            coef = np.matmul(design, y)
            beta0, beta1 = coef[:, 0], coef[:, 1]
        ratio = None
        if job.rii and beta0 is not None:
            ratio = (beta0 + beta1) / beta0
            if job.invert_rii:
                ratio = 1 / ratio
        return beta1 * job.slope_scale, ratio


def _bivariate(
    design: np.ndarray, mu: np.ndarray, sd: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """(β₁ᵣ, β₀ᵣ) = M·μ + L·zᵣ with L the Cholesky factor of M·diag(s²)·Mᵀ (β₁ first)."""
    mean = np.einsum("gjk,gk->gj", design, mu)
    var = sd**2
    v11 = np.einsum("gk,gk,gk->g", design[:, 1], design[:, 1], var)
    l11 = np.sqrt(v11)
    beta1 = mean[:, 1, None] + l11[:, None] * z[:, 0]
    if z.shape[1] == 1:
        return beta1, None
    v00 = np.einsum("gk,gk,gk->g", design[:, 0], design[:, 0], var)
    v01 = np.einsum("gk,gk,gk->g", design[:, 0], design[:, 1], var)
    l21 = np.divide(v01, l11, out=np.zeros_like(v01), where=l11 > 0)
    l22 = np.sqrt(np.maximum(v00 - l21**2, 0))
    beta0 = mean[:, 0, None] + l21[:, None] * z[:, 0] + l22[:, None] * z[:, 1]
    return beta1, beta0


@dataclass(frozen=True)
class Link:
    """g and g⁻¹ for value_type 0 (identity), 1 (log) and 2 (logit)."""

    value_type: int

    def forward(self, v: np.ndarray) -> np.ndarray:
        if self.value_type == 1:
            return np.log(v)
        if self.value_type == 2:
            return np.log(v / (1 - v))
        return v

    def backward(self, v: np.ndarray) -> np.ndarray:
        if self.value_type == 1:
            return np.exp(v)
        if self.value_type == 2:
            return special.expit(v)
        return v

    @property
    def backward_inplace(self) -> BackTransform | None:
        """g⁻¹ applied in place to simulated draws (None for the identity)."""
        return {1: exp_inplace, 2: expit_inplace}.get(self.value_type)


@dataclass(frozen=True)
class Estimate:
    """Point estimates (complete, valid groups) and limits of shape (groups, runs, levels, 2)."""

    sii: np.ndarray
    rii: np.ndarray
    intercept: np.ndarray
    sii_limits: np.ndarray
    rii_limits: np.ndarray | None


def untransformed_estimate(
    beta: np.ndarray, slope: np.ndarray, ratio: np.ndarray | None, multiplier: float
) -> Estimate:
    """transform = FALSE: SII = m·β₁, RII = (β₀+β₁)/β₀ (1/RII if m < 0), intercept = β₀.

    The simulated draws were already multiplied (and inverted) before ordering, as in PHE.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_point = (beta[:, 0] + beta[:, 1]) / beta[:, 0]
        if multiplier < 0:
            ratio_point = 1 / ratio_point
    return Estimate(multiplier * beta[:, 1], ratio_point, beta[:, 0], slope, ratio)


def transformed_estimate(
    beta: np.ndarray, slope: np.ndarray, link: Link, multiplier: float
) -> Estimate:
    """transform = TRUE: back-transform the fitted line and its slope limits.

    SII = (g⁻¹(β₀+β₁) − g⁻¹(β₀))·m, RII = g⁻¹(β₀+β₁)/g⁻¹(β₀) (inverted when m < 0), intercept =
    g⁻¹(β₀)·|m|. Limits pivot the line about its mid-point h = (β₀ + (β₀+β₁))/2 with the simulated
    slope limits S: g⁻¹(h + S/2) − g⁻¹(h − S/2). PHE swaps the lower/upper roles (and inverts the
    RII limits) when m < 1 for rates but m < 0 for proportions; reproduced.
    """
    b0, b1 = beta[:, 0], beta[:, 1]
    start, end = link.backward(b0), link.backward(b0 + b1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = end / start
        if multiplier < 0:
            ratio = 1 / ratio
        half = ((b0 + (b0 + b1)) / 2)[:, None, None]
        lo_start = link.backward(half - slope[..., 0] / 2)
        lo_end = link.backward(half + slope[..., 0] / 2)
        hi_start = link.backward(half - slope[..., 1] / 2)
        hi_end = link.backward(half + slope[..., 1] / 2)
        swap = multiplier < 1 if link.value_type == 1 else multiplier < 0
        if swap:
            sii_limits = np.stack(
                [(hi_end - hi_start) * multiplier, (lo_end - lo_start) * multiplier], axis=-1
            )
            rii_limits = np.stack([1 / (hi_end / hi_start), 1 / (lo_end / lo_start)], axis=-1)
        else:
            sii_limits = np.stack(
                [(lo_end - lo_start) * multiplier, (hi_end - hi_start) * multiplier], axis=-1
            )
            rii_limits = np.stack([lo_end / lo_start, hi_end / hi_start], axis=-1)
    return Estimate(
        (end - start) * multiplier, ratio, start * abs(multiplier), sii_limits, rii_limits
    )


def _pick(draws: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The given order statistics of each row (np.partition: O(R) per row, not a full sort)."""
    return np.partition(draws, positions, axis=-1)[:, positions]


def _available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
