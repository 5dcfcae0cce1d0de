"""Slope and Relative Index of Inequality (PHEindicatormethods 2.1.0 `phe_sii`).

References
----------
Low A, Low A (2004). Measuring the gap: quantifying and comparing local health inequalities.
J Public Health 26(4):388-395. PHE (2018) *Technical Guide: Calculating the Slope Index of
Inequality* (SII Excel tool). PHEindicatormethods 2.1.0, `R/SII_function.R` and `R/utils.R`
(`FindXValues`, `SimulationFunc`). Method, quirks and the vectorised simulation:
docs/methods.md (SII section).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats._frame import Frame, as_pandas, float_array, normalise_group_by, reasons
from healthgap.stats._sii_simulation import (
    Estimate,
    Link,
    order_positions,
    simulate,
    transformed_estimate,
    untransformed_estimate,
)
from healthgap.stats._validate import (
    Confidence,
    _suffix,
    parse_confidence,
    reject_groups,
    reject_rows,
    require_columns,
    require_numeric,
    z_value,
)

Z95 = z_value(0.95)  # PHE derives the SE from 95% limits whatever `confidence` is
INDICATOR_TYPE = {0: "normal", 1: "rate", 2: "proportion"}
TRANSFORM_NAME = {0: "none", 1: "log", 2: "logit"}
RELIABILITY_RUNS = 10

MISSING_QUANTILES = "some quantiles missing for this group (PHE drops the group)"
MISSING_VALUE = "value missing for some quantiles"
OUT_OF_LINK = "value or confidence limits outside the range of the log/logit transform"


def sii(
    data: Frame,
    quantile: str,
    population: str,
    *,
    group_by: str | Sequence[str] | None = None,
    x: str | None = None,
    value: str | None = None,
    value_type: int = 0,
    lower_cl: str | None = None,
    upper_cl: str | None = None,
    se: str | None = None,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float | Sequence[float] = 0.95,
    rii: bool = False,
    intercept: bool = False,
    transform: bool = False,
    reliability_stat: bool = False,
    seed: int | None = None,
) -> Frame:
    """Slope Index of Inequality (and optionally the RII) per group, with Monte-Carlo limits.

    Each group holds one row per quantile (e.g. deprivation decile, ordered from most to least
    deprived). With population shares aᵢ = Nᵢ/ΣN and relative ranks bᵢ = Σ_{j<i} aⱼ + aᵢ/2
    (cumulative mid-points, quantiles in ascending order: numeric, or lexicographic for text
    labels as in R), the weighted least-squares line y = β₀ + β₁·b (weights a) gives
    SII = β₁·multiplier (the fitted gap between ranks 1 and 0, in the units of `value`) and
    RII = (β₀ + β₁)/β₀ (fitted value at rank 1 over rank 0; inverted when multiplier < 0).
    `value_type` 0 = other, 1 = rate, 2 = proportion (then `x`/`population` may replace `value`).
    With `transform=True` (rates: log, proportions: logit) the line is fitted on the link scale
    and SII = (g⁻¹(β₀ + β₁) − g⁻¹(β₀))·multiplier.

    Standard errors: `se` (used as the SD on the log/logit scale for rates and proportions), or
    (g(upper_cl) − g(lower_cl))/(2·1.959964) from *95%* limits. Confidence limits come from
    `repetitions` simulated data sets (seeded by `seed`), taken as order statistics
    round(R(1 ∓ c)/2) as in PHE; `reliability_stat` repeats the simulation 10 times and adds
    `sii_mad95_0` (and `rii_mad95_0`): the mean absolute difference of runs 2-10 from run 1.

    Returns the group columns, `sii`, [`rii`], `sii_lower95_0cl`, `sii_upper95_0cl`, … (all SII
    limits, then the RII limits), [MAD columns], [`intercept`], `indicator_type`, `multiplier`,
    `transform`, `CI_confidence`, `CI_method` and `reason`. A group lacking a quantile that occurs
    elsewhere in the data (PHE drops it with a warning) is returned with NA values and a reason.
    Bad input raises `InputDataError` naming the rows; bad arguments raise `ArgumentError`.
    """
    fn = "sii"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    _check_arguments(fn, x, value, value_type, lower_cl, upper_cl, se, transform)
    reps = _check_numbers(fn, multiplier, repetitions, confidence)
    conf = parse_confidence(confidence, fn, any_levels=True)
    if len(set(conf.levels)) != len(conf.levels):
        raise ArgumentError(f"{fn}: confidence levels must be distinct")
    columns = [population, x, value, lower_cl, upper_cl, se]
    require_columns(df, [quantile, *columns, *groups], fn)
    require_numeric(df, columns, fn)
    _check_rows(fn, df, population, x, value, value_type, lower_cl, upper_cl, se)

    layout = _Layout.build(df, groups, quantile, fn)
    link = Link(value_type)
    pop = layout.dense(float_array(df[population]))
    raw = (
        float_array(df[value])
        if value is not None
        else float_array(df[x]) / float_array(df[population])
    )
    val = layout.dense(raw)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = link.forward(val)
        if se is not None:
            sd = layout.dense(float_array(df[se]))
        else:
            lower = link.forward(layout.dense(float_array(df[lower_cl])))
            upper = link.forward(layout.dense(float_array(df[upper_cl])))
            sd = (upper - lower) / Z95 / 2
    design = wls_design(pop)
    y = mu if transform else val
    missing = np.isnan(val).any(axis=1)
    bad_link = (np.isnan(mu) | ~np.isfinite(sd)).any(axis=1)
    if transform:
        bad_link |= (~np.isfinite(mu)).any(axis=1)
    ok = ~missing & ~bad_link
    with np.errstate(invalid="ignore"):
        beta = np.einsum("gjk,gk->gj", design[ok], y[ok])

    levels = conf.levels
    positions = order_positions(reps, levels)
    flat, index = np.unique(positions, return_inverse=True)
    stats = simulate(
        design[ok],
        mu[ok],
        sd[ok],
        back=None if transform else link.backward_inplace,
        slope_scale=1.0 if transform else float(multiplier),
        rii=rii and not transform,
        invert_rii=multiplier < 0,
        positions=flat,
        repetitions=reps,
        runs=RELIABILITY_RUNS if reliability_stat else 1,
        seed=seed,
        stream_ids=layout.complete_ids[ok],
    )
    index = index.reshape(positions.shape)
    slope_limits = stats.slope[:, :, index]  # (G, runs, levels, 2)
    rii_limits = None if stats.rii is None else stats.rii[:, :, index]
    if transform:
        estimate = transformed_estimate(beta, slope_limits, link, float(multiplier))
    else:
        estimate = untransformed_estimate(beta, slope_limits, rii_limits, float(multiplier))

    out = _assemble(layout, ok, estimate, conf, rii=rii, intercept=intercept)
    if reliability_stat:
        _add_reliability(out, layout, ok, estimate, conf, rii=rii, intercept=intercept)
    out["indicator_type"] = INDICATOR_TYPE[value_type]
    out["multiplier"] = multiplier
    out["transform"] = TRANSFORM_NAME[value_type] if transform else "none"
    out["CI_confidence"] = conf.label
    out["CI_method"] = f"simulation {r_number(reps)} reps"
    complete = layout.complete
    dense_missing = np.zeros(complete.size, dtype=bool)
    dense_missing[complete] = missing
    dense_bad = np.zeros(complete.size, dtype=bool)
    dense_bad[complete] = bad_link & ~missing
    out["reason"] = pd.Series(
        reasons(
            (~complete, MISSING_QUANTILES), (dense_missing, MISSING_VALUE), (dense_bad, OUT_OF_LINK)
        ),
        index=out.index,
        dtype=object,
    )
    return back(out)


def wls_design(population: np.ndarray) -> np.ndarray:
    """Per group, the 2 × k matrix M with (β₀, β₁) = M·y for PHE's weighted regression.

    aᵢ = Nᵢ/ΣN, bᵢ = aᵢ/2 + Σ_{j<i} aⱼ (FindXValues); minimising Σ aᵢ(yᵢ − β₀ − β₁bᵢ)² gives
    β₁ = Σ aᵢ(bᵢ − b̄)yᵢ / Σ aᵢ(bᵢ − b̄)² and β₀ = ȳ − β₁b̄ with b̄ = Σaᵢbᵢ/Σaᵢ, ȳ = Σaᵢyᵢ/Σaᵢ —
    the same fit as R's lm(√a·y ~ √a + b√a − 1), written in centred form for stability.
    Input (groups, k) populations; output (groups, 2, k).
    """
    a = population / population.sum(axis=1, keepdims=True)
    cum = np.cumsum(a, axis=1)
    b = a / 2 + np.concatenate([np.zeros_like(cum[:, :1]), cum[:, :-1]], axis=1)
    total = a.sum(axis=1, keepdims=True)
    b_bar = (a * b).sum(axis=1, keepdims=True) / total
    centred = b - b_bar
    m1 = a * centred / (a * centred**2).sum(axis=1, keepdims=True)
    m0 = a / total - b_bar * m1
    return np.stack([m0, m1], axis=1)


def r_number(value: int) -> str:
    """An integer as R's `as.character` prints a double: 100000 -> "1e+05", 10000 -> "10000".

    R chooses scientific notation when it is strictly narrower than fixed notation.
    """
    fixed = str(value)
    digits = fixed.rstrip("0") or "0"
    mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
    scientific = f"{mantissa}e+{len(fixed) - 1:02d}"
    return scientific if len(scientific) < len(fixed) else fixed


@dataclass(frozen=True)
class _Layout:
    """Rows placed into a dense (complete groups × quantiles) grid, quantiles in PHE's order."""

    keys: pd.DataFrame  # one row per group (sorted), no columns when ungrouped
    complete: np.ndarray  # bool per group: has every quantile of the data
    group_of_row: np.ndarray
    quantile_of_row: np.ndarray
    n_quantiles: int

    @classmethod
    def build(cls, df: pd.DataFrame, groups: list[str], quantile: str, fn: str) -> _Layout:
        codes, n_quantiles = _quantile_codes(df[quantile])
        if not 5 <= n_quantiles <= 100:
            raise InputDataError(
                f"{fn}: Number of quantiles must be between 5 and 100 (the data hold"
                f" {n_quantiles} distinct quantile values)"
            )
        if groups:
            grouped = df.groupby(groups, sort=True, dropna=False, observed=True)
            gid = grouped.ngroup().to_numpy()
            keys = grouped.size().reset_index()[groups]
        else:
            gid = np.zeros(len(df), dtype=np.int64)
            keys = pd.DataFrame(index=range(1))
        pair = gid * n_quantiles + codes
        unique_pairs, counts = np.unique(pair, return_counts=True)
        duplicated = np.zeros(len(keys), dtype=bool)
        duplicated[unique_pairs[counts > 1] // n_quantiles] = True
        reject_groups(
            duplicated,
            keys if groups else pd.DataFrame({"group": ["(all rows)"]}),
            f"{fn}: each group must have exactly one row per quantile; duplicated quantiles found",
        )
        complete = np.bincount(gid, minlength=len(keys)) == n_quantiles
        return cls(keys, complete, gid, codes, n_quantiles)

    @property
    def complete_ids(self) -> np.ndarray:
        """Output positions of the complete groups (the random-stream ids)."""
        return np.flatnonzero(self.complete)

    def dense(self, column: np.ndarray) -> np.ndarray:
        """A row-aligned column as a (complete groups, quantiles) array."""
        position = np.full(self.complete.size, -1)
        position[self.complete] = np.arange(self.complete.sum())
        rows = self.complete[self.group_of_row]
        out = np.full((int(self.complete.sum()), self.n_quantiles), np.nan)
        out[position[self.group_of_row[rows]], self.quantile_of_row[rows]] = column[rows]
        return out


def _quantile_codes(series: pd.Series) -> tuple[np.ndarray, int]:
    """Rank of each row's quantile among the distinct quantiles (NA last) and their number.

    Numbers sort numerically; anything else (text, categories) is compared as text, as R does
    after turning factors into character (so "10" sorts before "2").
    """
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    keys = series if numeric else series.astype("string")
    codes, uniques = pd.factorize(keys, sort=True)
    has_na = bool((codes < 0).any())
    codes = np.where(codes < 0, len(uniques), codes)
    return codes.astype(np.int64), len(uniques) + has_na


def _assemble(
    layout: _Layout,
    ok: np.ndarray,
    est: Estimate,
    conf: Confidence,
    *,
    rii: bool,
    intercept: bool,
) -> pd.DataFrame:
    """Group keys, sii, [rii], SII limits per level, [RII limits per level], [intercept]."""
    out = layout.keys.copy()
    spread = _Spreader(layout.complete, ok)
    out["sii"] = spread(est.sii)
    if rii:
        out["rii"] = spread(est.rii)
    measures = [("sii_", est.sii_limits)]
    if rii and est.rii_limits is not None:
        measures.append(("rii_", est.rii_limits))
    for prefix, limits in measures:
        for level, names in enumerate(conf.names(prefix, always_suffix=True)):
            for side, name in enumerate(names):
                out[name] = spread(limits[:, 0, level, side])
    if intercept:
        out["intercept"] = spread(est.intercept)
    return out


def _add_reliability(
    out: pd.DataFrame,
    layout: _Layout,
    ok: np.ndarray,
    est: Estimate,
    conf: Confidence,
    *,
    rii: bool,
    intercept: bool,
) -> None:
    """`sii_mad95_0` (and `rii_mad95_0`) per level: mean |limit(run r) − limit(run 1)| over runs
    2-10 and both limits (PHE's reliability statistic), placed before `intercept`."""
    spread = _Spreader(layout.complete, ok)
    limits = [("sii_mad", est.sii_limits)]
    if rii and est.rii_limits is not None:
        limits.append(("rii_mad", est.rii_limits))
    for level, c in enumerate(conf.levels):
        for name, values in limits:
            diffs = np.abs(values[:, 1:, level, :] - values[:, :1, level, :])
            out[f"{name}{_suffix(c)}"] = spread(diffs.mean(axis=(1, 2)))
    if intercept:
        out["intercept"] = out.pop("intercept")


@dataclass(frozen=True)
class _Spreader:
    """Put values computed for the valid complete groups back into all-groups order (NaN else)."""

    complete: np.ndarray
    ok: np.ndarray

    def __call__(self, values: np.ndarray) -> np.ndarray:
        dense = np.full(int(self.complete.sum()), np.nan)
        dense[self.ok] = values
        out = np.full(self.complete.size, np.nan)
        out[self.complete] = dense
        return out


def _check_arguments(
    fn: str,
    x: str | None,
    value: str | None,
    value_type: object,
    lower_cl: str | None,
    upper_cl: str | None,
    se: str | None,
    transform: bool,
) -> None:
    """PHE's argument checks and wording (the transform checks first, so each can be reached)."""
    if transform and value_type == 0:
        raise ArgumentError(f"{fn}: value_type should be 1 or 2 when transform is true")
    if transform and se is not None:
        raise ArgumentError(f"{fn}: function {fn} requires se to be missing when transform is true")
    if transform and (lower_cl is None or upper_cl is None):
        raise ArgumentError(
            f"{fn}: function {fn} requires lower_cl and upper_cl fields when transform is true"
        )
    if value is None and x is None:
        raise ArgumentError(
            f"{fn}: function {fn} requires value field, or x field if indicator is a proportion"
            " of population"
        )
    if se is None and (lower_cl is None or upper_cl is None):
        raise ArgumentError(
            f"{fn}: function {fn} requires either lower_cl and upper_cl fields, or se field"
        )
    if isinstance(value_type, bool) or value_type not in (0, 1, 2):
        raise ArgumentError(f"{fn}: value_type should be 0, 1 or 2")
    if value is None and value_type != 2:
        raise ArgumentError(
            f"{fn}: x (without value) can only be used for proportions (value_type 2)"
        )


def _check_numbers(fn: str, multiplier: object, repetitions: object, confidence: object) -> int:
    """multiplier, repetitions and confidence must be numeric; repetitions a whole number ≥ 1000."""
    levels = np.atleast_1d(np.asarray(confidence, dtype=object)).ravel().tolist()
    values = [multiplier, repetitions, *levels]
    if any(isinstance(v, bool) or not isinstance(v, int | float | np.number) for v in values):
        raise ArgumentError(
            f"{fn}: multiplier, repetitions and confidence inputs should be numeric"
        )
    if not np.isfinite(float(multiplier)):  # type: ignore[arg-type]
        raise ArgumentError(f"{fn}: multiplier must be finite")
    if float(repetitions) < 1000:  # type: ignore[arg-type]
        raise ArgumentError(
            f"{fn}: number of repetitions must be 1000 or greater. Default is 100,000"
        )
    if not float(repetitions).is_integer():  # type: ignore[arg-type]
        raise ArgumentError(f"{fn}: repetitions must be a whole number")
    return int(repetitions)  # type: ignore[call-overload]


def _check_rows(
    fn: str,
    df: pd.DataFrame,
    population: str,
    x: str | None,
    value: str | None,
    value_type: int,
    lower_cl: str | None,
    upper_cl: str | None,
    se: str | None,
) -> None:
    """PHE's data checks: they stop the whole call, naming the offending rows."""
    pop = float_array(df[population])
    reject_rows(
        np.isnan(pop) | (pop <= 0),
        df,
        f"{fn}: some groups have a zero, negative or missing population",
    )
    if se is not None:
        s = float_array(df[se])
        reject_rows(
            np.isnan(s) | (s < 0), df, f"{fn}: negative or missing standard errors in input dataset"
        )
    both_cls = lower_cl is not None and upper_cl is not None
    if both_cls:
        lower, upper = float_array(df[lower_cl]), float_array(df[upper_cl])
        reject_rows(
            np.isnan(lower) | np.isnan(upper),
            df,
            f"{fn}: missing lower or upper confidence limits in input dataset",
        )
    if value_type != 2:
        return
    if value is not None:
        v = float_array(df[value])
        reject_rows((v < 0) | (v > 1), df, f"{fn}: value proportions are not all between 0 and 1")
    if both_cls:
        outside = (lower < 0) | (lower > 1) | (upper < 0) | (upper > 1)
        reject_rows(outside, df, f"{fn}: confidence limit proportions are not all between 0 and 1")
    if value is None and x is not None:
        reject_rows(
            float_array(df[x]) <= 0, df, f"{fn}: some groups have a zero or negative count x"
        )
