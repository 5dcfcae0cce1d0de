"""Indicators -> one Ibis expression giving numerators and denominators at the finest grain.

`compile_indicators(indicators, people, events)` returns an Ibis table with one row per
indicator × period × lsoa21 × ethnicity (NHS national code) × sex × age band, and columns
`numerator` and `denominator` (int64). It is built to run once over England-scale data
(docs/indicators.md, "How it is computed"):

1. **Events, once, grouped by person.** Each distinct (event type, code list) is one boolean
   column; each distinct check (code list, window, minimum count, resolving codes) becomes one
   bit of a per-person int64 *flag word*. Most checks need only "any matching event", which is
   one `BIT_OR` over all of them; a check that counts events (`min_count` > 1, `count: events`)
   keeps a count, and a QOF-style register keeps one `MAX` of the date encoded with its parity
   (even = diagnosis, odd = resolved), so "latest diagnosis later than latest resolution" is
   "the maximum is even". Events for birth-relative windows come through a second, narrow
   branch joined to the person's birth month; the rest never meet the people table here.
2. **People, once, grouped by what decides every slot.** People are left-joined to those
   per-person flags once, registration on each distinct date pair becomes more flag bits, and
   the person's age at each distinct `age_at` date becomes a band index on the union of all
   band edges and cohort limits for that date. People are then grouped by lsoa21 × ethnicity ×
   sex × band indices × flag words (a fraction of the people; a count of people and the sum
   of any event counts per group).
3. **Each (indicator, period) slot** filters that grouped table with integer comparisons and
   bit masks, maps its band index to the slot's age band and sums to the fine grain; the slots
   are stacked with UNION ALL (the grouped table is a CTE the engines compute once).

Dates are constants from `plan.py`; ages and birth-relative windows are integer month numbers
(12·year + month − 1), so the SQL needs only comparisons, CASE, `&`, COUNT/SUM/MAX/BIT_OR and
GROUP BY, which DuckDB, PostgreSQL and Spark SQL all have. Each large input is referenced once
per branch (a common table expression over people or events would be materialised by DuckDB).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa

from healthgap.errors import ArgumentError
from healthgap.indicators._dates import month_index
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.plan import FINEST_GRAIN, Bound, Check, Slot, plan

__all__ = ["compile_indicators", "prepare_people", "to_sql"]

NOT_KNOWN = "99"
WORD_BITS = 62
"""Flags packed into each int64 flag word (the sign bit is left alone)."""

CodeSet = tuple[bool, str, tuple[str, ...]]
"""(for a birth-relative check, event type, sorted codes): one boolean column on the events."""


@ibis.udf.agg.builtin(name="bit_or")
def _bit_or(value: dt.int64) -> dt.int64:  # type: ignore[empty-body]
    """Bitwise OR of the group's values: BIT_OR in DuckDB, PostgreSQL and Spark SQL."""


def _birth_mi(people: ir.Table) -> ir.IntegerValue:
    """The birth month (text YYYY-MM) as a month number 12·year + month − 1; null if blank."""
    if "birth_month" not in people.columns:
        return ibis.null("int64")
    birth = people.birth_month.cast("string")
    year, month = birth.substr(0, 4).cast("int64"), birth.substr(5, 2).cast("int64")
    return ibis.cases((birth.length() >= 7, year * 12 + month - 1), else_=ibis.null("int64"))


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
    return people.select(
        person_id=people.person_id.cast("string"),
        sex=people.sex.cast("string"),
        lsoa21=column("lsoa21", "string"),
        ethnicity=national,
        birth_mi=_birth_mi(people),
        age=column("age", "int64"),
        registration_start=column("registration_start", "date"),
        registration_end=column("registration_end", "date"),
    )


@dataclass(frozen=True)
class _Registered:
    """Flag: registered from `start` or earlier to `end` or later."""

    start: date
    end: date


@dataclass(frozen=True)
class _Sex:
    """Flag: sex code is one of `codes`."""

    codes: tuple[str, ...]


Flag = Check | _Registered | _Sex


