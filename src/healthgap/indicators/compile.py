"""Indicators -> one Ibis expression giving numerators and denominators at the finest grain.

`compile_indicators(indicators, people, events)` returns an Ibis table with one row per
indicator × period × lsoa21 × ethnicity (NHS national code) × sex × age band, and columns
`numerator` and `denominator` (int64). It is built to run once over England-scale data
(docs/indicators.md, "How it is computed"):

1. events get one flag column per distinct (event type, code list), are filtered to those with
   any flag, and are grouped by person **once**, with one filtered aggregate per distinct check
   (count of matching events; latest matching and latest resolving date for QOF-style
   registers);
2. people are left-joined to those per-person aggregates **once**, and each (indicator,
   period) slot's cohort flag, numerator and age band become columns of that one table;
3. a cross join with the small slot table turns the columns into rows, and one GROUP BY
   aggregates them to the fine grain in the engine.

Dates are constants from `plan.py`; ages and birth-relative windows are integer month numbers
(12·year + month − 1), so the SQL needs only comparisons, CASE, SUM/COUNT/MAX and GROUP BY.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from healthgap.errors import ArgumentError
from healthgap.indicators._dates import month_index
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.plan import FINEST_GRAIN, Bound, Check, Slot, plan

__all__ = ["compile_indicators", "prepare_events", "prepare_people", "to_sql"]

NOT_KNOWN = "99"


def prepare_people(people: ir.Table) -> ir.Table:
    """The people columns the compiler uses, normalised: ethnicity as the national code (first
    character; 99 for blank or 99), birth month as a month number, dates as dates. Optional
    columns the table lacks are taken as blank."""

    def column(name: str, kind: str) -> ir.Value:
        return people[name].cast(kind) if name in people.columns else ibis.null(kind)

    eth = column("ethnicity", "string").strip().upper()
    national = ibis.cases(
        (eth.isnull() | (eth == "") | (eth == NOT_KNOWN), ibis.literal(NOT_KNOWN)),
        else_=eth.substr(0, 1),
    )
    birth = column("birth_month", "string")
    year, month = birth.substr(0, 4).cast("int64"), birth.substr(5, 2).cast("int64")
    birth_mi = ibis.cases((birth.length() >= 7, year * 12 + month - 1), else_=ibis.null("int64"))
    return people.select(
        person_id=people.person_id.cast("string"),
        sex=people.sex.cast("string"),
        lsoa21=column("lsoa21", "string"),
        ethnicity=national,
        birth_mi=birth_mi,
        age=column("age", "int64"),
        registration_start=column("registration_start", "date"),
        registration_end=column("registration_end", "date"),
    )


def prepare_events(events: ir.Table) -> ir.Table:
    """The event columns the compiler uses, with `date` as a date and text as text."""
    return events.select(
        person_id=events.person_id.cast("string"),
        event_type=events.event_type.cast("string"),
        code=events.code.cast("string"),
        date=events.date.cast("date"),
    )


def _date(day: date) -> ir.Value:
    return ibis.literal(day, type="date")


def _in_window(e: ir.Table, check: Check, code_set: str) -> ir.BooleanValue:
    """Event has a code of `code_set` (a flag column) and a date in the check's window."""
    cond = e[code_set]
    if check.start is not None:
        cond &= _after(e, check.start)
    return cond & _before(e, check.end, check.end_inclusive)


def _after(e: ir.Table, bound: Bound) -> ir.BooleanValue:
    if bound.day is not None:
        return e.date >= _date(bound.day)
    return e.event_month >= e.birth_mi + bound.birth_months


def _before(e: ir.Table, bound: Bound, inclusive: bool) -> ir.BooleanValue:
    if bound.day is not None:
        return e.date <= _date(bound.day) if inclusive else e.date < _date(bound.day)
    return e.event_month < e.birth_mi + bound.birth_months


