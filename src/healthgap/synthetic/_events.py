"""Synthetic events: every planned outcome (`_plan`) drawn for the people of a chunk, in
every covered period.

Who can have an outcome in a period (`_Draw.cohort`): a numerator, the indicator's cohort as the
engines evaluate it (age in whole years on the `at` date counted from the 1st of the birth
month, not before birth; sex; registered on the registration date; the required events present
and the excluded ones absent, on the events already drawn); a condition, the ages and sexes of
its users' cohorts. How an outcome is drawn over the covered periods depends on its kind:

- condition (cohort conditions, recorded prevalence), **once**: eligible in any covered period;
  has it when u < expit(eta); its events are dated uniformly inside the intersection of all its
  windows in all covered periods, so a register entry counts in every period (it persists);
- uptake, in **rounds**, drawn together for all uptake outcomes making the same events (a
  *programme*: the two cervical screening age groups), over its *slots* (outcome, covered
  period) in order of period end: person i's rounds fall every S_i days (S_i = the shortest of
  i's windows in the slots i is eligible for; a random phase; days counted from 1970-01-01),
  so every window holds a round. In a slot the round is the last one on or before the end of
  i's window; it is attended when u* < expit(eta + per-year change x years from the reference
  date to the round), u* being i's own uniform with probability `persistence`, else a fresh
  one; unless a round already decided for i lies inside the window: then it takes that
  decision (a round inside two windows is drawn and decided once, and coverage in a longer
  window is not topped up by a second chance). Each criterion's first copy is dated on the
  round, further copies (min_count) uniformly between the window's start and the round. So
  coverage is near expit(eta) in every period, and nobody gets a fresh screening every period;
- rate, in **pieces**: period j's window less what was already drawn for i's earlier periods;
  Poisson(exp(eta + per-year change x years to the piece's middle) x years in the piece)
  events by inverting the CDF (count: events), or one event with P = 1 - exp(-mean) (count:
  people), dated uniformly in the piece.

The per-year change is the outcome's trend (`per_year`) plus a tenth of its `age_per_decade`:
eta is computed with ages on the reference date, so this puts the age term at the age on the
date, and a cohort in an earlier period (one year younger on the reference date) has the same
expected value as a later one apart from the trend. Dates never fall before birth or after
the reference date; a window with no start ("ever") is cut to `EVER_DAYS` before its end.

Random numbers: one generator per LSOA k (the number of its code) and outcome o, or programme,
SeedSequence(seed, spawn_key=(k, h(o))), h = the first 4 bytes of SHA-256 of the outcome's key
(a programme's: its outcomes' keys joined with "+"), used in a fixed order: a condition, one
uniform per resident (decision) then one per event (date); uptake, two per resident (own
propensity, phase), then for each slot one per resident (persistence choice and fresh
uniform: v < persistence picks the own one, else (v - persistence) / (1 - persistence)) and
one per event; a rate, for each period one per resident (count) and one per event. So an
outcome's random numbers depend neither on the chunking nor on the other outcomes (only who
is eligible does, through required and excluded conditions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthgap.indicators.definitions import Criterion, DateRef, Indicator, Period, Window
from healthgap.population.schema import EVENTS
from healthgap.synthetic._model import (
    DAYS_PER_YEAR,
    Effects,
    expit,
    linear_predictor,
    poisson_inverse,
    trend,
)
from healthgap.synthetic._people import Traits
from healthgap.synthetic._plan import Outcome, Plan, stream_number
from healthgap.synthetic._programmes import (
    ProgrammeEffect,
    check_outcomes,
    thinned,
    uptake_boost,
)
from healthgap.synthetic._spells import add_spells

EVER_DAYS = 3652
"""An event in a window with no start ("ever") is dated within this many days (10 years) of its
end."""
_DAY = np.timedelta64(1, "D")
_EPOCH = np.datetime64("1970-01-01", "D")


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
        first, last = window_bounds(criterion.window, period, traits.birth_month[person])
        inside = day <= last
        if first is not None:
            inside &= day >= first
        return np.bincount(person[inside], minlength=n) >= criterion.min_count

    def table(self, plan: Plan, person_ids: pa.Array) -> pa.Table:
        """The events as an events table, ordered by person (then by outcome and period)."""
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


@dataclass(frozen=True)
class _Draw:
    """What every outcome of a chunk is drawn with. Work past eligibility is done on the people
    who can have the outcome (`idx`, ascending indices into the chunk), not on everyone."""

    plan: Plan
    traits: Traits
    lsoa_numbers: np.ndarray
    sizes: np.ndarray
    seed: int
    reference: date
    effects: Effects
    events: EventChunk

    def generators(self, stream: int) -> list[np.random.Generator]:
        """Each LSOA's generator for `stream` (an outcome's or a programme's)."""
        return [
            np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(int(k), stream)))
            for k in self.lsoa_numbers
        ]

    def per_resident(self, generators: list[np.random.Generator], columns: int) -> np.ndarray:
        """`columns` uniforms per resident (n x columns), LSOA by LSOA."""
        draws = [g.random((int(n), columns)) for g, n in zip(generators, self.sizes, strict=True)]
        return np.concatenate(draws) if draws else np.zeros((0, columns))

    def eta(self, outcome: Outcome, idx: np.ndarray) -> tuple[np.ndarray, float]:
        """The linear predictor on the reference date for people `idx`, and its change per year
        of date: the trend plus the age effect of a year's age (so the age term is the age on
        the date, and a cohort of the same ages in an earlier period has the same expected
        value apart from the trend)."""
        baseline, gradient = self.effects.resolve(outcome.key, outcome.kind)
        traits = self.traits
        eta = linear_predictor(
            baseline,
            gradient,
            outcome.kind,
            outcome.ref_age,
            imd_decile=traits.imd_decile[idx],
            age=traits.age[idx],
            male=traits.male[idx],
            group=traits.group[idx],
            practice_effect=traits.practice_effect[idx],
        )
        return eta, gradient.per_year + gradient.age_per_decade / 10

    def bounds(
        self, windows: Sequence[tuple[Window, Period]], idx: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Where events may fall for people `idx`, as days since 1970-01-01 (inclusive): inside
        every window, from birth, to the reference date, and at most EVER_DAYS when no window
        has a start."""
        birth_month = self.traits.birth_month[idx]
        lows = [(self.traits.birth[idx] - _EPOCH).astype(np.int64)]
        highs = [np.full(len(idx), (np.datetime64(self.reference, "D") - _EPOCH).astype(np.int64))]
        for window, period in windows:
            first, last = window_bounds(window, period, birth_month)
            highs.append((last - _EPOCH).astype(np.int64))
            if first is not None:
                lows.append((first - _EPOCH).astype(np.int64))
        high = np.minimum.reduce(highs)
        if len(lows) == 1:  # no window gives a start: "ever"
            lows.append(high - EVER_DAYS)
        return np.maximum.reduce(lows), high

    def cohort(self, indicator: Indicator, period: Period, *, full: bool) -> np.ndarray:
        """Who is in `indicator`'s cohort in `period` (`full`: all rules; else age and sex)."""
        cohort, traits = indicator.cohort, self.traits
        age = _age_on(cohort.age.at.resolve(period.start, period.end), traits.birth_month)
        ok = age >= 0
        if cohort.age.minimum is not None:
            ok &= age >= cohort.age.minimum
        if cohort.age.maximum is not None:
            ok &= age <= cohort.age.maximum
        if cohort.sex is not None:
            ok &= np.where(traits.male, "1" in cohort.sex, "2" in cohort.sex)
        if not full:
            return ok
        if cohort.registration is not None:
            start = cohort.registration.start.resolve(period.start, period.end)
            ok &= traits.registered <= np.datetime64(start, "D")
        for criterion in cohort.require:
            ok &= self.events.has(self.plan, criterion, period, traits)
        for criterion in cohort.exclude:
            ok &= ~self.events.has(self.plan, criterion, period, traits)
        return ok

    def emit(
        self,
        outcome: Outcome,
        generators: list[np.random.Generator],
        person: np.ndarray,
        count: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        on_round: bool = False,
    ) -> None:
        """`count` times `outcome.makes` for each `person` (ascending), dated uniformly in
        [low, high] (days since 1970) — or, `on_round`, each criterion's first copy on `high`."""
        pairs = np.repeat(
            [self.plan.pair(p) for p, _ in outcome.makes], [c for _, c in outcome.makes]
        )
        copy = np.concatenate([np.arange(c) for _, c in outcome.makes])
        per_row = count * len(pairs)
        row = np.repeat(np.arange(len(person)), per_row)
        element = (np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)) % len(
            pairs
        )
        who, lo, hi = person[row], low[row], high[row]
        if on_round:
            lo = np.where(copy[element] == 0, hi, lo)
        per_area = np.bincount(self.traits.area[who], minlength=len(self.sizes))
        u = np.concatenate(
            [g.random(int(m)) for g, m in zip(generators, per_area, strict=True)] or [[]]
        )
        day = lo + (u * (hi - lo + 1)).astype(np.int64)
        self.events.person.append(who)
        self.events.pair.append(pairs[element])
        self.events.date.append(_EPOCH + day * _DAY)

    def once(self, outcome: Outcome) -> None:
        generators = self.generators(outcome.stream)
        u = self.per_resident(generators, 1)[:, 0]
        eligible = np.zeros(len(u), dtype=bool)
        for indicator, period in outcome.cohorts:
            eligible |= self.cohort(indicator, period, full=outcome.indicator is not None)
        idx = np.flatnonzero(eligible)
        low, high = self.bounds(outcome.windows, idx)
        eta, _ = self.eta(outcome, idx)
        has = (low <= high) & (u[idx] < expit(eta))
        self.emit(outcome, generators, idx[has], np.ones(has.sum(), np.int64), low[has], high[has])

    def rounds(self, members: Sequence[Outcome]) -> None:
        """The rounds of one programme (uptake outcomes making the same events), over the
        slots (outcome, covered period) ordered by period end (module docstring)."""
        slots = sorted(
            ((o, i, p) for o in members for i, p in o.cohorts), key=lambda s: (s[2].end, s[0].key)
        )
        generators = self.generators(stream_number(members[0].programme))
        own = self.per_resident(generators, 2)
        cohorts = [self.cohort(indicator, p, full=True) for _, indicator, p in slots]
        idx = np.flatnonzero(np.logical_or.reduce(cohorts))
        windows = []
        for (outcome, _, period), cohort in zip(slots, cohorts, strict=True):
            low, high = self.bounds(outcome.period_windows(period), idx)
            windows.append((cohort[idx] & (low <= high), low, high))
        longest = np.iinfo(np.int64).max
        spacing = np.minimum.reduce([np.where(ok, hi - lo + 1, longest) for ok, lo, hi in windows])
        spacing[spacing == longest] = 1  # in no window: no rounds
        phase = (own[idx, 1] * spacing).astype(np.int64)
        etas = {o.key: self.eta(o, idx) for o in members}
        today = (np.datetime64(self.reference, "D") - _EPOCH).astype(np.int64)
        rho = self.effects.persistence
        decided: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for (outcome, _, _), (ok, low, high) in zip(slots, windows, strict=True):
            v = self.per_resident(generators, 1)[idx, 0]
            fresh = (v - rho) / (1 - rho) if rho < 1 else v  # uniform given v >= rho
            u = np.where(v < rho, own[idx, 0], fresh)
            day = phase + spacing * ((high - phase) // spacing)  # the last round by the end
            ok = ok & (day >= low)
            eta, per_year = etas[outcome.key]
            boost = uptake_boost(
                self.effects.programmes, outcome.key, self.lsoa_of(idx), day, _EPOCH
            )
            attend = u < expit(eta + trend(per_year, day - today)) + boost
            new, latest = ok.copy(), np.full(len(idx), np.iinfo(np.int64).min)
            for before, before_day, before_attend in decided:  # rounds decided already
                inside = before & ok & (before_day >= low) & (before_day <= high)
                take = inside & (before_day >= latest)
                latest = np.where(take, before_day, latest)
                attend = np.where(take, before_attend, attend)
                new &= ~(inside & (before_day == day))
            decided.append((ok, day, attend))
            row = np.flatnonzero(new & attend)
            once = np.ones(len(row), np.int64)
            self.emit(outcome, generators, idx[row], once, low[row], day[row], on_round=True)

    def lsoa_of(self, person: np.ndarray) -> np.ndarray:
        """The number of each person's LSOA code (E01010272 -> 10272)."""
        return self.lsoa_numbers[self.traits.area[person]]

    def thin(self, programmes: Sequence[tuple[ProgrammeEffect, list[np.random.Generator]]]) -> None:
        """Apply rate programmes to the events just emitted (`_programmes.thinned`)."""
        for programme, generators in programmes:
            who, pair, day = (
                x[-1] for x in (self.events.person, self.events.pair, self.events.date)
            )

            def uniforms(
                affected: np.ndarray, who: np.ndarray = who, generators: list = generators
            ) -> np.ndarray:
                per_area = np.bincount(self.traits.area[who[affected]], minlength=len(self.sizes))
                draws = [g.random(int(m)) for g, m in zip(generators, per_area, strict=True)]
                return np.concatenate(draws)

            keep = thinned(programme, self.lsoa_of(who), day, uniforms)
            self.events.person[-1], self.events.pair[-1] = who[keep], pair[keep]
            self.events.date[-1] = day[keep]

    def pieces(self, outcome: Outcome) -> None:
        generators = self.generators(outcome.stream)
        programmes = [
            (p, self.generators(stream_number(p.stream_key)))
            for p in self.effects.programmes
            if p.outcome == outcome.key and p.rate_ratio is not None
        ]
        cohorts = [self.cohort(i, p, full=True) for i, p in outcome.cohorts]
        idx = np.flatnonzero(np.logical_or.reduce(cohorts))
        eta, per_year = self.eta(outcome, idx)
        today = (np.datetime64(self.reference, "D") - _EPOCH).astype(np.int64)
        drawn_to = np.full(len(idx), np.iinfo(np.int64).min + 1)
        for (indicator, period), cohort in zip(outcome.cohorts, cohorts, strict=True):
            u = self.per_resident(generators, 1)[idx, 0]
            low, high = self.bounds(outcome.period_windows(period), idx)
            low = np.maximum(low, drawn_to + 1)  # not again what an earlier period drew
            ok = cohort[idx] & (low <= high)
            drawn_to = np.where(ok, np.maximum(drawn_to, high), drawn_to)
            days = np.clip(high - low + 1, 0, None)
            mean = np.exp(eta + trend(per_year, low + days // 2 - today)) * days / DAYS_PER_YEAR
            if indicator.numerator.count == "events":
                count = np.where(ok, poisson_inverse(u, mean), 0)
            else:  # people with at least one event: P = 1 - exp(-mean)
                count = (ok & (u < -np.expm1(-mean))).astype(np.int64)
            row = np.flatnonzero(count)
            self.emit(outcome, generators, idx[row], count[row], low[row], high[row])
            self.thin(programmes)


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
    """Draw every outcome of `plan`, in every covered period, for the people described by
    `traits` (module docstring).

    `lsoa_numbers` (the numbers of the chunk's LSOA codes) and `sizes` (people per LSOA) key
    the random streams; people are in LSOA order.
    """
    if effects.programmes:
        check_outcomes(effects.programmes, {o.key: o.kind for o in plan.outcomes})
    draw = _Draw(plan, traits, lsoa_numbers, sizes, seed, reference, effects, EventChunk())
    drawn: set[str] = set()
    spells = [o.indicator for o in plan.outcomes if o.indicator and o.indicator.denominator]
    for outcome in plan.outcomes:
        if outcome.kind == "condition":
            draw.once(outcome)
        elif outcome.kind == "rate":
            first_chunk = len(draw.events.person)
            draw.pieces(outcome)
            if outcome.indicator is not None and outcome.indicator.denominator is not None:
                streams = draw.generators(stream_number(f"{outcome.key}:spells"))
                add_spells(draw, spells, first_chunk, streams)
        elif outcome.programme not in drawn:
            drawn.add(outcome.programme)
            draw.rounds([o for o in plan.outcomes if o.programme == outcome.programme])
    return draw.events
