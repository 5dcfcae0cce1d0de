"""`followed_by` checks: events that another event of the same person follows within N days.

An emergency readmission within 30 days of discharge (NHS OF 3b, CCG OIS 3.2) links two
events of one person: a discharge (one `discharge` event per hospital spell, dated on the
discharge day) and an emergency admission from `first` to `last` days after it, inclusive.
`followed_counts` is that link for the compiler (`compile.py`), as one narrow branch over the
events: the linked events (discharges) are semi-joined to the later ones (emergency
admissions) on person and a date range, so a discharge counts once however many admissions
follow it, and then counted per check (period window). An indicator's periods share one link,
so it costs two narrow scans of the events whatever the number of periods. Dates are compared
with `date + INTERVAL n DAY` constants, which DuckDB, PostgreSQL and Spark SQL all have.
`reference.py` computes the same counts person by person.
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from healthgap.indicators.plan import Check

__all__ = ["followed_counts"]


def _window(own: ir.Table, check: Check) -> ir.BooleanValue:
    """The event has one of the check's codes and a date in its window (calendar dates)."""
    if check.end.day is None or (check.start is not None and check.start.day is None):
        raise ValueError("a followed_by check needs a window of calendar dates, not birth.")
    end = ibis.literal(check.end.day, type="date")
    cond = own.code.isin(list(check.codes))
    cond &= own.date <= end if check.end_inclusive else own.date < end
    if check.start is not None:
        cond &= own.date >= ibis.literal(check.start.day, type="date")
    return cond


def _linked(events: ir.Table, checks: list[Check], flags: Mapping[object, int]) -> ir.Table:
    """Per person, `n<flag>` for each of `checks`, which share their event type and their
    `followed_*` link (the periods of one indicator): one scan of the events for the linked
    events, one for the later ones, whatever the number of periods."""
    check = checks[0]
    assert check.followed_days is not None
    first, last = check.followed_days
    kind, code = events.event_type.cast("string"), events.code.cast("string")
    codes = sorted({c for each in checks for c in each.codes})
    own = events.filter(kind == check.event_type, code.isin(codes))
    own = own.select(
        person_id=own.person_id.cast("string"), code=own.code.cast("string"),
        date=own.date.cast("date"),
    )  # fmt: skip
    later = events.filter(kind == check.followed_type, code.isin(list(check.followed_codes)))
    later = later.select(
        later_person=later.person_id.cast("string"), later_date=later.date.cast("date")
    )
    linked = own.semi_join(
        later,
        [
            own.person_id == later.later_person,
            later.later_date >= own.date + ibis.interval(days=first),
            later.later_date <= own.date + ibis.interval(days=last),
        ],
    )
    return linked.group_by("person_id").aggregate(
        **{f"n{flags[c]}": linked.person_id.count(where=_window(linked, c)) for c in checks}
    )


def followed_counts(events: ir.Table, flags: Mapping[object, int]) -> ir.Table | None:
    """Per person with any linked event, the number of events of each `followed_by` check
    among `flags` (check -> flag number) that another event follows, as column `n<flag>`;
    None when no check has `followed_by`."""
    groups: dict[tuple, list[Check]] = {}
    for c in flags:
        if isinstance(c, Check) and c.followed_days is not None:
            key = (c.event_type, c.followed_type, c.followed_codes, c.followed_days)
            groups.setdefault(key, []).append(c)
    if not groups:
        return None
    parts = [_linked(events, checks, flags) for checks in groups.values()]
    if len(parts) == 1:
        return parts[0]
    names = [name for part in parts for name in part.columns if name != "person_id"]
    zero = ibis.literal(0, "int64")
    rows = ibis.union(
        *(
            p.select("person_id", **{n: p[n] if n in p.columns else zero for n in names})
            for p in parts
        )
    )
    return rows.group_by("person_id").aggregate(**{n: rows[n].sum() for n in names})
