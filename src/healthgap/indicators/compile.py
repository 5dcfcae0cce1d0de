"""Indicators -> one Ibis expression giving numerators and denominators at the finest grain.

`compile_indicators(indicators, people, events)` returns an Ibis table with one row per
indicator × period × lsoa21 × ethnicity (NHS national code) × sex × age band, and columns
`numerator` and `denominator` (int64). It is built for England-scale data (57 million people;
docs/indicators.md, "How it is computed"), as one pass over each input:

1. **Events, grouped by person once.** A join with a small table of the catalogue's (event
   type, code) pairs tags each event with a bit mask of the code lists it is in. Each distinct
   check (code list, window, minimum count, resolving codes) is one bit of a per-person int64
   *flag word*: most need only "any matching event", all of them one `BIT_OR`; a check that
   counts events (`min_count` > 1, `count: events`) keeps a count, and a QOF-style register
   one `MAX` of its dates encoded with their parity (even = diagnosis, odd = resolved), so
   "latest diagnosis later than latest resolution" is "the maximum is even". Events for
   birth-relative windows come through a second, narrow branch joined to the person's birth
   month; the rest never meet the people table here.
2. **People, once.** People are left-joined to those per-person flags; registration on each
   distinct date pair and each slot's sex codes become more flag bits.
3. **Every (indicator, period) slot at once**, by an equi-join with a small slot table keyed by
   the person's birth month (or, without one, their `age`): one row per birth month and slot
   whose cohort ages it gives on the slot's `age_at` date, with the slot's age band there and
   the flag bits its members must have, must not have, and its numerator needs. Rows whose
   flags pass are summed to the fine grain.

Dates are constants from `plan.py`; ages and birth-relative windows are integer month numbers
(12·year + month − 1), so the SQL needs only comparisons, CASE, `&`, COUNT/SUM/MAX/BIT_OR,
equi-joins and GROUP BY, which DuckDB, PostgreSQL and Spark SQL all have. Each large input is
referenced once per branch: a common table expression over people or events would be
materialised by DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import sqlglot.expressions as sge

from healthgap.errors import ArgumentError
from healthgap.indicators._dates import month_index
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.followed import followed_counts
from healthgap.indicators.plan import FINEST_GRAIN, Bound, Check, Slot, plan

__all__ = ["compile_indicators", "prepare_people", "to_sql"]

NOT_KNOWN = "99"
WORD_BITS = 62
"""Bits used in each int64 flag or code-list word (the sign bit is left alone)."""

CodeSet = tuple[bool, str, tuple[str, ...]]
"""(for a birth-relative check, event type, sorted codes): one bit of the events' code masks."""


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


def _word(number: int, prefix: str) -> tuple[str, int]:
    """Bit `number` as (word column, bit value)."""
    return f"{prefix}{number // WORD_BITS}", 1 << (number % WORD_BITS)


def _age(on: date, birth_month: int) -> int | None:
    """Whole years on `on` for someone born in month number `birth_month` (None if later)."""
    months = month_index(on) - birth_month
    return months // 12 if months >= 0 else None


