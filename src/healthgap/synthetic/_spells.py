"""Hospital spells for indicators whose denominator is events (discharges), not people.

`discharge_to_usual_place_of_residence` and `emergency_readmissions_30_days` count `discharge`
events (one per finished hospital spell, dated on the discharge day, coded with its
destination). Each one's outcome is drawn as a rate (`_plan`: Poisson discharges per
person-year in each period, with the rate kind's gradients; the discharge rate is the sum of
their baselines); `add_spells` then finishes the events each drew, alike for both:

- destination: when a numerator counts some of its denominator's codes (home, 19), a share
  1 - HOME_SHARE of the discharges get the denominator's first other code (a care home, 85);
- readmission: when a numerator has `followed_by`, a share READMIT_SHARE of the discharges
  get one of its events (its first code: emergency admission, method 28) a uniform number of
  days from its first to its last day later (1 to 29), left out if after the reference date.

The shares are illustrative, of the size England publishes (about nine in ten discharges to
the usual place of residence, Better Care Fund; about 14% readmitted within 30 days, NHS OF
3b), with no gradient by deprivation or age beyond the discharge rate's own. Random numbers
come from the outcome's own stream ("<id>:spells"), LSOA by LSOA, so chunks stay reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from healthgap.indicators.definitions import Indicator

HOME_SHARE = 0.9
READMIT_SHARE = 0.14


def _other_code(indicator: Indicator) -> tuple[str, str] | None:
    """The denominator's first code the numerator does not count (event type, code)."""
    if indicator.denominator is None:
        return None
    counted = set(indicator.numerator.all_of[0].code_values)
    others = [c for c in indicator.denominator.code_values if c not in counted]
    return (indicator.denominator.event_type, others[0]) if others else None


def _readmission(indicator: Indicator) -> tuple[str, str] | None:
    followed = indicator.numerator.all_of[0].followed_by
    return None if followed is None else (followed.event_type, followed.codes[0].code)


def spell_pairs(indicator: Indicator) -> tuple[tuple[str, str], ...]:
    """The (event type, code) pairs `add_spells` makes for `indicator` besides its outcome's."""
    return tuple(p for p in (_other_code(indicator), _readmission(indicator)) if p is not None)


def add_spells(
    draw: Any,
    indicators: Sequence[Indicator],
    first_chunk: int,
    generators: list[np.random.Generator],
) -> None:
    """Finish the discharges just drawn for one of `indicators` (every indicator of the plan
    with a denominator of events; `draw`, the chunk's `_events._Draw`: its `events` lists from
    `first_chunk` on): their destinations and the readmissions that follow some of them, as
    all of `indicators` need them, so every discharge is alike whichever outcome drew it
    (module docstring). `generators`: the LSOAs' generators of the outcome's own stream."""
    others = [p for p in map(_other_code, indicators) if p is not None]
    readmissions = [(i, p) for i in indicators if (p := _readmission(i)) is not None]
    ev = draw.events
    person, pair, day = (
        np.concatenate(x[first_chunk:]) if len(x) > first_chunk else np.zeros(0, np.int64)
        for x in (ev.person, ev.pair, ev.date)
    )
    if len(person) == 0:
        return
    order = np.lexsort((day, person))  # by person (so LSOA by LSOA), then date
    person, pair, day = person[order], pair[order], day[order]
    per_area = np.bincount(draw.traits.area[person], minlength=len(draw.sizes))
    u = np.concatenate([g.random((int(m), 2)) for g, m in zip(generators, per_area, strict=True)])
    if others:
        pair = np.where(u[:, 0] < HOME_SHARE, pair, draw.plan.pair(others[0]))
    for x in (ev.person, ev.pair, ev.date):
        del x[first_chunk:]
    ev.person.append(person)
    ev.pair.append(pair)
    ev.date.append(day)
    if not readmissions:
        return
    indicator, readmission = readmissions[0]
    followed = indicator.numerator.all_of[0].followed_by
    assert followed is not None
    span = followed.to_days - followed.from_days + 1
    shift = followed.from_days + np.minimum(
        (u[:, 1] / READMIT_SHARE * span).astype(np.int64), span - 1
    )
    later = day + shift * np.timedelta64(1, "D")
    keep = (u[:, 1] < READMIT_SHARE) & (later <= np.datetime64(draw.reference, "D"))
    ev.person.append(person[keep])
    ev.pair.append(np.full(int(keep.sum()), draw.plan.pair(readmission), dtype=pair.dtype))
    ev.date.append(later[keep])
