"""The result of an evaluation: an estimate, its 95% interval, p-value, checks and a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Z95 = 1.959963984540054  # Φ⁻¹(0.975)


@dataclass(frozen=True)
class Check:
    """A diagnostic that qualifies an effect (e.g. the pre-period parallel-trends test).

    `passed` is True when the check found no problem, False when it did, None when it could
    not be run; `statistic` and `p_value` are the test's, `detail` says it in plain English.
    """

    name: str
    passed: bool | None
    detail: str
    statistic: float = float("nan")
    p_value: float = float("nan")


@dataclass(frozen=True)
class Effect:
    """An estimated effect in the outcome's own units.

    `lowercl`/`uppercl` are the two-sided 95% limits, `se` the standard error they come from,
    `p_value` the two-sided test of no effect; `sentence` reports it in plain English.
    """

    estimate: float
    lowercl: float
    uppercl: float
    p_value: float
    se: float
    sentence: str
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def significant(self) -> bool:
        """True when the 95% interval excludes zero."""
        return bool(self.lowercl > 0 or self.uppercl < 0)


def number(x: float, digits: int = 1) -> str:
    """A number for a sentence: fixed decimals, a true minus sign."""
    text = f"{x:.{digits}f}"
    return text.replace("-", "−") if not np.isnan(x) else "not available"


def change_phrase(
    what: str,
    estimate: float,
    lowercl: float,
    uppercl: float,
    units: str,
    rise: str,
    fall: str,
    digits: int = 1,
) -> str:
    """ "uptake rose 4.1 points (95% CI 2.3 to 5.9)" with the interval as sizes of the change."""
    if estimate >= 0:
        verb, lo, hi = rise, lowercl, uppercl
    else:
        verb, lo, hi = fall, -uppercl, -lowercl
    unit = f" {units}" if units else ""
    size, lo_text, hi_text = (number(v, digits) for v in (abs(estimate), lo, hi))
    return f"{what} {verb} {size}{unit} (95% CI {lo_text} to {hi_text})"


def chance_clause(lowercl: float, uppercl: float) -> str:
    """A warning when the interval includes no change."""
    if lowercl <= 0 <= uppercl:
        return "; the interval includes no change, so this could be chance"
    return ""
