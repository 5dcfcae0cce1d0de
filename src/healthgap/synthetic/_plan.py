"""What the synthetic population draws for a catalogue: outcomes, their periods and windows.

`plan_outcomes(catalogue, reference)`: every period of every indicator that ends on or before the
reference date is *covered* (periods ending later get no events; an indicator with no covered
period is skipped). Every criterion a cohort requires or excludes becomes a *condition* outcome,
keyed "<event_type>:<first code>" and shared by all indicators (and periods) that use it; every
indicator's numerator becomes an outcome keyed by its id, drawn for all its covered periods.

Kinds (`_model`): a rate or DSR is "rate"; a proportion where higher is better is
"uptake"; any other proportion (recorded prevalence) and every condition is "condition". The
kind fixes how the outcome is drawn over periods (`_events`): conditions once per person
(they persist), uptake in rounds, rates in non-overlapping pieces of the periods' windows.
Outcomes are ordered conditions first, then condition-kind numerators, uptake, rates (each by
key), so that a cohort is evaluated on the events already drawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from healthgap.indicators.definitions import Criterion, Indicator, Period, Window
from healthgap.synthetic._model import MAX_REF_AGE
from healthgap.synthetic._spells import spell_pairs

_KIND_ORDER = {"condition": 0, "uptake": 1, "rate": 2}


def stream_number(text: str) -> int:
    """The first 4 bytes of SHA-256 of `text`: keys random streams by name, not by position."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


@dataclass(frozen=True)
class Outcome:
    """One modelled outcome.

    makes: the events a person with the outcome gets, as ((event_type, code), copies) — each
    criterion's first code, `min_count` times. windows: every (window, period) of its
    criteria, over all covered periods (a condition's events must lie in all of them).
    cohorts: who can have it, as (indicator, period): a numerator, the indicator's cohort in
    each covered period; a condition, the ages and sexes of each user's cohort in each of the
    user's covered periods. programme: uptake outcomes that make the same events (the two
    cervical screening age groups) share one, named by their keys joined with "+", and are
    drawn together, in one set of rounds.
    """

    key: str
    kind: str
    makes: tuple[tuple[tuple[str, str], int], ...]
    windows: tuple[tuple[Window, Period], ...]
    cohorts: tuple[tuple[Indicator, Period], ...]
    ref_age: float
    indicator: Indicator | None = None
    programme: str = ""

    @property
    def stream(self) -> int:
        return stream_number(self.key)

    @property
    def periods(self) -> tuple[Period, ...]:
        """A numerator's covered periods, in order of end date."""
        return tuple(p for _, p in self.cohorts)

    def period_windows(self, period: Period) -> list[tuple[Window, Period]]:
        return [(w, p) for w, p in self.windows if p == period]


@dataclass(frozen=True)
class Plan:
    """The outcomes to draw (in order); indicators left out (id -> reason); periods that end
    after the reference date (id -> labels); the (event_type, code) vocabulary of the events."""

    outcomes: tuple[Outcome, ...]
    skipped: Mapping[str, str]
    not_covered: Mapping[str, tuple[str, ...]]
    pairs: tuple[tuple[str, str], ...]

    def pair(self, event_type_code: tuple[str, str]) -> int:
        return self.pairs.index(event_type_code)

    def matching(self, criterion: Criterion) -> np.ndarray:
        """Vocabulary ids that satisfy `criterion` (its event type and any of its codes)."""
        codes = set(criterion.code_values)
        return np.array(
            [i for i, (t, c) in enumerate(self.pairs) if t == criterion.event_type and c in codes],
            dtype=np.int64,
        )

    def covered(self) -> dict[str, list[str]]:
        """Indicator id -> labels of the periods drawn."""
        return {
            o.key: [p.label for p in o.periods] for o in self.outcomes if o.indicator is not None
        }


def _kind(indicator: Indicator) -> str:
    if indicator.method != "proportion" or indicator.denominator is not None:
        return "rate"  # a denominator of events (discharges) is drawn as a rate (`_spells`)
    return "uptake" if indicator.polarity == "higher_is_better" else "condition"


def _ref_age(low: int | None, high: int | None) -> float:
    return ((low or 0) + min(high if high is not None else MAX_REF_AGE, MAX_REF_AGE)) / 2


def _first(criterion: Criterion) -> tuple[str, str]:
    return criterion.event_type, criterion.codes[0].code


def plan_outcomes(catalogue: Mapping[str, Indicator], reference: date) -> Plan:
    """The outcomes for `catalogue` on `reference` (module docstring)."""
    skipped: dict[str, str] = {}
    not_covered: dict[str, tuple[str, ...]] = {}
    numerators: list[Outcome] = []
    users: dict[tuple[str, str], list[tuple[Criterion, Indicator, tuple[Period, ...]]]] = {}
    for ident in sorted(catalogue):
        indicator = catalogue[ident]
        order = sorted(indicator.periods, key=lambda p: (p.end, p.start, p.label))
        periods = tuple(p for p in order if p.end <= reference)
        later = tuple(p.label for p in order if p.end > reference)
        if later:
            not_covered[ident] = later
        if not periods:
            skipped[ident] = f"no period ends on or before {reference}"
            continue
        criteria = indicator.numerator.all_of
        age = indicator.cohort.age
        numerators.append(
            Outcome(
                key=ident,
                kind=_kind(indicator),
                makes=tuple((_first(c), c.min_count) for c in criteria),
                windows=tuple((c.window, p) for p in periods for c in criteria),
                cohorts=tuple((indicator, p) for p in periods),
                ref_age=_ref_age(age.minimum, age.maximum),
                indicator=indicator,
            )
        )
        for criterion in (*indicator.cohort.require, *indicator.cohort.exclude):
            users.setdefault(_first(criterion), []).append((criterion, indicator, periods))
    conditions = [_condition(pair, used) for pair, used in sorted(users.items())]
    numerators = _programmes(numerators)
    numerators.sort(key=lambda o: (_KIND_ORDER[o.kind], o.key))
    outcomes = (*conditions, *numerators)
    pairs = sorted(
        {pair for o in outcomes for pair, _ in o.makes}
        | {pair for o in numerators if o.indicator for pair in spell_pairs(o.indicator)}
    )
    return Plan(outcomes, skipped, not_covered, tuple(pairs))


def _programmes(outcomes: list[Outcome]) -> list[Outcome]:
    """Uptake outcomes with their programme: the keys of all uptake outcomes making the same
    events, joined with "+"."""
    same: dict[tuple, list[str]] = {}
    for o in outcomes:
        if o.kind == "uptake":
            same.setdefault(o.makes, []).append(o.key)
    return [
        replace(o, programme="+".join(sorted(same[o.makes]))) if o.kind == "uptake" else o
        for o in outcomes
    ]


def _condition(
    pair: tuple[str, str], used: list[tuple[Criterion, Indicator, tuple[Period, ...]]]
) -> Outcome:
    """A condition shared by the cohorts in `used`: one event (the most copies any user needs)
    inside every user's window in every covered period; ages span the users' cohorts."""
    lows = [i.cohort.age.minimum or 0 for _, i, _ in used]
    highs = [i.cohort.age.maximum for _, i, _ in used]
    high = None if None in highs else max(h for h in highs if h is not None)
    return Outcome(
        key=f"{pair[0]}:{pair[1]}",
        kind="condition",
        makes=((pair, max(c.min_count for c, _, _ in used)),),
        windows=tuple((c.window, p) for c, _, periods in used for p in periods),
        cohorts=tuple((i, p) for _, i, periods in used for p in periods),
        ref_age=_ref_age(min(lows), high),
    )