class _Layout:
    """Where every per-person fact of a plan lives.

    Flags (checks, registration date pairs, sex code lists) are numbered; flag `f` is bit
    `f % WORD_BITS` of the int64 word `w{f // WORD_BITS}`, and code list `c` bit `c %
    WORD_BITS` of the events' mask `m{c // WORD_BITS}`. Ages are clamped to
    `youngest`..`oldest` and birth months to `first_born`..`last_born`: every cohort limit and
    band edge lies inside, so values beyond behave alike. A person's slot-table key is their
    birth month minus `first_born`, or without one `ages_from` + age − `youngest`. A slot's age
    band is the code `slot * bands + band number` (0: in no band).
    """

    def __init__(self, slots: Sequence[Slot]) -> None:
        self.slots = slots
        self.flags: dict[Flag, int] = {}
        self.code_sets: dict[CodeSet, int] = {}
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
        self.masks_words = [f"m{i}" for i in range(-(-len(self.code_sets) // WORD_BITS))]
        self.counted = {slot.numerator[0] for slot in slots if slot.count_events}
        self.counted |= {slot.denominator for slot in slots if slot.denominator is not None}
        self.per_event = any(slot.denominator is not None for slot in slots)
        edges = {0}
        for slot in slots:
            edges |= {b.start for b in slot.age_bands}
            edges |= {b.end + 1 for b in slot.age_bands if b.end is not None}
            edges |= {a for a in (slot.age_min, slot.age_max) if a is not None}
            edges |= {slot.age_max + 1} if slot.age_max is not None else set()
        self.youngest, self.oldest = min(edges) - 1, max(edges)
        months = [month_index(slot.age_at) for slot in slots]
        self.first_born, self.last_born = min(months) - 12 * self.oldest, max(months) + 1
        self.ages_from = self.last_born - self.first_born + 1
        self.bands = max(len(slot.age_bands) for slot in slots) + 1

    @staticmethod
    def cohort_flags(slot: Slot) -> list[Flag]:
        """The flags a cohort member must have besides `require`: registration and sex."""
        flags: list[Flag] = []
        if slot.registered_from is not None and slot.registered_to is not None:
            flags.append(_Registered(slot.registered_from, slot.registered_to))
        if slot.sex is not None:
            flags.append(_Sex(slot.sex))
        return flags

    def code_set(self, check: Check, event_type: str, codes: Sequence[str]) -> int:
        key = (check.uses_birth, event_type, tuple(sorted(codes)))
        return self.code_sets.setdefault(key, len(self.code_sets))

    def bit(self, flag: Flag) -> tuple[str, int]:
        return _word(self.flags[flag], "w")

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

    def keys(self, slot: Slot) -> list[tuple[int, int]]:
        """(key, age on the slot's date) for every birth month and age in its cohort."""
        found = [
            (born - self.first_born, _age(slot.age_at, born))
            for born in range(self.first_born, self.last_born + 1)
        ]
        found += [(self.ages_from + age - self.youngest, age) for age in self._ages()]
        return [
            (key, age)
            for key, age in found
            if age is not None
            and (slot.age_min is None or age >= slot.age_min)
            and (slot.age_max is None or age <= slot.age_max)
        ]

    def _ages(self) -> range:
        return range(self.youngest, self.oldest + 1)

    def band_code(self, slot: Slot, age: int) -> int:
        """`slot * bands` plus the number (from 1) of the slot's band holding `age`, or 0."""
        for number, band in enumerate(slot.age_bands, start=1):
            if band.start <= age and (band.end is None or age <= band.end):
                return slot.index * self.bands + number
        return slot.index * self.bands


def _date(day: date) -> ir.Value:
    return ibis.literal(day, type="date")


def _clamp(value: ir.IntegerValue, low: int, high: int) -> ir.IntegerValue:
    """`value` limited to low..high; null stays null (unlike LEAST/GREATEST on PostgreSQL)."""
    return ibis.cases((value < low, low), (value > high, high), else_=value).cast("int64")


def _in_window(e: ir.Table, check: Check, code_set: int) -> ir.BooleanValue:
    """Event has a code of `code_set` (a bit of its mask) and a date in the check's window."""
    word, bit = _word(code_set, "m")
    cond = (e[word] & ibis.literal(bit, "int64")) != 0
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


def _code_table(layout: _Layout, birth: bool) -> ir.Table:
    """(event_type, code) -> mask words of the code lists of one branch (birth-relative
    checks, or the rest) that hold it."""
    masks: dict[tuple[str, str], dict[str, int]] = {}
    for (is_birth, event_type, codes), number in layout.code_sets.items():
        if is_birth != birth:
            continue
        word, bit = _word(number, "m")
        for code in codes:
            row = masks.setdefault((event_type, code), dict.fromkeys(layout.masks_words, 0))
            row[word] |= bit
    pairs = list(masks)
    columns = {
        "event_type": pa.array([t for t, _ in pairs], pa.string()),
        "code": pa.array([c for _, c in pairs], pa.string()),
    }
    for word in layout.masks_words:
        columns[word] = pa.array([masks[pair][word] for pair in pairs], pa.int64())
    return ibis.memtable(pa.table(columns))


def _tagged(events: ir.Table, layout: _Layout, birth: bool) -> ir.Table:
    """The events with a code of one branch's code lists, with their mask words.

    The join with the code table decides; the filter before it (on the event types, and on
    the few codes of the birth-relative branch) is read in the Parquet scan and tells the
    engine's planner that few events remain, so it builds its hash tables on them rather
    than on the people table."""
    sets = [(kind, codes) for (is_birth, kind, codes) in layout.code_sets if is_birth == birth]
    e = events.select(
        person_id=events.person_id.cast("string"),
        event_type=events.event_type.cast("string"),
        code=events.code.cast("string"),
        date=events.date.cast("date"),
    )
    wanted = e.event_type.isin(sorted({kind for kind, _ in sets}))
    if birth:
        wanted &= e.code.isin(sorted({code for _, codes in sets for code in codes}))
    tagged = e.filter(wanted).join(_code_table(layout, birth), ["event_type", "code"])
    return tagged.select("person_id", "date", *layout.masks_words)


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


def _per_person(rows: ir.Table, layout: _Layout, followed: ir.Table | None = None) -> ir.Table:
    """One row per person with events: the flag words of their checks, plus the event count
    of each check an indicator counts events with (`n<flag>`; for a `followed_by` check, from
    `followed`)."""
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
        if check.followed_days is None and (check.min_count > 1 or check in layout.counted):
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
    if followed is not None:
        joined = agg.left_join(followed, agg.person_id == followed.person_id)
        extra = [c for c in followed.columns if c != "person_id"]
        agg = joined.select(*agg.columns, **{c: joined[c].fill_null(0) for c in extra})
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


def _person_rows(people: ir.Table, per_person: ir.Table, layout: _Layout) -> ir.Table:
    """One row per person: slot-table `key`, flag words with the registration and sex flags
    added, and the counts of counted checks (`n<flag>`)."""
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
    born = _clamp(t.birth_mi, layout.first_born, layout.last_born) - layout.first_born
    aged = _clamp(t.age, layout.youngest, layout.oldest) + (layout.ages_from - layout.youngest)
    key = ibis.cases((t.birth_mi.notnull(), born), else_=aged)
    # Counts stay null for people with no events until a slot picks one (`_pick_count`):
    # filled here, DuckDB computed each fill on every person x slot row after the join.
    counts = {name: t[name] for name in per_person.columns if name.startswith("n")}
    return t.select("lsoa21", "ethnicity", "sex", **words, **counts, key=key)


def _slot_table(layout: _Layout) -> ir.Table:
    """One row per slot and key (birth month or age) in its cohort: the slot's band code
    there, the flag bits its members must have (`req_`) and must not have (`excl_`), those of
    its numerator (`num_`), and the flag number of the check it counts events of (`src`;
    -1: it counts people)."""
    rows: dict[str, list[int]] = {"key": [], "code": [], "src": [], "dsrc": []}
    for prefix in ("req", "excl", "num"):
        rows |= {f"{prefix}_{word}": [] for word in layout.words}
    for slot in layout.slots:
        own = [] if slot.denominator is None else [slot.denominator]
        masks = {
            "req": layout.masks([*layout.cohort_flags(slot), *slot.require, *own]),
            "excl": layout.masks(slot.exclude),
            "num": layout.masks(slot.numerator),
        }
        src = layout.flags[slot.numerator[0]] if slot.count_events else -1
        dsrc = -1 if slot.denominator is None else layout.flags[slot.denominator]
        for key, age in layout.keys(slot):
            rows["key"].append(key)
            rows["code"].append(layout.band_code(slot, age))
            rows["src"].append(src)
            rows["dsrc"].append(dsrc)
            for prefix, words in masks.items():
                for word, mask in words.items():
                    rows[f"{prefix}_{word}"].append(mask)
    return ibis.memtable(pa.table({k: pa.array(v, pa.int64()) for k, v in rows.items()}))


def _labels(layout: _Layout) -> ir.Table:
    """Band code -> indicator_id, period and age band (null: in no band)."""
    rows = [
        (slot.index * layout.bands + number, slot.indicator.id, slot.period.label, label)
        for slot in layout.slots
        for number, label in enumerate([None, *(b.label for b in slot.age_bands)])
    ]
    code, indicator_id, period, age_band = zip(*rows, strict=True)
    return ibis.memtable(
        pa.table(
            {
                "code": pa.array(code, pa.int64()),
                "indicator_id": pa.array(indicator_id, pa.string()),
                "period": pa.array(period, pa.string()),
                "age_band": pa.array(age_band, pa.string()),
            }
        )
    )


def _pick_count(t: ir.Table, source: ir.IntegerValue, flags: Sequence[int]) -> ir.IntegerValue:
    """`n<flag>` of the row's `source` flag, or 1 where it names none (-1: the slot counts
    people). One flat CASE whose first branch is the common case (a person counts 1), so
    most rows pass one comparison instead of one per counted flag."""
    if not flags:
        return ibis.literal(1, "int64")
    branches = [(source == flag, t[f"n{flag}"].fill_null(0)) for flag in flags]
    return ibis.cases((source == -1, 1), *branches, else_=1).cast("int64")


def _fine(people: ir.Table, layout: _Layout) -> ir.Table:
    """Each person's rows for the slots whose cohort ages they have (an equi-join with the
    slot table), kept when their flags put them in the cohort, summed to the fine grain."""
    slots, people = _slot_table(layout), people.view()  # a new relation, not part of its join
    t = people.join(slots, people.key == slots.key)
    cohort = met = ibis.literal(True)
    for word in layout.words:
        cohort &= (t[word] & t[f"req_{word}"]) == t[f"req_{word}"]
        cohort &= (t[word] & t[f"excl_{word}"]) == 0
        met &= (t[word] & t[f"num_{word}"]) == t[f"num_{word}"]
    counted = _pick_count(t, t.src, sorted(layout.flags[c] for c in layout.counted))
    # A slot with a `denominator` counts its members' events (`dsrc`), the rest people.
    size: dict[str, ir.IntegerValue] = {}
    if layout.per_event:
        sources = {layout.flags[s.denominator] for s in layout.slots if s.denominator is not None}
        size["den"] = _pick_count(t, t.dsrc, sorted(sources))
    rows = t.select(
        "lsoa21", "ethnicity", "sex", "code", numerator=ibis.ifelse(met, counted, 0),
        cohort=cohort, **size,
    )  # fmt: skip
    members = rows.filter(rows.cohort)
    fine = members.group_by(["code", "lsoa21", "ethnicity", "sex"]).aggregate(
        numerator=members.numerator.sum(),
        denominator=members["den"].sum() if layout.per_event else members.count(),
    )
    named = fine.join(_labels(layout), "code")
    return named.select(
        *FINEST_GRAIN,
        numerator=named.numerator.cast("int64"),
        denominator=named.denominator.cast("int64"),
    )


def compile_indicators(
    indicators: Iterable[Indicator] | Mapping[str, Indicator],
    people: ir.Table,
    events: ir.Table,
    *,
    materialise: Callable[[ir.Table], ir.Table] | None = None,
) -> ir.Table:
    """One Ibis expression: numerator and denominator for every indicator, period, lsoa21,
    ethnicity code, sex and age band (columns `FINEST_GRAIN` + numerator, denominator).

    `people` and `events` are tables of one backend with the `healthgap.population.schema`
    columns (people needs `age` and/or `birth_month`; missing ones are treated as blank).
    Groups with no one in the cohort are absent. For a `count: events` numerator the count is
    of events; otherwise of people. `denominator` is always people in the cohort.
    `materialise`, if given, turns the one-row-per-person stage into a table of the backend
    (`backends.materialiser`: PostgreSQL would otherwise recompute it for every slot row).
    """
    slots = plan(indicators)
    if not slots:
        raise ArgumentError("compile_indicators needs at least one indicator with a period.")
    layout = _Layout(slots)
    per_person = _per_person(
        _event_rows(people, events, layout), layout, followed_counts(events, layout.flags)
    )
    persons = _person_rows(people, per_person, layout)
    return _fine(persons if materialise is None else materialise(persons), layout)


def to_sql(
    indicators: Iterable[Indicator] | Mapping[str, Indicator],
    people: ir.Table,
    events: ir.Table,
    dialect: str | None = None,
) -> str:
    """The SQL the compiled expression runs as, for an Ibis `dialect` ("duckdb", "postgres",
    "pyspark"): the small tables it joins (code lists, slots, labels) as temporary views, then
    the query. For showing an indicator's method and reviewing changes, not for running."""
    expr = compile_indicators(indicators, people, events)
    glot = {"pyspark": "spark", None: "duckdb"}.get(dialect, dialect)
    views = []
    for table in expr.op().find(ops.InMemoryTable):
        data = table.data.to_pyarrow(table.schema)
        values = sge.values(
            [tuple(row.values()) for row in data.to_pylist()], alias="t", columns=data.column_names
        )
        temporary = sge.Properties(expressions=[sge.TemporaryProperty()])
        view = sge.Create(
            this=sge.to_table(table.name), kind="VIEW", properties=temporary,
            expression=sge.select("*").from_(values),
        )  # fmt: skip
        views.append(view.sql(dialect=glot))
    return ";\n\n".join([*views, str(ibis.to_sql(expr, dialect=dialect))])
