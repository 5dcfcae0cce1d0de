"""Equity impact: did the gap narrow between two periods?

A gap is an inequality measure with a standard error: PHE's SII/RII across IMD deciles
(`healthgap.stats.sii`), or WHO HEAT's difference (`d`) and ratio (`r`) for Core20 versus the
rest and between ethnic groups, as in the results' `inequalities.parquet` rows (`value`, `se`,
`lowercl`, `uppercl`). The change between two periods is a difference of two independent
estimates (Altman DG, Bland JM (2003) "Interaction revisited: the difference between two
estimates", BMJ 326:219):

    change = after − before,  SE = √(se_before² + se_after²),  95% CI change ± 1.96 × SE,
    z = change / SE, two-sided p from the normal distribution.

Ratio measures (RII, HEAT `r`) are compared on the log scale, as Altman and Bland advise: the
change is the ratio of ratios after/before, with SE of its log √(se_log,b² + se_log,a²), where
se_log = (ln upper − ln lower) / (2 × 1.96) from each estimate's 95% limits (or se / value when
limits are missing). The estimates are treated as independent; the same areas in both periods
make them positively correlated in practice, so the interval is conservative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from healthgap.errors import ArgumentError, InputDataError
from healthgap.evaluation.effect import Z95, Effect, number

RATIO_MEASURES = frozenset({"rii", "r"})
KEYS = ("indicator_id", "area_type", "area_code", "dimension", "measure")


@dataclass(frozen=True)
class Gap:
    """An inequality estimate: `value` with standard error `se` (natural scale) and optional
    95% limits (used for ratios' log-scale SE)."""

    value: float
    se: float
    lowercl: float = float("nan")
    uppercl: float = float("nan")


def gap_change(before: Gap, after: Gap, *, ratio: bool = False, what: str = "the gap") -> Effect:
    """Change in a gap between two periods, with its 95% CI and a sentence.

    Differences: `estimate` = after − before (the gap's units). Ratios (`ratio=True`):
    `estimate` = after / before, limits exp(ln(after/before) ± 1.96 × SE_log). The sentence says
    whether the gap narrowed (moved towards 0, or towards 1 for a ratio) with a CI that excludes
    no change, widened, or showed no clear change.
    """
    if ratio:
        b, sb = _log(before)
        a, sa = _log(after)
    else:
        b, sb, a, sa = before.value, before.se, after.value, after.se
    if not all(np.isfinite([b, sb, a, sa])) or sb < 0 or sa < 0:
        raise InputDataError(f"gap_change: {what} needs finite values and standard errors.")
    change = a - b
    se = float(np.hypot(sb, sa))
    lo, hi = change - Z95 * se, change + Z95 * se
    p = float(2 * sps.norm.sf(abs(change) / se)) if se > 0 else float("nan")
    verdict = _verdict(b, change, lo, hi)
    digits = 2 if ratio else 1
    if ratio:
        est, lo, hi = float(np.exp(change)), float(np.exp(lo)), float(np.exp(hi))
        size = f"a ratio of {number(est, 2)} (95% CI {number(lo, 2)} to {number(hi, 2)})"
    else:
        est = float(change)
        size = f"a change of {number(est)} (95% CI {number(lo)} to {number(hi)})"
    sentence = (
        f"{what} went from {number(before.value, digits)} to {number(after.value, digits)}, "
        f"{size}: it {verdict or 'showed no clear change'}"
    )
    return Effect(est, float(lo), float(hi), p, se, sentence)


def equity_impact(
    inequalities: pd.DataFrame,
    before: object,
    after: object,
    *,
    keys: Sequence[str] = KEYS,
    period: str = "period",
) -> pd.DataFrame:
    """Change in every gap of an inequalities table between periods `before` and `after`.

    `inequalities` has the results' inequalities columns (`keys`, `period`, `value`, `se`, and
    optionally `lowercl`/`uppercl`). Returns one row per gap present in both periods: `keys`,
    `before`, `after`, `scale` ("difference" or "ratio"), `change`, `lowercl`, `uppercl`,
    `p_value`, `narrowed` (True/False when the CI excludes no change, else None) and `sentence`.
    Gaps without a value or SE in either period are left out.
    """
    needed = [*keys, period, "value", "se"]
    missing = [c for c in needed if c not in inequalities.columns]
    if missing:
        raise ArgumentError(f"equity_impact: columns not in the table: {missing}.")
    table = inequalities.copy()
    for col in ("lowercl", "uppercl"):
        if col not in table.columns:
            table[col] = np.nan
    parts = [table[table[period] == p].set_index(list(keys)) for p in (before, after)]
    for p, part in zip((before, after), parts, strict=True):
        if part.empty:
            raise InputDataError(f"equity_impact: no rows for period {p!r}.")
        if part.index.duplicated().any():
            raise InputDataError(f"equity_impact: more than one row per gap in period {p!r}.")
    joined = parts[0].join(parts[1], how="inner", suffixes=("_b", "_a"))
    usable = joined[["value_b", "se_b", "value_a", "se_a"]].notna().all(axis=1)
    rows = []
    for key, r in joined[usable].iterrows():
        measure = key[list(keys).index("measure")] if "measure" in keys else ""
        ratio = measure in RATIO_MEASURES
        effect = gap_change(
            Gap(r["value_b"], r["se_b"], r["lowercl_b"], r["uppercl_b"]),
            Gap(r["value_a"], r["se_a"], r["lowercl_a"], r["uppercl_a"]),
            ratio=ratio,
            what=f"The {measure.upper() if measure in ('sii', 'rii') else 'gap'}",
        )
        verdict = effect.sentence.rsplit(" ", 1)[-1]
        narrowed = {"narrowed": True, "widened": False}.get(verdict)
        rows.append((*key, r["value_b"], r["value_a"], "ratio" if ratio else "difference",
                     effect.estimate, effect.lowercl, effect.uppercl, effect.p_value, narrowed,
                     effect.sentence))  # fmt: skip
    columns = [*keys, "before", "after", "scale", "change", "lowercl", "uppercl", "p_value",
               "narrowed", "sentence"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _verdict(before: float, change: float, lo: float, hi: float) -> str | None:
    """ "narrowed" (moved towards no gap), "widened", or None when the CI includes no change.

    On the log scale for ratios, so "towards no gap" means towards a ratio of 1.
    """
    if lo <= 0 <= hi:
        return None
    return "narrowed" if -np.sign(before) * change > 0 else "widened"


def _log(gap: Gap) -> tuple[float, float]:
    """(ln value, SE of ln value) of a ratio."""
    if not gap.value > 0:
        raise InputDataError(f"gap_change: a ratio must be positive, not {gap.value!r}.")
    if gap.lowercl > 0 and gap.uppercl > 0:
        return float(np.log(gap.value)), float(
            (np.log(gap.uppercl) - np.log(gap.lowercl)) / (2 * Z95)
        )
    return float(np.log(gap.value)), float(gap.se / gap.value)
