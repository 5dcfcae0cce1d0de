"""Programme effects: a known change in one outcome, in chosen LSOAs, from a start date.

Off by default (`Effects.programmes` is empty). The demo's synthetic population has two
(src/healthgap/synthetic/demo_effects.yaml, passed by scripts/run_demo.sh as `--effects`): a
programme with a known effect and one with none, so that `healthgap.evaluation` can be
shown to recover the first and find nothing for the second (docs/synthetic_population.md,
"Programme effects").

A `ProgrammeEffect` acts on the events the outcome's model draws for people living in its
LSOAs, dated on or after its start:
- a rate outcome (rate or DSR; drawn in pieces) with `rate_ratio` r (0 < r <= 1): each such
  event is kept with probability r (independent thinning of a Poisson process is a Poisson
  process with r times the rate, so the expected rate from the start is r times what it would
  have been);
- an uptake outcome (drawn in rounds) with `percentage_points` d: a round on or after the
  start is attended when u < expit(eta + trend) + d / 100 (d may be negative).
Conditions (drawn once, no dates of their own) cannot take an effect.

Random numbers: the thinning uses its own streams, one per LSOA k and programme,
SeedSequence(seed, spawn_key=(k, h("programme:<name>:<outcome>"))), one uniform per event in
the programme's LSOAs on or after the start, in the order the events were drawn. So without
programmes every other number is unchanged, and with one the population is the one without it
less the thinned events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from healthgap.errors import ArgumentError

_FIELDS = ("name", "outcome", "lsoas", "start", "rate_ratio", "percentage_points")


@dataclass(frozen=True)
class ProgrammeEffect:
    """A programme's effect on `outcome` (an indicator id) for people living in `lsoas`, from
    `start` (inclusive): exactly one of `rate_ratio` (a rate outcome: 0 < r <= 1) or
    `percentage_points` (an uptake outcome: added to the attendance probability × 100)."""

    name: str
    outcome: str
    lsoas: tuple[str, ...]
    start: date
    rate_ratio: float | None = None
    percentage_points: float | None = None

    def __post_init__(self) -> None:
        where = f"programme {self.name!r}"
        if (self.rate_ratio is None) == (self.percentage_points is None):
            raise ArgumentError(f"{where} needs exactly one of rate_ratio or percentage_points.")
        if self.rate_ratio is not None and not 0 < self.rate_ratio <= 1:
            raise ArgumentError(
                f"{where}: rate_ratio must be above 0 and at most 1 (events are thinned), "
                f"got {self.rate_ratio}."
            )
        if self.percentage_points is not None and not -100 < self.percentage_points < 100:
            raise ArgumentError(
                f"{where}: percentage_points must be between -100 and 100, "
                f"got {self.percentage_points}."
            )
        if not self.lsoas or not all(
            isinstance(c, str) and len(c) == 9 and c.startswith("E01") for c in self.lsoas
        ):
            raise ArgumentError(f"{where}: lsoas must list LSOA 2021 codes (E01 + 6 digits).")

    @property
    def stream_key(self) -> str:
        return f"programme:{self.name}:{self.outcome}"

    def lsoa_numbers(self) -> np.ndarray:
        return np.array([int(code[3:]) for code in self.lsoas], dtype=np.int64)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "outcome": self.outcome,
            "lsoas": list(self.lsoas),
            "start": self.start.isoformat(),
        }
        if self.rate_ratio is not None:
            out["rate_ratio"] = self.rate_ratio
        if self.percentage_points is not None:
            out["percentage_points"] = self.percentage_points
        return out


def parse_programmes(value: Any, source: str) -> tuple[ProgrammeEffect, ...]:
    """`programmes:` of an effects file: a list of mappings with the fields of
    `ProgrammeEffect` (start as YYYY-MM-DD)."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ArgumentError(f"{source}.programmes must be a list of programme effects.")
    out = []
    for number, item in enumerate(value, start=1):
        where = f"{source}.programmes[{number}]"
        if isinstance(item, ProgrammeEffect):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            raise ArgumentError(f"{where} must be a mapping with {', '.join(_FIELDS)}.")
        unknown = sorted(set(item) - set(_FIELDS))
        missing = [f for f in ("name", "outcome", "lsoas", "start") if f not in item]
        if unknown or missing:
            problem = f"unknown field {unknown[0]!r}" if unknown else f"no {missing[0]!r}"
            raise ArgumentError(f"{where} has {problem}; the fields are {', '.join(_FIELDS)}.")
        try:
            start = date.fromisoformat(str(item["start"]))
        except ValueError:
            raise ArgumentError(f"{where}.start must be a date YYYY-MM-DD.") from None
        lsoas = item["lsoas"]
        if not isinstance(lsoas, Sequence) or isinstance(lsoas, str):
            raise ArgumentError(f"{where}.lsoas must be a list of LSOA 2021 codes.")
        out.append(
            ProgrammeEffect(
                name=str(item["name"]),
                outcome=str(item["outcome"]),
                lsoas=tuple(str(c) for c in lsoas),
                start=start,
                rate_ratio=_number(item.get("rate_ratio"), f"{where}.rate_ratio"),
                percentage_points=_number(
                    item.get("percentage_points"), f"{where}.percentage_points"
                ),
            )
        )
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise ArgumentError(f"{source}.programmes: each programme needs its own name.")
    return tuple(out)


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ArgumentError(f"{where} must be a number, got {value!r}.")
    return float(value)


def check_outcomes(programmes: Sequence[ProgrammeEffect], kinds: Mapping[str, str]) -> None:
    """Each programme names a drawn outcome of a kind that can take its effect (`kinds`:
    outcome key -> kind)."""
    for p in programmes:
        kind = kinds.get(p.outcome)
        if kind is None:
            raise ArgumentError(
                f"Programme {p.name!r} names outcome {p.outcome!r}, which this population does "
                f"not draw; drawn: {', '.join(sorted(kinds))}."
            )
        wanted = "rate" if p.rate_ratio is not None else "uptake"
        if kind != wanted:
            field = "rate_ratio" if wanted == "rate" else "percentage_points"
            raise ArgumentError(
                f"Programme {p.name!r}: {field} applies to {wanted} outcomes, and "
                f"{p.outcome!r} is a {kind}."
            )


def uptake_boost(
    programmes: Sequence[ProgrammeEffect],
    outcome: str,
    lsoa_number: np.ndarray,
    day: np.ndarray,
    epoch: np.datetime64,
) -> np.ndarray:
    """Probability added to each round (people's LSOA numbers, round days since `epoch`)."""
    boost = np.zeros(len(day))
    for p in programmes:
        if p.outcome != outcome or p.percentage_points is None:
            continue
        start = (np.datetime64(p.start, "D") - epoch).astype(np.int64)
        inside = np.isin(lsoa_number, p.lsoa_numbers()) & (day >= start)
        boost += np.where(inside, p.percentage_points / 100, 0.0)
    return boost


def thinned(
    programme: ProgrammeEffect,
    lsoa_number: np.ndarray,
    day: np.ndarray,
    uniforms: Any,
) -> np.ndarray:
    """Which events to keep: those outside the programme's LSOAs or before its start, and of the
    others those whose uniform is below the rate ratio. `uniforms(affected)` returns one
    uniform per affected event (a boolean mask over the events), from the programme's streams."""
    assert programme.rate_ratio is not None
    affected = np.isin(lsoa_number, programme.lsoa_numbers()) & (
        day >= np.datetime64(programme.start, "D")
    )
    keep = np.ones(len(day), dtype=bool)
    if affected.any():
        keep[affected] = uniforms(affected) < programme.rate_ratio
    return keep
