"""Dates relative to a reporting period or to a person's birth month, as written in indicator YAML.

Grammar (docs/indicators.md): an anchor, then any number of `+ N unit` / `- N unit` terms:

    period_start | period_end | birth | YYYY-MM-DD   [(+|-) N day(s)|month(s)|year(s)] ...

Month and year steps keep the day of the month, clamped to the month's last day (31 March minus
one month is 28 or 29 February), and are applied before day steps. `birth` is known only to the
month (people.birth_month), so it is taken as the 1st of the birth month and only month and
year steps may follow it; birth-relative dates are compared month by month in the engines.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_ANCHORS = ("period_start", "period_end")
ANCHORS = (*PERIOD_ANCHORS, "birth")

_TERM = re.compile(r"\s*([+-])\s*(\d+)\s*(day|month|year)s?\s*")
_HEAD = re.compile(r"\s*(period_start|period_end|birth|\d{4}-\d{2}-\d{2})\s*")


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_index(day: date) -> int:
    """Months since January of year 0: 12·year + month − 1 (what the engines compare for birth)."""
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class DateRef:
    """A date: `anchor` (period_start, period_end, birth, or None for the fixed `fixed`) moved by
    `months` then `days`."""

    anchor: str | None
    fixed: date | None = None
    months: int = 0
    days: int = 0

    @property
    def is_birth(self) -> bool:
        return self.anchor == "birth"

    def resolve(self, start: date, end: date) -> date:
        """The calendar date for a period running from `start` to `end` (not for `birth`)."""
        if self.is_birth:
            raise ValueError("a birth-relative date differs for each person")
        base = {"period_start": start, "period_end": end}.get(self.anchor or "", self.fixed)
        assert base is not None
        return add_months(base, self.months) + timedelta(days=self.days)

    def __str__(self) -> str:
        text = self.anchor or str(self.fixed)
        for amount, unit in ((self.months, "months"), (self.days, "days")):
            if amount:
                text += f" {'+' if amount > 0 else '-'} {abs(amount)} {unit}"
        return text


def parse_date_ref(value: object) -> DateRef:
    """Parse the grammar above; ValueError with a short reason if it does not match."""
    if isinstance(value, date):
        return DateRef(None, value)
    if not isinstance(value, str):
        raise ValueError(
            f"expected a date expression such as 'period_end - 36 months', got {value!r}"
        )
    head = _HEAD.match(value)
    if head is None:
        raise ValueError(
            f"{value!r} does not start with period_start, period_end, birth or a YYYY-MM-DD date"
        )
    anchor = head.group(1)
    fixed = None
    if anchor[0].isdigit():
        try:
            fixed = date.fromisoformat(anchor)
        except ValueError:
            raise ValueError(f"{anchor!r} is not a real calendar date") from None
        anchor = None
    months = days = 0
    pos = head.end()
    while pos < len(value):
        term = _TERM.match(value, pos)
        if term is None:
            raise ValueError(
                f"cannot read {value[pos:]!r} in {value!r}; write steps as '+ 1 day', "
                "'- 36 months' or '- 5 years'"
            )
        amount = int(term.group(2)) * (1 if term.group(1) == "+" else -1)
        unit = term.group(3)
        if unit == "day":
            days += amount
        else:
            months += amount * (12 if unit == "year" else 1)
        pos = term.end()
    if anchor == "birth" and days:
        raise ValueError(
            "birth is known only to the month, so only month or year steps may follow it"
        )
    return DateRef(anchor, fixed, months, days)
