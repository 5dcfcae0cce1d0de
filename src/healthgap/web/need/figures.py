"""Published figures as the viewer may see them: small-number suppression and formatting.

Every figure the need app shows (pages, map data, API) goes through `figure(...)`. Analysts
(VIEW_UNSUPPRESSED) see the result row as computed; everyone else sees it as the public
disclosure policy publishes it: the `public_*` fields that `loader.stage` copied from the whole
protected results version (`healthgap.reports.published.public_results`): small counts and
their complements hidden with every value derived from them, other counts rounded to 5
(docs/disclosure.md, "In the app"). Nothing is protected per request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from healthgap.web.disclosure import SUPPRESSED, sees_everything, suppress


@dataclass(frozen=True)
class Figure:
    """A value with its 95% limits and counts. When `suppressed`, every number is None."""

    value: float | None
    lowercl: float | None
    uppercl: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool = False
    reason: str = ""
    unit: str = ""

    @property
    def available(self) -> bool:
        return not self.suppressed and self.value is not None

    @property
    def text(self) -> str:
        """ "72.3%", "*" (suppressed) or "–" (no value)."""
        if self.suppressed:
            return SUPPRESSED
        return number(self.value, self.unit)

    @property
    def interval(self) -> str:
        """ "70.1 to 74.4" or "" when there are no limits to show."""
        if not self.available or self.lowercl is None or self.uppercl is None:
            return ""
        return f"{number(self.lowercl)} to {number(self.uppercl)}"

    @property
    def numerator_text(self) -> str:
        return SUPPRESSED if self.suppressed else count(self.numerator)

    @property
    def denominator_text(self) -> str:
        return SUPPRESSED if self.suppressed else count(self.denominator)


def figure(row: Any, user: Any, *, unit: str = "") -> Figure | None:
    """The Figure of a Result or Priority row (value, lowercl, uppercl, numerator,
    denominator, reason) as `user` may see it; None when `row` is None.

    A Result row shows its `public_*` fields to everyone but analysts. A row without them (a
    Priority) falls back to hiding values whose counts are 1 to 7."""
    if row is None:
        return None
    if hasattr(row, "public_value") and not sees_everything(user):
        if row.suppressed:
            return Figure(None, None, None, None, None, suppressed=True, unit=unit)
        return Figure(
            _clean(row.public_value),
            _clean(row.public_lowercl),
            _clean(row.public_uppercl),
            _clean(row.public_numerator),
            _clean(row.public_denominator),
            reason=row.reason or "",
            unit=unit,
        )
    counts = [row.numerator, row.denominator]
    if suppress(row.value, user, counts=counts) == SUPPRESSED:
        return Figure(None, None, None, None, None, suppressed=True, unit=unit)
    return Figure(
        _clean(row.value),
        _clean(row.lowercl),
        _clean(row.uppercl),
        _clean(row.numerator),
        _clean(row.denominator),
        reason=getattr(row, "reason", "") or "",
        unit=unit,
    )


def hidden_for(user: Any, counts: list[Any]) -> bool:
    """True when a value derived from `counts` must be withheld from `user`."""
    return suppress(None, user, counts=counts) == SUPPRESSED


def number(value: float | None, unit: str = "") -> str:
    """One decimal place (thousands separated); "%" joined, other units after a space."""
    if value is None:
        return "–"
    text = f"{value:,.1f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def count(value: float | None) -> str:
    """A count as a whole number with thousands separators ("–" when missing)."""
    return "–" if value is None else f"{value:,.0f}"


def _clean(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value