class _Aggregates:
    """Distinct checks of all slots -> named per-person aggregate columns (shared when equal),
    and distinct (event type, code list) pairs -> one flag column each on the events."""

    def __init__(self, slots: Sequence[Slot]) -> None:
        self.names: dict[Check, str] = {}
        self.code_sets: dict[tuple[str, tuple[str, ...]], str] = {}
        for slot in slots:
            for check in slot.checks:
                self.names.setdefault(check, f"c{len(self.names)}")
                self._code_set(check.event_type, check.codes)
                if check.resolved_codes:
                    self._code_set(check.resolved_event_type, check.resolved_codes)

    def _code_set(self, event_type: str, codes: Sequence[str]) -> str:
        key = (event_type, tuple(sorted(codes)))
        return self.code_sets.setdefault(key, f"s{len(self.code_sets)}")

    @property
    def uses_birth(self) -> bool:
        return any(check.uses_birth for check in self.names)

    def tag(self, e: ir.Table) -> ir.Table:
        """Events with a code any check uses, with one boolean column per code set (each
        `IN` list is then evaluated once per event, not once per check and period)."""
        flags = {
            name: (e.event_type == event_type) & e.code.isin(list(codes))
            for (event_type, codes), name in self.code_sets.items()
        }
        tagged = e.select("person_id", "date", **flags)
        wanted = tagged[next(iter(flags))]
        for name in list(flags)[1:]:
            wanted |= tagged[name]
        return tagged.filter(wanted)

    def metrics(self, e: ir.Table) -> dict[str, ir.Scalar]:
        out: dict[str, ir.Scalar] = {}
        for check, name in self.names.items():
            match = _in_window(e, check, self._code_set(check.event_type, check.codes))
            out[f"{name}_n"] = e.person_id.count(where=match)
            if check.resolved_codes:
                code_set = self._code_set(check.resolved_event_type, check.resolved_codes)
                out[f"{name}_last"] = e.date.max(where=match)
                out[f"{name}_resolved"] = e.date.max(where=_in_window(e, check, code_set))
        return out

    def met(self, t: ir.Table, check: Check) -> ir.BooleanValue:
        name = self.names[check]
        cond = t[f"{name}_n"] >= check.min_count
        if check.resolved_codes:
            resolved = t[f"{name}_resolved"]
            cond &= resolved.isnull() | (t[f"{name}_last"] > resolved)
        return cond


def _per_person(people: ir.Table, events: ir.Table, aggs: _Aggregates) -> ir.Table:
    """People left-joined to one row per person of check aggregates (zero counts filled in)."""
    e = aggs.tag(events)
    if aggs.uses_birth:
        births = people.select("person_id", "birth_mi")
        e = e.join(births, "person_id")
        e = e.mutate(
            event_month=e.date.year().cast("int64") * 12 + e.date.month().cast("int64") - 1
        )
    per_person = e.group_by("person_id").aggregate(**aggs.metrics(e))
    joined = people.left_join(per_person, people.person_id == per_person.person_id)
    filled = {
        name: joined[name].fill_null(0) if name.endswith("_n") else joined[name]
        for name in per_person.columns
        if name != "person_id"
    }
    return joined.select(*people.columns, **filled)


