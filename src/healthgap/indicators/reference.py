"""The reference engine: indicator numerators and denominators worked out person by person.

This is the oracle the SQL engines are checked against (as ehrQL's in-memory engine is), so it
is written to be obviously right rather than fast: a loop over people, and for each indicator
period a direct reading of the rules in docs/indicators.md. Use it for tests and small data
only; `compile.py` is the engine for real data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from healthgap.indicators._dates import month_index
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.plan import FINEST_GRAIN, Bound, Check, Slot, plan
from healthgap.indicators.rollup import tidy_finest

__all__ = ["reference_finest"]


@dataclass(frozen=True)
class _Event:
    event_type: str
    code: str
    day: date


@dataclass(frozen=True)
class _Person:
    sex: str
    lsoa21: str | None
    ethnicity: str
    birth_month: int | None  # month number 12·year + month − 1
    age: int | None
    registration_start: date | None
    registration_end: date | None


def _day(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _text(value: object) -> str | None:
    return (
        None if value is None or pd.isna(value) or str(value).strip() == "" else str(value).strip()
    )


def _person(row: Mapping[str, object]) -> _Person:
    ethnicity = (_text(row.get("ethnicity")) or "99").upper()
    birth = _text(row.get("birth_month"))
    age = row.get("age")
    return _Person(
        sex=str(row["sex"]),
        lsoa21=_text(row.get("lsoa21")),
        ethnicity="99" if ethnicity == "99" else ethnicity[0],
        birth_month=None if birth is None else int(birth[:4]) * 12 + int(birth[5:7]) - 1,
        age=None if age is None or pd.isna(age) else int(age),
        registration_start=_day(row.get("registration_start")),
        registration_end=_day(row.get("registration_end")),
    )


def _age(person: _Person, on: date) -> int | None:
    """Whole years on `on`, birth on the 1st of the birth month; the `age` column if no month."""
    if person.birth_month is None:
        return person.age
    months = month_index(on) - person.birth_month
    return months // 12 if months >= 0 else None


def _on_or_after(event: _Event, bound: Bound, person: _Person) -> bool:
    if bound.day is not None:
        return event.day >= bound.day
    return (
        person.birth_month is not None
        and month_index(event.day) >= person.birth_month + bound.birth_months
    )


def _before_end(event: _Event, check: Check, person: _Person) -> bool:
    bound = check.end
    if bound.day is not None:
        return event.day <= bound.day if check.end_inclusive else event.day < bound.day
    return (
        person.birth_month is not None
        and month_index(event.day) < person.birth_month + bound.birth_months
    )


def _dates(
    check: Check, person: _Person, events: list[_Event], event_type: str, codes: tuple[str, ...]
) -> list[date]:
    """Dates of the person's events of `event_type`, with one of `codes`, in the check's window."""
    return [
        e.day
        for e in events
        if e.event_type == event_type
        and e.code in codes
        and (check.start is None or _on_or_after(e, check.start, person))
        and _before_end(e, check, person)
    ]


def _followed(check: Check, found: list[date], events: list[_Event]) -> list[date]:
    """The dates in `found` with a `followed_*` event from first to last days after them."""
    assert check.followed_days is not None
    first, last = check.followed_days
    later = [
        e.day
        for e in events
        if e.event_type == check.followed_type and e.code in check.followed_codes
    ]
    return [
        d
        for d in found
        if any(d + timedelta(days=first) <= a <= d + timedelta(days=last) for a in later)
    ]


def _count(check: Check, person: _Person, events: list[_Event]) -> int:
    """Matching events if the check is met (0 if not)."""
    found = _dates(check, person, events, check.event_type, check.codes)
    if check.followed_days is not None:
        found = _followed(check, found, events)
    if len(found) < check.min_count:
        return 0
    if check.resolved_codes:
        resolved = _dates(check, person, events, check.resolved_event_type, check.resolved_codes)
        if resolved and max(resolved) >= max(found):
            return 0
    return len(found)


def _in_cohort(slot: Slot, person: _Person, age: int | None, events: list[_Event]) -> bool:
    if age is None:
        return False
    if slot.age_min is not None and age < slot.age_min:
        return False
    if slot.age_max is not None and age > slot.age_max:
        return False
    if slot.sex is not None and person.sex not in slot.sex:
        return False
    if slot.registered_from is not None and slot.registered_to is not None:
        if person.registration_start is None or person.registration_start > slot.registered_from:
            return False
        if person.registration_end is not None and person.registration_end < slot.registered_to:
            return False
    if not all(_count(c, person, events) > 0 for c in slot.require):
        return False
    if slot.denominator is not None and _count(slot.denominator, person, events) == 0:
        return False
    return not any(_count(c, person, events) > 0 for c in slot.exclude)


def _band(slot: Slot, age: int) -> str | None:
    for band in slot.age_bands:
        if age >= band.start and (band.end is None or age <= band.end):
            return band.label
    return None


def reference_finest(
    indicators: Iterable[Indicator] | Mapping[str, Indicator],
    people: pd.DataFrame,
    events: pd.DataFrame,
) -> pd.DataFrame:
    """Numerator and denominator by `FINEST_GRAIN`, computed person by person (see module doc)."""
    slots = plan(indicators)
    by_person: dict[str, list[_Event]] = defaultdict(list)
    for row in events.to_dict("records"):
        day = _day(row["date"])
        code = _text(row.get("code"))
        if day is not None and code is not None:
            by_person[str(row["person_id"])].append(_Event(str(row["event_type"]), code, day))
    rows = []
    for row in people.to_dict("records"):
        person = _person(row)
        person_events = by_person.get(str(row["person_id"]), [])
        for slot in slots:
            age = _age(person, slot.age_at)
            if not _in_cohort(slot, person, age, person_events):
                continue
            assert age is not None
            counts = [_count(c, person, person_events) for c in slot.numerator]
            numerator = (counts[0] if slot.count_events else 1) if all(counts) else 0
            key = (
                slot.indicator.id,
                slot.period.label,
                person.lsoa21,
                person.ethnicity,
                person.sex,
            )
            denominator = (
                1 if slot.denominator is None else _count(slot.denominator, person, person_events)
            )
            rows.append((*key, _band(slot, age), numerator, denominator))
    frame = pd.DataFrame(rows, columns=[*FINEST_GRAIN, "numerator", "denominator"])
    grouped = frame.groupby(list(FINEST_GRAIN), dropna=False, sort=False)
    return tidy_finest(grouped[["numerator", "denominator"]].sum().reset_index())
