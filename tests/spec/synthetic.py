"""A small seeded synthetic population aimed at the catalogue's edges, for engine equivalence.

Events use every code (and resolving code) the given indicators mention, a few codes and event
types they do not, and dates piled onto every window bound and the day either side of it, so
inclusive/exclusive mistakes show up as differences between engines. Birth-relative windows
get events on the months around the bound for each person; `followed_by` checks get pairs of
events the day before, on and after each end of their days.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from healthgap.indicators.backends import to_arrow
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.plan import plan
from healthgap.population.schema import EVENTS, PEOPLE

LSOAS = ("E01000001", "E01000002", "E01000003", "E01000004", None)
ETHNICITIES = ("A", "B", "C", "H", "H1", "J", "K", "M", "N", "R", "S", "Z", "99", None)


def _days(rng: np.random.Generator, n: int, first: date, last: date) -> list[date]:
    offsets = rng.integers(0, (last - first).days + 1, size=n)
    return [first + timedelta(days=int(d)) for d in offsets]


def population(
    indicators: Mapping[str, Indicator], n_people: int, n_events: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(people, events) with the population schema's types."""
    rng = np.random.default_rng(seed)
    slots = plan(indicators)
    # Ages: everyone from 0 to 100, plus a cluster of young children for birth-relative windows.
    birth_year = np.where(
        rng.random(n_people) < 0.15,
        rng.integers(2017, 2022, n_people),
        rng.integers(1922, 2024, n_people),
    )
    birth_month = [
        f"{y}-{m:02d}" for y, m in zip(birth_year, rng.integers(1, 13, n_people), strict=True)
    ]
    age_only = rng.random(n_people) < 0.1
    ages = pd.array(
        [2025 - y if a else None for y, a in zip(birth_year, age_only, strict=True)], dtype="Int16"
    )
    bounds = sorted({d for s in slots for d in _bounds(s)})
    reg_start = _days(rng, n_people, date(1990, 1, 1), date(2026, 3, 1))
    reg_end = [
        None
        if r < 0.8
        else bounds[int(rng.integers(len(bounds)))] + timedelta(days=int(rng.integers(-1, 2)))
        for r in rng.random(n_people)
    ]
    people = pd.DataFrame(
        {
            "person_id": [f"p{i:05d}" for i in range(n_people)],
            "sex": rng.choice(["1", "2", "9", "0"], n_people, p=[0.48, 0.48, 0.02, 0.02]),
            "age": ages,
            "birth_month": [None if a else b for a, b in zip(age_only, birth_month, strict=True)],
            "ethnicity": [ETHNICITIES[i] for i in rng.integers(len(ETHNICITIES), size=n_people)],
            "lsoa21": [LSOAS[i] for i in rng.integers(len(LSOAS), size=n_people)],
            "gp_practice": "A00001",
            "registration_start": [
                None if r < 0.03 else d
                for r, d in zip(rng.random(n_people), reg_start, strict=True)
            ],
            "registration_end": reg_end,
        }
    )
    codes = sorted(
        {(c.event_type, code) for s in slots for c in s.checks for code in c.codes}
        | {
            (c.resolved_event_type, code)
            for s in slots
            for c in s.checks
            for code in c.resolved_codes
        }
        | {(c.followed_type, code) for s in slots for c in s.checks for code in c.followed_codes}
        | {("diagnosis", "not-in-any-list"), ("note", "822851000000102")}
    )
    pick = rng.integers(len(codes), size=n_events)
    near_bound = rng.random(n_events) < 0.5
    random_days = _days(rng, n_events, date(2014, 1, 1), date(2026, 6, 30))
    bound_days = [
        bounds[i] + timedelta(days=int(j))
        for i, j in zip(
            rng.integers(len(bounds), size=n_events), rng.integers(-1, 2, n_events), strict=True
        )
    ]
    events = pd.DataFrame(
        {
            "person_id": people["person_id"].to_numpy()[rng.integers(n_people, size=n_events)],
            "event_type": [codes[i][0] for i in pick],
            "code": [codes[i][1] for i in pick],
            "date": [
                b if near else r
                for near, b, r in zip(near_bound, bound_days, random_days, strict=True)
            ],
        }
    )
    extra = [_birth_events(rng, people, slots), _bundles(rng, people, slots)]
    extra.append(_followers(rng, people, slots))
    events = pd.concat([events, *extra], ignore_index=True)
    return to_arrow(people, PEOPLE).to_pandas(), to_arrow(events, EVENTS).to_pandas()