def _age_at(t: ir.Table, day: date) -> ir.IntegerValue:
    """Whole years on `day` from the birth month (born on its 1st); the `age` column if none."""
    months = month_index(day) - t.birth_mi
    from_birth = ibis.cases((months >= 0, (months // 12).cast("int64")), else_=ibis.null("int64"))
    return ibis.cases((t.birth_mi.notnull(), from_birth), else_=t.age)


def _person_flags(
    t: ir.Table, slots: Sequence[Slot], aggs: _Aggregates
) -> tuple[ir.Table, dict[date, str]]:
    """Stage 1: one column per distinct age date (`age<i>`) and per check (`<check>_met`), so the
    slot expressions below refer to them by name instead of repeating them (inlined, they made
    the SQL 3x longer). Returns the table and the age column of each date."""
    days = sorted({slot.age_at for slot in slots})
    ages = {f"age{i}": _age_at(t, day) for i, day in enumerate(days)}
    met = {f"{name}_met": aggs.met(t, check) for check, name in aggs.names.items()}
    keep = ["lsoa21", "ethnicity", "sex", "registration_start", "registration_end"]
    counts = [f"{aggs.names[s.numerator[0]]}_n" for s in slots if s.count_events]
    table = t.select(*keep, *sorted(set(counts)), **ages, **met)
    return table, {day: f"age{i}" for i, day in enumerate(days)}


def _slot_columns(
    t: ir.Table, slot: Slot, aggs: _Aggregates, age_column: str
) -> dict[str, ir.Value]:
    """Stage 2: the slot's cohort flag (`in<k>`), numerator (`num<k>`) and age band (`band<k>`)."""
    age = t[age_column]
    cohort = age.notnull()
    if slot.age_min is not None:
        cohort &= age >= slot.age_min
    if slot.age_max is not None:
        cohort &= age <= slot.age_max
    if slot.sex is not None:
        cohort &= t.sex.isin(list(slot.sex))
    if slot.registered_from is not None and slot.registered_to is not None:
        cohort &= t.registration_start.notnull() & (
            t.registration_start <= _date(slot.registered_from)
        )
        cohort &= t.registration_end.isnull() | (t.registration_end >= _date(slot.registered_to))
    for check in slot.require:
        cohort &= t[f"{aggs.names[check]}_met"]
    for check in slot.exclude:
        cohort &= ~t[f"{aggs.names[check]}_met"]
    met = ibis.literal(True)
    for check in slot.numerator:
        met &= t[f"{aggs.names[check]}_met"]
    if slot.count_events:
        numerator = ibis.ifelse(met, t[f"{aggs.names[slot.numerator[0]]}_n"], 0)
    else:
        numerator = ibis.ifelse(met, 1, 0)
    band = ibis.cases(
        *[
            ((age >= b.start) & (age <= b.end) if b.end is not None else age >= b.start, b.label)
            for b in slot.age_bands
        ],
        else_=ibis.null("string"),
    )
    k = slot.index
    return {f"in{k}": cohort.fill_null(False), f"num{k}": numerator.cast("int64"), f"band{k}": band}


def compile_indicators(
    indicators: Iterable[Indicator] | Mapping[str, Indicator], people: ir.Table, events: ir.Table
) -> ir.Table:
    """One Ibis expression: numerator and denominator for every indicator, period, lsoa21,
    ethnicity code, sex and age band (columns `FINEST_GRAIN` + numerator, denominator).

    `people` and `events` are tables of one backend with the `healthgap.population.schema`
    columns (people needs `age` and/or `birth_month`; missing ones are treated as blank).
    Groups with no one in the cohort are absent. For a `count: events` numerator the count is
    of events; otherwise of people. `denominator` is always people in the cohort.
    """
    slots = plan(indicators)
    if not slots:
        raise ArgumentError("compile_indicators needs at least one indicator with a period.")
    aggs = _Aggregates(slots)
    p = prepare_people(people)
    flags, age_columns = _person_flags(_per_person(p, prepare_events(events), aggs), slots, aggs)
    wide = flags.select("lsoa21", "ethnicity", "sex", **{
        name: expr
        for slot in slots
        for name, expr in _slot_columns(flags, slot, aggs, age_columns[slot.age_at]).items()
    })  # fmt: skip
    keys = ibis.memtable(
        pa.table(
            {
                "slot": pa.array([s.index for s in slots], pa.int64()),
                "indicator_id": [s.indicator.id for s in slots],
                "period": [s.period.label for s in slots],
            }
        )
    )
    long = wide.cross_join(keys)

    def pick(prefix: str) -> ir.Value:
        return ibis.cases(*[(long.slot == s.index, long[f"{prefix}{s.index}"]) for s in slots])

    rows = long.select(
        "indicator_id", "period", "lsoa21", "ethnicity", "sex",
        age_band=pick("band"), num=pick("num"), cohort=pick("in"),
    )  # fmt: skip
    rows = rows.filter(rows.cohort)
    return rows.group_by(list(FINEST_GRAIN)).aggregate(
        numerator=rows.num.sum().cast("int64"), denominator=rows.count().cast("int64")
    )


def to_sql(
    indicators: Iterable[Indicator] | Mapping[str, Indicator],
    people: ir.Table,
    events: ir.Table,
    dialect: str | None = None,
) -> str:
    """The SQL the compiled expression runs as, for an Ibis `dialect` ("duckdb", "postgres",
    "pyspark"); for showing an indicator's method and reviewing changes, not for running."""
    return str(ibis.to_sql(compile_indicators(indicators, people, events), dialect=dialect))
