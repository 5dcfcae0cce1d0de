"""Synthetic events: what each catalogue indicator counts, drawn for the people of a chunk.

Plan (`plan_outcomes`): for each indicator, the latest of its periods that ends on or before the
reference date (indicators without one are skipped). Every criterion a cohort requires or
excludes becomes a *condition* outcome, keyed "<event_type>:<first code>" and shared by the
indicators that use it; every indicator's numerator becomes an outcome keyed by its id. Kinds
(`_synth_model`): a rate or DSR is "rate"; a proportion where higher is better is "uptake";
any other proportion (recorded prevalence) and every condition is "condition".

Generation (`make_events`), outcome by outcome — conditions first, then condition-kind
numerators, uptake, rates, each group by key — so a cohort is evaluated on the events already
made, exactly as the indicator engine will evaluate it:
- who is eligible: a condition, people whose age on the reference date and sex fall within its
  users' cohorts; a numerator, the indicator's cohort (age in whole years on the `at` date
  counted from the 1st of the birth month, as the engines do; sex; registered on the
  registration dates; the required events present and the excluded ones absent);
- who has it: u < p (logistic kinds) or Poisson(rate x years in the window) by inverting the
  CDF at u (rates), with one uniform per person;
- the events: each criterion's first code, `min_count` times, dated uniformly inside the
  criterion's window (intersected over a condition's users), no earlier than birth, no later
  than the reference date, and no more than `EVER_DAYS` back where the window has no start.

Random numbers: outcome o of the LSOA with code number k uses SeedSequence(seed, spawn_key=(k,
h(o))), h = the first 4 bytes of SHA-256 of the key: one uniform per resident for the
decision, then one per event for its date. So an outcome's events do not depend on the chunking,
on the other outcomes or on the effects of other outcomes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthgap.indicators._dates import DateRef
from healthgap.indicators.definitions import Criterion, Indicator, Period, Window
from healthgap.population._synth_model import (
    MAX_REF_AGE,
    Effects,
    expit,
    linear_predictor,
    poisson_inverse,
)
from healthgap.population._synth_people import Traits
from healthgap.population.schema import EVENTS

EVER_DAYS = 3652
"""An event in a window with no start ("ever") is dated within this many days (10 years) of its
end."""
DAYS_PER_YEAR = 365.25
_KIND_ORDER = {"condition": 0, "uptake": 1, "rate": 2}
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Outcome:
    """One modelled outcome: its key, kind, the criteria its events satisfy (each with the
    period its window is resolved in) and who can have it."""

    key: str
    kind: str
    criteria: tuple[tuple[Criterion, Period], ...]
    ref_age: float
    indicator: Indicator | None = None
    period: Period | None = None
    ages: tuple[int, int] = (0, 200)
    sexes: frozenset[str] = frozenset({"1", "2"})

    @property
    def stream(self) -> int:
        return int.from_bytes(hashlib.sha256(self.key.encode()).digest()[:4], "big")


@dataclass(frozen=True)
class Plan:
    """The outcomes to draw (in order), the indicators left out (id -> reason) and the
    (event_type, code) vocabulary of the events."""

    outcomes: tuple[Outcome, ...]
    skipped: Mapping[str, str]
    pairs: tuple[tuple[str, str], ...]

    def pair(self, criterion: Criterion) -> int:
        return self.pairs.index((criterion.event_type, criterion.codes[0].code))

    def matching(self, criterion: Criterion) -> np.ndarray:
        """Vocabulary ids that satisfy `criterion` (its event type and any of its codes)."""
        codes = set(criterion.code_values)
        return np.array(
            [i for i, (t, c) in enumerate(self.pairs) if t == criterion.event_type and c in codes],
            dtype=np.int64,
        )


def _kind(indicator: Indicator) -> str:
    if indicator.method != "proportion":
        return "rate"
    return "uptake" if indicator.polarity == "higher_is_better" else "condition"


def _ref_age(low: int | None, high: int | None) -> float:
    return ((low or 0) + min(high if high is not None else MAX_REF_AGE, MAX_REF_AGE)) / 2


def plan_outcomes(catalogue: Mapping[str, Indicator], reference: date) -> Plan:
    """The outcomes for `catalogue` on `reference` (module docstring)."""
    skipped: dict[str, str] = {}
    numerators: list[Outcome] = []
    users: dict[str, list[tuple[Criterion, Period, Indicator]]] = {}
    for ident in sorted(catalogue):
        indicator = catalogue[ident]
        ended = [p for p in indicator.periods if p.end <= reference]
        if not ended:
            skipped[ident] = f"no period ends on or before {reference}"
            continue
        period = max(ended, key=lambda p: p.end)
        age = indicator.cohort.age
        numerators.append(
            Outcome(
                key=ident,
                kind=_kind(indicator),
                criteria=tuple((c, period) for c in indicator.numerator.all_of),
                ref_age=_ref_age(age.minimum, age.maximum),
                indicator=indicator,
                period=period,
            )
        )
        for criterion in (*indicator.cohort.require, *indicator.cohort.exclude):
            key = f"{criterion.event_type}:{criterion.codes[0].code}"
            users.setdefault(key, []).append((criterion, period, indicator))
    conditions = [_condition(key, used) for key, used in sorted(users.items())]
    numerators.sort(key=lambda o: (_KIND_ORDER[o.kind], o.key))
    outcomes = (*conditions, *numerators)
    pairs = sorted({(c.event_type, c.codes[0].code) for o in outcomes for c, _ in o.criteria})
    return Plan(outcomes, skipped, tuple(pairs))


def _condition(key: str, used: list[tuple[Criterion, Period, Indicator]]) -> Outcome:
    """A condition shared by the cohorts in `used`: ages and sexes are the union of theirs."""
    lows = [i.cohort.age.minimum or 0 for _, _, i in used]
    highs = [i.cohort.age.maximum for _, _, i in used]
    high = None if None in highs else max(h for h in highs if h is not None)
    sexes = frozenset().union(*(i.cohort.sex or ("1", "2") for _, _, i in used))
    return Outcome(
        key=key,
        kind="condition",
        criteria=tuple((c, p) for c, p, _ in used),
        ref_age=_ref_age(min(lows), high),
        ages=(min(lows), 200 if high is None else high),
        sexes=sexes,
    )


# ------------------------------------------------------------------------------------------
def _resolve(ref: DateRef, period: Period, birth_month: np.ndarray) -> np.ndarray:
    """The date of `ref` for each person (birth-relative: the 1st of the month, as the engines)."""
    if ref.is_birth:
        return (birth_month + np.timedelta64(ref.months, "M")).astype("datetime64[D]")
    return np.full(birth_month.shape, np.datetime64(ref.resolve(period.start, period.end), "D"))


def window_bounds(
    window: Window, period: Period, birth_month: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray]:
    """First and last days (inclusive) of `window` for each person; None = no start."""
    end = _resolve(window.end, period, birth_month)
    last = end if window.end_inclusive else end - _DAY
    first = None if window.start is None else _resolve(window.start, period, birth_month)
    return first, last


def _age_on(at: date, birth_month: np.ndarray) -> np.ndarray:
    """Whole years on `at`, counted from the 1st of the birth month (month by month)."""
    return (np.datetime64(at, "M") - birth_month).astype(np.int64) // 12


@dataclass
class EventChunk:
    """Events made so far for a chunk: person index, vocabulary id and date, in outcome order."""

    person: list[np.ndarray] = field(default_factory=list)
    pair: list[np.ndarray] = field(default_factory=list)
    date: list[np.ndarray] = field(default_factory=list)

    def has(self, plan: Plan, criterion: Criterion, period: Period, traits: Traits) -> np.ndarray:
        """True for each person with at least `min_count` events matching `criterion`."""
        n = len(traits.age)
        if not self.person:
            return np.zeros(n, dtype=bool)
        person, pair, day = (np.concatenate(x) for x in (self.person, self.pair, self.date))
        keep = np.isin(pair, plan.matching(criterion))
        person, day = person[keep], day[keep]
        first, last = window_bounds(criterion.window, period, traits.birth_month)
        inside = day <= last[person]
        if first is not None:
            inside &= day >= first[person]
        return np.bincount(person[inside], minlength=n) >= criterion.min_count

    def table(self, plan: Plan, person_ids: pa.Array) -> pa.Table:
        """The events as an events table, ordered by person (then by outcome)."""
        if self.person:
            person, pair, day = (np.concatenate(x) for x in (self.person, self.pair, self.date))
        else:
            person = pair = np.zeros(0, np.int64)
            day = np.zeros(0, "datetime64[D]")
        order = np.argsort(person, kind="stable")
        pair_index = pa.array(pair[order])
        columns = {
            "person_id": pc.take(person_ids, pa.array(person[order])),
            "event_type": pc.take(pa.array([t for t, _ in plan.pairs], pa.string()), pair_index),
            "code": pc.take(pa.array([c for _, c in plan.pairs], pa.string()), pair_index),
            "date": pa.array(day[order]),
            "value": pa.nulls(len(order), pa.float64()),
        }
        schema = EVENTS.output_schema
        return pa.table([columns[f.name].cast(f.type) for f in schema], schema=schema)


def _uniforms(
    seed: int, lsoa_numbers: np.ndarray, sizes: np.ndarray, stream: int
) -> tuple[list[np.random.Generator], np.ndarray]:
    """Each LSOA's generator for outcome `stream`, and one uniform per resident from each."""
    generators = [
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(k), stream)))
        for k in lsoa_numbers
    ]
    draws = [g.random(int(n)) for g, n in zip(generators, sizes, strict=True)]
    return generators, (np.concatenate(draws) if draws else np.zeros(0))


