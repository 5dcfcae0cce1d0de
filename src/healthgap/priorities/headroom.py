"""Headroom: how many more people would be reached (or events avoided) if a group matched its
benchmark, with confidence limits; and the best-IMD-quintile benchmark.

    higher_is_better: gap = benchmark − value      lower_is_better: gap = value − benchmark
    headroom = min(ceiling, max(0, gap) × exposure / multiplier)

Units and exposure, by method:
- proportion: **people**; exposure = the denominator (58.1% → 75% of 604 people is
  (75 − 58.1) × 604 / 100 ≈ 102 more people);
- crude rate: **events**; exposure = the population (the denominator), so gap × n / k;
- DSR: **events**; exposure = the area's standardised exposure E = x × k / DSR, the population
  which, at the area's standardised rate, gives its observed events. Then
  headroom = (V − B) × x / V: the observed events scaled by the ratio of the benchmark rate to
  the area's rate (260 events at a DSR of 1,000 against 358 per 100,000 → 260 × (1 − 0.358)
  ≈ 167 events, not (1,000 − 358) × population / 100,000, which overstates the events of an
  area whose population is older than the standard).
The ceiling keeps a claim within what was observed: for lower-is-better indicators no more
than the observed events (or people) x; for a higher-is-better proportion no more than the
people not yet reached, n − x. Indicators with polarity `no_judgement` have no headroom (NaN).

Limits: the gap is a difference of two estimates, so its limits come from MOVER, the "method
of variance estimates recovery" (Zou & Donner 2008; Newcombe 1998, method 10), which combines
the two estimates' own (possibly asymmetric) limits. For gap = B − V with B in (l_B, u_B) and V
in (l_V, u_V):

    lower = gap − √((B − l_B)² + (u_V − V)²),   upper = gap + √((u_B − B)² + (V − l_V)²)

(for lower_is_better, gap = V − B and the roles swap). A catalogue target is a fixed number
(l_B = u_B = B), so the limits reduce to B − u_V and B − l_V: the value's own limits carried
through. Headroom limits are the gap limits clipped at 0 and × denominator / multiplier. The
denominator is treated as known, and the value and benchmark as independent (the group is
usually a small part of the benchmark quintile).

References
----------
Zou GY, Donner A (2008). Construction of confidence limits about effect measures: a general
approach. Statistics in Medicine 27(10):1693-1702. Newcombe RG (1998). Interval estimation for
the difference between independent proportions: comparison of eleven methods. Statistics in
Medicine 17(8):873-890.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from healthgap.stats.inputs import z_value
from healthgap.stats.intervals import poisson_limits, wilson_limits

Z95 = z_value(0.95)
KEYS = ["indicator_id", "period", "area_code"]


def gap_limits(
    value: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    benchmark: np.ndarray,
    bench_lower: np.ndarray,
    bench_upper: np.ndarray,
    higher_is_better: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shortfall against the benchmark (positive = worse) and its MOVER limits."""
    hib = np.asarray(higher_is_better, dtype=bool)
    gap = np.where(hib, benchmark - value, value - benchmark)
    # The gap's lower limit moves the value towards "better" and the benchmark towards "worse".
    down_v = np.where(hib, upper - value, value - lower)
    up_v = np.where(hib, value - lower, upper - value)
    down_b = np.where(hib, benchmark - bench_lower, bench_upper - benchmark)
    up_b = np.where(hib, bench_upper - benchmark, benchmark - bench_lower)
    return (
        gap,
        gap - np.sqrt(down_b**2 + down_v**2),
        gap + np.sqrt(up_b**2 + up_v**2),
    )