def _bounds(slot) -> list[date]:
    days = [slot.period.start, slot.period.end, slot.age_at]
    days += [d for d in (slot.registered_from, slot.registered_to) if d is not None]
    for check in slot.checks:
        days += [b.day for b in (check.start, check.end) if b is not None and b.day is not None]
    return days


def _birth_events(rng: np.random.Generator, people: pd.DataFrame, slots) -> pd.DataFrame:
    """For checks with birth-relative bounds: events in the months just either side of them."""
    rows = []
    with_birth = people.dropna(subset=["birth_month"])
    with_birth = with_birth[
        (with_birth["birth_month"] >= "2015") | (rng.random(len(with_birth)) < 0.05)
    ]
    for check in {c for s in slots for c in s.checks if c.uses_birth}:
        months = [
            b.birth_months
            for b in (check.start, check.end)
            if b is not None and b.birth_months is not None
        ]
        for pid, birth in zip(with_birth["person_id"], with_birth["birth_month"], strict=True):
            year, month = int(birth[:4]), int(birth[5:7])
            for bound in months:
                for shift in rng.choice([-13, -1, 0, 1], size=2):
                    index = year * 12 + month - 1 + bound + int(shift)
                    day = 1 if rng.random() < 0.5 else 28
                    code = check.codes[int(rng.integers(len(check.codes)))]
                    rows.append(
                        (pid, check.event_type, code, date(index // 12, index % 12 + 1, day))
                    )
    return pd.DataFrame(rows, columns=["person_id", "event_type", "code", "date"])


def _bundles(rng: np.random.Generator, people: pd.DataFrame, slots) -> pd.DataFrame:
    """For numerators needing several criteria (all_of), one event per criterion for 10% of
    people, dated around the window, so that some people meet all of them."""
    rows = []
    for slot in slots:
        if len(slot.numerator) < 2:
            continue
        chosen = people["person_id"].to_numpy()[rng.random(len(people)) < 0.1]
        for check in slot.numerator:
            last = check.end.day
            first = (
                last - timedelta(days=400)
                if check.start is None
                else check.start.day - timedelta(days=20)
            )
            for pid, day in zip(chosen, _days(rng, len(chosen), first, last), strict=True):
                rows.append(
                    (pid, check.event_type, check.codes[int(rng.integers(len(check.codes)))], day)
                )
    return pd.DataFrame(rows, columns=["person_id", "event_type", "code", "date"])


def _followers(rng: np.random.Generator, people: pd.DataFrame, slots) -> pd.DataFrame:
    """For `followed_by` checks (readmissions): for 10% of people, an event of the check in or
    just around its window, followed by one of its `followed_*` events on the day before, on or
    after the first or last day of the link (days 0, 1, 2, 28, 29, 30 for days 1 to 29)."""
    rows = []
    for check in {c for s in slots for c in s.checks if c.followed_days is not None}:
        first, last = check.followed_days
        shifts = [first - 1, first, first + 1, last - 1, last, last + 1]
        chosen = people["person_id"].to_numpy()[rng.random(len(people)) < 0.1]
        start = check.end.day - timedelta(days=400) if check.start is None else check.start.day
        days = _days(rng, len(chosen), start - timedelta(days=2), check.end.day + timedelta(days=2))
        for pid, day in zip(chosen, days, strict=True):
            rows.append(
                (pid, check.event_type, check.codes[int(rng.integers(len(check.codes)))], day)
            )
            later = day + timedelta(days=int(rng.choice(shifts)))
            code = check.followed_codes[int(rng.integers(len(check.followed_codes)))]
            rows.append((pid, check.followed_type, code, later))
    return pd.DataFrame(rows, columns=["person_id", "event_type", "code", "date"])