def _eligible(outcome: Outcome, traits: Traits, events: EventChunk, plan: Plan) -> np.ndarray:
    if outcome.indicator is None:
        low, high = outcome.ages
        sex_ok = np.where(traits.male, "1" in outcome.sexes, "2" in outcome.sexes)
        return (traits.age >= low) & (traits.age <= high) & sex_ok
    cohort, period = outcome.indicator.cohort, outcome.period
    assert period is not None
    age = _age_on(cohort.age.at.resolve(period.start, period.end), traits.birth_month)
    ok = np.ones(age.shape, dtype=bool)
    if cohort.age.minimum is not None:
        ok &= age >= cohort.age.minimum
    if cohort.age.maximum is not None:
        ok &= age <= cohort.age.maximum
    if cohort.sex is not None:
        ok &= np.where(traits.male, "1" in cohort.sex, "2" in cohort.sex)
    if cohort.registration is not None:
        start = cohort.registration.start.resolve(period.start, period.end)
        ok &= traits.registered <= np.datetime64(start, "D")
    for criterion in cohort.require:
        ok &= events.has(plan, criterion, period, traits)
    for criterion in cohort.exclude:
        ok &= ~events.has(plan, criterion, period, traits)
    return ok


def _event_window(
    outcome: Outcome, traits: Traits, reference: date
) -> tuple[np.ndarray, np.ndarray]:
    """Where this outcome's events may fall for each person: every criterion's window
    (intersected), from birth, to the reference date, at most EVER_DAYS long if open."""
    lows, highs = [traits.birth], [np.full(traits.birth.shape, np.datetime64(reference, "D"))]
    for criterion, period in outcome.criteria:
        first, last = window_bounds(criterion.window, period, traits.birth_month)
        highs.append(last)
        if first is not None:
            lows.append(first)
    high = np.minimum.reduce(highs)
    if len(lows) == 1:  # no criterion gives a start: "ever"
        lows.append(high - EVER_DAYS * _DAY)
    return np.maximum.reduce(lows), high