def headroom(
    value: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    benchmark: np.ndarray,
    bench_lower: np.ndarray,
    bench_upper: np.ndarray,
    exposure: np.ndarray,
    multiplier: np.ndarray,
    polarity: np.ndarray,
    ceiling: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Headroom and its limits in people (or events):
    min(ceiling, max(0, gap) × exposure / multiplier).

    `exposure` is the denominator for proportions and crude rates and the standardised
    exposure x × k / DSR for a DSR (`exposure`); `ceiling` (default: none) caps the headroom
    and both limits at what was observed (`ceiling`). `polarity` holds "higher_is_better" or
    "lower_is_better" per row; any other polarity (e.g. "no_judgement"), a missing value or a
    missing benchmark gives NaN.
    """
    polarity = np.asarray(polarity, dtype=object)
    hib = polarity == "higher_is_better"
    judged = hib | (polarity == "lower_is_better")
    gap, low, high = gap_limits(value, lower, upper, benchmark, bench_lower, bench_upper, hib)
    scale = np.where(judged, np.asarray(exposure, float) / multiplier, np.nan)
    cap = np.inf if ceiling is None else np.asarray(ceiling, float)
    return tuple(np.minimum(np.maximum(part, 0.0) * scale, cap) for part in (gap, low, high))  # type: ignore[return-value]


def exposure(
    method: np.ndarray, numerator: np.ndarray, denominator: np.ndarray, value: np.ndarray,
    multiplier: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """The population a headroom gap is applied to: the denominator for a proportion or a
    crude rate; for a DSR the standardised exposure x × k / DSR (the population that, at the
    area's standardised rate, gives its observed events x). A DSR with no events (or no value)
    falls back to its denominator; its headroom is then capped at the 0 observed events."""
    x, n = np.asarray(numerator, float), np.asarray(denominator, float)
    v, k = np.asarray(value, float), np.asarray(multiplier, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        standardised = x * k / v
    usable = (np.asarray(method, dtype=object) == "dsr") & (x > 0) & (v > 0)
    return np.where(usable, standardised, n)


def ceiling(numerator: np.ndarray, denominator: np.ndarray, method: np.ndarray,
            polarity: np.ndarray) -> np.ndarray:  # fmt: skip
    """The most a headroom may claim: the observed count x where lower is better (events or
    people who would not be affected), the people not yet reached n − x for a higher-is-better
    proportion, and no cap otherwise."""
    x, n = np.asarray(numerator, float), np.asarray(denominator, float)
    polarity, method = np.asarray(polarity, dtype=object), np.asarray(method, dtype=object)
    return np.where(
        polarity == "lower_is_better",
        x,
        np.where((polarity == "higher_is_better") & (method == "proportion"), n - x, np.inf),
    )


def imd_quintiles(results: pd.DataFrame, methods: Mapping[str, str]) -> pd.DataFrame:
    """Each indicator × period × area's IMD quintile values with 95% limits.

    Areas with `imd_quintile` rows use them as published. Otherwise quintiles are built from
    `imd_decile` rows (quintile q = deciles 2q − 1 and 2q): proportions get Wilson limits and
    crude rates Byar's/exact Poisson limits on the summed counts (as `healthgap.stats`
    computes them); a DSR's quintile is the denominator-weighted mean of its two deciles' DSRs
    (exact when they share an age structure, otherwise an approximation) with a normal
    interval from standard errors recovered from the deciles' limits (SE = (U − L) / 2z).

    `methods` maps indicator id -> catalogue method (proportion, rate, dsr). Columns:
    indicator_id, period, area_code, area_name, quintile (1 = most deprived), value, lowercl,
    uppercl.
    """
    columns = [*KEYS, "area_name", "quintile", "value", "lowercl", "uppercl"]
    direct = results[results["category_type"] == "imd_quintile"]
    direct = direct.assign(quintile=pd.to_numeric(direct["category"]).astype("int64"))
    have = pd.MultiIndex.from_frame(direct[KEYS])
    deciles = results[results["category_type"] == "imd_decile"]
    deciles = deciles[~pd.MultiIndex.from_frame(deciles[KEYS]).isin(have)]
    built = _from_deciles(deciles, methods)
    return pd.concat([direct[columns], built[columns]], ignore_index=True)


def _from_deciles(deciles: pd.DataFrame, methods: Mapping[str, str]) -> pd.DataFrame:
    frame = deciles[deciles["value"].notna()]
    n = frame["denominator"].to_numpy(float)
    se = (frame["uppercl"] - frame["lowercl"]).to_numpy(float) / (2 * Z95)
    frame = frame.assign(
        quintile=(pd.to_numeric(frame["category"]).astype("int64") + 1) // 2,
        weighted=frame["value"].to_numpy(float) * n,
        weighted_se2=(se * n) ** 2,
    )
    sums = (
        frame.groupby([*KEYS, "area_name", "quintile"], sort=True)[
            ["numerator", "denominator", "weighted", "weighted_se2", "multiplier"]
        ]
        .agg(
            {
                "numerator": "sum",
                "denominator": "sum",
                "weighted": "sum",
                "weighted_se2": "sum",
                "multiplier": "first",
            }
        )
        .reset_index()
    )
    x, n, k = (sums[c].to_numpy(float) for c in ("numerator", "denominator", "multiplier"))
    method = sums["indicator_id"].map(methods).to_numpy(dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sums["weighted"].to_numpy(float) / n
        half = Z95 * np.sqrt(sums["weighted_se2"].to_numpy(float)) / n
        wilson_lo, wilson_hi = wilson_limits(x, n, 0.95)
        poisson_lo, poisson_hi = poisson_limits(x, 0.95)
        is_prop, is_rate = method == "proportion", method == "rate"
        lower = np.where(is_prop, wilson_lo * k, np.where(is_rate, poisson_lo / n * k, mean - half))
        upper = np.where(is_prop, wilson_hi * k, np.where(is_rate, poisson_hi / n * k, mean + half))
        value = np.where(is_prop | is_rate, x / n * k, mean)
    return sums.assign(value=value, lowercl=np.maximum(lower, 0.0), uppercl=upper)


def best_quintile(quintiles: pd.DataFrame, polarity: Mapping[str, str]) -> pd.DataFrame:
    """The best quintile of each indicator × period × area: highest value where higher is
    better, lowest where lower is better (ties: the less deprived quintile). Indicators with
    another polarity are left out."""
    pol = quintiles["indicator_id"].map(polarity)
    sign = np.where(pol == "higher_is_better", -1.0, np.where(pol == "lower_is_better", 1, np.nan))
    ranked = quintiles.assign(_key=quintiles["value"].to_numpy(float) * sign)
    ranked = ranked[ranked["_key"].notna()].sort_values(
        [*KEYS, "_key", "quintile"], ascending=[True, True, True, True, False]
    )
    return ranked.drop_duplicates(KEYS).drop(columns="_key").reset_index(drop=True)
