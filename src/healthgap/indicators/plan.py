"""Indicators resolved for each of their periods: the constant dates and codes every engine uses.

A `Slot` is one (indicator, period) pair. `plan()` lists the slots of a set of indicators with
every relative date worked out (period_end - 36 months -> 2022-03-31), so the engines compare
event dates with constants. Birth-relative bounds stay relative (`Bound.birth_months`), because
they differ from person to person. Both `compile.py` and `reference.py` consume this plan; the
semantics (docs/indicators.md) are pinned by the spec tests, not by this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from healthgap.indicators._dates import DateRef
from healthgap.indicators.definitions import AgeBand, Criterion, Indicator, Period, Window


@dataclass(frozen=True)
class Bound:
    """A window bound: a calendar `day`, or `birth_months` after the 1st of the birth month."""

    day: date | None = None
    birth_months: int | None = None


@dataclass(frozen=True)
class Check:
    """A criterion for one period: events of `event_type` with a code in `codes`, dated from
    `start` (inclusive; None = ever) to `end` (inclusive if `end_inclusive`), at least
    `min_count` of them; with `resolved_codes`, the latest must be later than the latest
    resolving event (`resolved_event_type`, same window); with `followed_days` (first, last),
    only events followed by one of `followed_type` with a code in `followed_codes` that many
    days later (inclusive) count."""

    event_type: str
    codes: tuple[str, ...]
    start: Bound | None
    end: Bound
    end_inclusive: bool
    min_count: int = 1
    resolved_codes: tuple[str, ...] = ()
    resolved_event_type: str = ""
    followed_type: str = ""
    followed_codes: tuple[str, ...] = ()
    followed_days: tuple[int, int] | None = None

    @property
    def uses_birth(self) -> bool:
        return any(b is not None and b.birth_months is not None for b in (self.start, self.end))


@dataclass(frozen=True)
class Slot:
    """One indicator in one period, with every date resolved."""

    index: int
    indicator: Indicator
    period: Period
    age_at: date
    age_min: int | None
    age_max: int | None
    sex: tuple[str, ...] | None
    registered_from: date | None
    registered_to: date | None
    require: tuple[Check, ...]
    exclude: tuple[Check, ...]
    numerator: tuple[Check, ...]
    count_events: bool
    age_bands: tuple[AgeBand, ...]
    denominator: Check | None = None
    """Events counted as the denominator (members need one); None: people are counted."""

    @property
    def checks(self) -> tuple[Check, ...]:
        own = () if self.denominator is None else (self.denominator,)
        return (*self.require, *self.exclude, *self.numerator, *own)


def _bound(ref: DateRef, period: Period) -> Bound:
    if ref.is_birth:
        return Bound(birth_months=ref.months)
    return Bound(day=ref.resolve(period.start, period.end))


def resolve_check(criterion: Criterion, period: Period) -> Check:
    """`criterion` with its window worked out for `period`."""
    window: Window = criterion.window
    followed = criterion.followed_by
    return Check(
        event_type=criterion.event_type,
        codes=criterion.code_values,
        start=None if window.start is None else _bound(window.start, period),
        end=_bound(window.end, period),
        end_inclusive=window.end_inclusive,
        min_count=criterion.min_count,
        resolved_codes=criterion.resolved_values,
        resolved_event_type=criterion.resolved_event_type or criterion.event_type,
        followed_type="" if followed is None else followed.event_type,
        followed_codes=() if followed is None else followed.code_values,
        followed_days=None if followed is None else (followed.from_days, followed.to_days),
    )


def plan(indicators: Iterable[Indicator] | Mapping[str, Indicator]) -> list[Slot]:
    """Every (indicator, period) slot, numbered in catalogue order then period order."""
    items = indicators.values() if isinstance(indicators, Mapping) else indicators
    slots: list[Slot] = []
    for indicator in items:
        cohort = indicator.cohort
        for period in indicator.periods:
            reg = cohort.registration
            slots.append(
                Slot(
                    index=len(slots),
                    indicator=indicator,
                    period=period,
                    age_at=cohort.age.at.resolve(period.start, period.end),
                    age_min=cohort.age.minimum,
                    age_max=cohort.age.maximum,
                    sex=cohort.sex,
                    registered_from=None
                    if reg is None
                    else reg.start.resolve(period.start, period.end),
                    registered_to=None
                    if reg is None
                    else reg.end.resolve(period.start, period.end),
                    require=tuple(resolve_check(c, period) for c in cohort.require),
                    exclude=tuple(resolve_check(c, period) for c in cohort.exclude),
                    numerator=tuple(resolve_check(c, period) for c in indicator.numerator.all_of),
                    count_events=indicator.numerator.count == "events",
                    age_bands=indicator.age_bands,
                    denominator=None
                    if indicator.denominator is None
                    else resolve_check(indicator.denominator, period),
                )
            )
    return slots


FINEST_GRAIN = ("indicator_id", "period", "lsoa21", "ethnicity", "sex", "age_band")
"""Columns of the fine table every engine returns, followed by numerator and denominator."""