def make_events(
    plan: Plan,
    traits: Traits,
    lsoa_numbers: np.ndarray,
    sizes: np.ndarray,
    *,
    seed: int,
    reference: date,
    effects: Effects,
) -> EventChunk:
    """Draw every outcome of `plan` for the people described by `traits` (module docstring).

    `lsoa_numbers` (the numbers of the chunk's LSOA codes) and `sizes` (people per LSOA) key
    the random streams; people are in LSOA order.
    """
    events = EventChunk()
    for outcome in plan.outcomes:
        generators, u = _uniforms(seed, lsoa_numbers, sizes, outcome.stream)
        low, high = _event_window(outcome, traits, reference)
        eligible = _eligible(outcome, traits, events, plan) & (low <= high)
        baseline, gradient = effects.resolve(outcome.key, outcome.kind)
        eta = linear_predictor(
            baseline,
            gradient,
            outcome.kind,
            outcome.ref_age,
            imd_decile=traits.imd_decile,
            age=traits.age,
            male=traits.male,
            group=traits.group,
            practice_effect=traits.practice_effect,
        )
        repeats = [c.min_count for c, _ in outcome.criteria]
        if outcome.kind != "rate":
            count = (eligible & (u < expit(eta))).astype(np.int64)
        else:
            years = ((high - low).astype(np.int64) + 1) / DAYS_PER_YEAR
            mean = np.exp(eta) * np.clip(years, 0, None)
            assert outcome.indicator is not None
            if outcome.indicator.numerator.count == "events":
                count = np.where(eligible, poisson_inverse(u, mean), 0)
            else:  # people with at least one event: P = 1 - exp(-mean)
                count = (eligible & (u < -np.expm1(-mean))).astype(np.int64)
        person = np.repeat(np.arange(len(count)), count * sum(repeats))
        pair = np.repeat(
            np.tile(np.repeat([plan.pair(c) for c, _ in outcome.criteria], repeats), len(count)),
            np.repeat(count, sum(repeats)),
        )
        per_area = np.bincount(traits.area[person], minlength=len(sizes))
        day_u = np.concatenate(
            [g.random(int(m)) for g, m in zip(generators, per_area, strict=True)] or [[]]
        )
        span = (high - low).astype(np.int64)[person] + 1
        day = low[person] + (day_u * span).astype(np.int64) * _DAY
        events.person.append(person)
        events.pair.append(pair)
        events.date.append(day)
    return events