class _Layout:
    """Where every per-person fact of a plan lives.

    Flags (checks, registration date pairs, sex code lists) are numbered; flag `f` is bit
    `f % WORD_BITS` of the int64 word `w{f // WORD_BITS}`. `bounds[i]` are the ages at which
    some slot with the i-th distinct `age_at` date changes band or cohort membership; a
    person's band index there is how many of them their age reaches.
    """

    def __init__(self, slots: Sequence[Slot]) -> None:
        self.slots = slots
        self.flags: dict[Flag, int] = {}
        self.code_sets: dict[CodeSet, str] = {}
        for slot in slots:
            for check in slot.checks:
                self.flags.setdefault(check, len(self.flags))
                self.code_set(check, check.event_type, check.codes)
                if check.resolved_codes:
                    self.code_set(check, check.resolved_event_type, check.resolved_codes)
        for slot in slots:
            for flag in self.cohort_flags(slot):
                self.flags.setdefault(flag, len(self.flags))
        self.words = [f"w{i}" for i in range(-(-len(self.flags) // WORD_BITS))]
        self.counted = {slot.numerator[0] for slot in slots if slot.count_events}
        self.dates = sorted({slot.age_at for slot in slots})
        self.bounds: list[tuple[int, ...]] = []
        for day in self.dates:
            ages: set[int] = set()
            for slot in (s for s in slots if s.age_at == day):
                ages |= {b.start for b in slot.age_bands}
                ages |= {b.end + 1 for b in slot.age_bands if b.end is not None}
                ages |= {slot.age_min} if slot.age_min is not None else set()
                ages |= {slot.age_max + 1} if slot.age_max is not None else set()
            self.bounds.append(tuple(sorted(ages)))

    @staticmethod
    def cohort_flags(slot: Slot) -> list[Flag]:
        """The flags a cohort member must have besides `require`: registration and sex."""
        flags: list[Flag] = []
        if slot.registered_from is not None and slot.registered_to is not None:
            flags.append(_Registered(slot.registered_from, slot.registered_to))
        if slot.sex is not None:
            flags.append(_Sex(slot.sex))
        return flags

    def code_set(self, check: Check, event_type: str, codes: Sequence[str]) -> str:
        key = (check.uses_birth, event_type, tuple(sorted(codes)))
        return self.code_sets.setdefault(key, f"s{len(self.code_sets)}")

    def bit(self, flag: Flag) -> tuple[str, int]:
        number = self.flags[flag]
        return f"w{number // WORD_BITS}", 1 << (number % WORD_BITS)

    def masks(self, flags: Iterable[Flag]) -> dict[str, int]:
        """For each word, the bits of `flags` in it (0 where none)."""
        out = dict.fromkeys(self.words, 0)
        for flag in flags:
            word, bit = self.bit(flag)
            out[word] |= bit
        return out

    def has_state(self, check: Check) -> bool:
        """Whether the check needs its own aggregate (else it is one bit of a BIT_OR)."""
        return check.min_count > 1 or bool(check.resolved_codes) or check in self.counted

    @property
    def checks(self) -> list[Check]:
        return [flag for flag in self.flags if isinstance(flag, Check)]

    def age_range(self, slot: Slot) -> tuple[int, int, int]:
        """(date number, lowest, highest band index) of the slot's cohort ages."""
        i = self.dates.index(slot.age_at)
        bounds = self.bounds[i]
        low = 0 if slot.age_min is None else bounds.index(slot.age_min) + 1
        high = len(bounds) if slot.age_max is None else bounds.index(slot.age_max + 1)
        return i, low, high

    def band(self, slot: Slot, index: int) -> str | None:
        """The slot's age band label for band index `index` of its date (None: no band)."""
        if index == 0:
            return None
        start = self.bounds[self.dates.index(slot.age_at)][index - 1]
        for band in slot.age_bands:
            if band.start <= start and (band.end is None or start <= band.end):
                return band.label
        return None


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


def _tagged(events: ir.Table, layout: _Layout, birth: bool) -> ir.Table:
    """Events with a code of some code set of the branch (birth-relative checks or the rest),
    with one boolean column per code set (false for the other branch's sets): each `IN` list
    is evaluated once per event, not once per check."""
    event_type, code = events.event_type.cast("string"), events.code.cast("string")
    mine = [name for (is_birth, _, _), name in layout.code_sets.items() if is_birth == birth]
    flags = {
        name: (event_type == kind) & code.isin(list(codes))
        if is_birth == birth
        else ibis.literal(False)
        for (is_birth, kind, codes), name in layout.code_sets.items()
    }
    tagged = events.select(
        person_id=events.person_id.cast("string"), date=events.date.cast("date"), **flags
    )
    wanted = tagged[mine[0]]
    for name in mine[1:]:
        wanted |= tagged[name]
    return tagged.filter(wanted)


def _event_rows(people: ir.Table, events: ir.Table, layout: _Layout) -> ir.Table:
    """The events any check may count. Those of birth-relative checks come through their own
    branch, joined to the person's birth month; the rest are not joined to people here."""
    kinds = {is_birth for is_birth, _, _ in layout.code_sets}
    if True not in kinds:
        return _tagged(events, layout, birth=False)
    births = people.select(person_id=people.person_id.cast("string"), birth_mi=_birth_mi(people))
    rows = _tagged(events, layout, birth=True).join(births, "person_id")
    if False in kinds:
        rows = rows.union(_tagged(events, layout, birth=False).mutate(birth_mi=ibis.null("int64")))
    month = rows.date.year().cast("int64") * 12 + rows.date.month().cast("int64") - 1
    return rows.mutate(event_month=month)


def _per_person(rows: ir.Table, layout: _Layout) -> ir.Table:
    """One row per person with events: the flag words of their checks, plus the event count
    of each check an indicator counts events with (`n<flag>`)."""
    words: dict[str, ir.IntegerValue] = {}
    metrics: dict[str, ir.Scalar] = {}
    day = rows.date
    for check in layout.checks:
        match = _in_window(rows, check, layout.code_set(check, check.event_type, check.codes))
        word, bit = layout.bit(check)
        name = f"{layout.flags[check]}"
        if not layout.has_state(check):
            term = ibis.ifelse(match, ibis.literal(bit, "int64"), ibis.literal(0, "int64"))
            words[word] = words[word] + term if word in words else term
            continue
        if check.min_count > 1 or check in layout.counted:
            metrics[f"n{name}"] = rows.person_id.count(where=match)
        if check.resolved_codes:
            resolving = _in_window(
                rows, check, layout.code_set(check, check.resolved_event_type, check.resolved_codes)
            )
            ymd = (day.year() * 10000 + day.month() * 100 + day.day()).cast("int64")
            metrics[f"r{name}"] = ibis.cases(
                (resolving, ymd * 2 + 1), (match, ymd * 2), else_=ibis.null("int64")
            ).max()
    metrics |= {f"b{word}": _bit_or(expr) for word, expr in words.items()}
    agg = rows.group_by("person_id").aggregate(**metrics)
    out: dict[str, ir.Value] = {
        word: agg[f"b{word}"] if f"b{word}" in agg.columns else ibis.literal(0, "int64")
        for word in layout.words
    }
    for check in filter(layout.has_state, layout.checks):
        word, bit = layout.bit(check)
        name = f"{layout.flags[check]}"
        if f"n{name}" in agg.columns:
            met = agg[f"n{name}"] >= check.min_count
        else:
            met = agg[f"r{name}"].notnull()
        if check.resolved_codes:
            met &= (agg[f"r{name}"] % 2) == 0
        out[word] = out[word] + ibis.ifelse(met, ibis.literal(bit, "int64"), 0)
    counts = {f"n{layout.flags[c]}": agg[f"n{layout.flags[c]}"] for c in layout.counted}
    return agg.select("person_id", **out, **counts)


def _age_at(t: ir.Table, day: date) -> ir.IntegerValue:
    """Whole years on `day` from the birth month (born on its 1st); the `age` column if none."""
    months = month_index(day) - t.birth_mi
    from_birth = ibis.cases((months >= 0, (months // 12).cast("int64")), else_=ibis.null("int64"))
    return ibis.cases((t.birth_mi.notnull(), from_birth), else_=t.age)


def _band_index(age: ir.IntegerValue, bounds: Sequence[int]) -> ir.IntegerValue:
    """How many of `bounds` are at or below `age` (null when the age is unknown)."""
    steps = [(age >= bound, i + 1) for i, bound in reversed(list(enumerate(bounds)))]
    return ibis.cases(*steps, (age.notnull(), 0), else_=ibis.null("int64")).cast("int64")


def _grouped(people: ir.Table, per_person: ir.Table, layout: _Layout) -> ir.Table:
    """People grouped by lsoa21, ethnicity, sex, band index at each age date (`a<i>`) and flag
    words, with the number of people and summed event counts (`n<flag>`).

    Registration and sex flags are added to the words, then each word keeps only the bits of
    slots whose cohort ages the person has (a 30-year-old's flu vaccination cannot count), so
    people whose other events differ still fall into one group."""
    p = prepare_people(people)
    t = p.left_join(per_person, p.person_id == per_person.person_id)
    words = {word: t[word].fill_null(0) for word in layout.words}
    for flag in layout.flags:
        if isinstance(flag, _Registered):
            has = t.registration_start.notnull() & (t.registration_start <= _date(flag.start))
            has &= t.registration_end.isnull() | (t.registration_end >= _date(flag.end))
        elif isinstance(flag, _Sex):
            has = t.sex.isin(list(flag.codes))
        else:
            continue
        word, bit = layout.bit(flag)
        words[word] = words[word] + ibis.ifelse(has, ibis.literal(bit, "int64"), 0)
    ages = {
        f"a{i}": _band_index(_age_at(t, day), layout.bounds[i])
        for i, day in enumerate(layout.dates)
    }
    uses: dict[tuple[int, int, int], set[Flag]] = {}
    for slot in layout.slots:
        uses.setdefault(layout.age_range(slot), set()).update(
            [*layout.cohort_flags(slot), *slot.checks]
        )
    relevant = {word: ibis.literal(0, "int64") for word in layout.words}
    for (i, low, high), flags in uses.items():
        eligible = ages[f"a{i}"].between(low, high)
        for word, mask in layout.masks(flags).items():
            if mask:
                relevant[word] = relevant[word] | ibis.ifelse(eligible, mask, 0).cast("int64")
    masked = {word: words[word] & relevant[word] for word in layout.words}
    counts = {name: t[name].fill_null(0) for name in per_person.columns if name.startswith("n")}
    keyed = t.select("lsoa21", "ethnicity", "sex", **ages, **masked, **counts)
    return keyed.group_by(["lsoa21", "ethnicity", "sex", *ages, *masked]).aggregate(
        people=keyed.count(), **{name: keyed[name].sum() for name in counts}
    )


def _slot_table(layout: _Layout) -> ir.Table:
    """One row per (slot, band index in the slot's cohort ages), keyed by date number × 256 +
    band index: the slot's age band there, the bits its members must have (`req_`) and must
    not have (`excl_`), the bits of its numerator (`num_`), and the counted check (`src`, the
    flag number; -1 = people)."""
    rows: dict[str, list[object]] = {"key": [], "slot": [], "age_band": [], "src": []}
    for prefix in ("req", "excl", "num"):
        rows |= {f"{prefix}_{word}": [] for word in layout.words}
    for slot in layout.slots:
        i, low, high = layout.age_range(slot)
        masks = {
            "req": layout.masks([*layout.cohort_flags(slot), *slot.require]),
            "excl": layout.masks(slot.exclude),
            "num": layout.masks(slot.numerator),
        }
        src = layout.flags[slot.numerator[0]] if slot.count_events else -1
        for index in range(low, high + 1):
            rows["key"].append(i * 256 + index)
            rows["slot"].append(slot.index)
            rows["age_band"].append(layout.band(slot, index))
            rows["src"].append(src)
            for prefix, words in masks.items():
                for word, mask in words.items():
                    rows[f"{prefix}_{word}"].append(mask)
    types = {"age_band": pa.string()}
    return ibis.memtable(
        pa.table({k: pa.array(v, types.get(k, pa.int64())) for k, v in rows.items()})
    )


def _fine(grouped: ir.Table, layout: _Layout) -> ir.Table:
    """Each group's rows for every slot whose cohort ages it has (an equi-join of its band
    indices, unnested, with the slot table), kept when the flags put it in the cohort, then
    summed to the fine grain."""
    assert all(len(b) < 256 for b in layout.bounds), "band index must fit below 256"
    ages = [f"a{i}" for i in range(len(layout.dates))]
    keys = [grouped[age] + i * 256 for i, age in enumerate(ages)]
    others = [c for c in grouped.columns if c not in ages]
    unnested = grouped.select(*others, key=ibis.array(keys).unnest())
    slots = _slot_table(layout)
    t = unnested.join(slots, unnested.key == slots.key)
    cohort = met = ibis.literal(True)
    for word in layout.words:
        cohort &= (t[word] & t[f"req_{word}"]) == t[f"req_{word}"]
        cohort &= (t[word] & t[f"excl_{word}"]) == 0
        met &= (t[word] & t[f"num_{word}"]) == t[f"num_{word}"]
    counted = (
        ibis.cases(
            *[(t.src == layout.flags[c], t[f"n{layout.flags[c]}"]) for c in layout.counted],
            else_=t.people,
        )
        if layout.counted
        else t.people
    )
    rows = t.filter(cohort).select(
        "slot", "lsoa21", "ethnicity", "sex", "age_band", "people",
        numerator=ibis.ifelse(met, counted, 0),
    )  # fmt: skip
    fine = rows.group_by(["slot", "lsoa21", "ethnicity", "sex", "age_band"]).aggregate(
        numerator=rows.numerator.sum(), denominator=rows.people.sum()
    )
    labels = ibis.memtable(
        pa.table(
            {
                "slot": pa.array([s.index for s in layout.slots], pa.int64()),
                "indicator_id": [s.indicator.id for s in layout.slots],
                "period": [s.period.label for s in layout.slots],
            }
        )
    )
    named = fine.join(labels, "slot")
    return named.select(
        *FINEST_GRAIN,
        numerator=named.numerator.cast("int64"),
        denominator=named.denominator.cast("int64"),
    )


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
    layout = _Layout(slots)
    per_person = _per_person(_event_rows(people, events, layout), layout)
    return _fine(_grouped(people, per_person, layout), layout)


def to_sql(
    indicators: Iterable[Indicator] | Mapping[str, Indicator],
    people: ir.Table,
    events: ir.Table,
    dialect: str | None = None,
) -> str:
    """The SQL the compiled expression runs as, for an Ibis `dialect` ("duckdb", "postgres",
    "pyspark"); for showing an indicator's method and reviewing changes, not for running."""
    return str(ibis.to_sql(compile_indicators(indicators, people, events), dialect=dialect))
