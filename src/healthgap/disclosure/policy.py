"""Disclosure policies as data: which counts are hidden (primary suppression) and how the rest
are rounded.

The `public` policy follows NHS Digital's (now NHS England's) disclosure control methodology for
Hospital Episode Statistics and the Emergency Care Data Set, applied since September 2018
("Disclosure control methodology for HES and ECDS", https://digital.nhs.uk/data-and-information/
data-tools-and-services/data-services/hospital-episode-statistics/
change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018):

* below national level a count of 0 is shown as 0, counts of 1 to 7 are replaced by `*`, and
  every other count is rounded to the nearest 5;
* percentages are calculated from the rounded numerator and denominator, and are `*` when either
  is `*` (so every value derived from a hidden count is hidden with it).

Because the tables here publish totals beside their parts, the public policy adds secondary
(complementary) suppression on top (see `healthgap.disclosure.suppress`). `none` leaves every
count as it is (analysts only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgap.errors import HealthgapError


class DisclosurePolicyError(HealthgapError, ValueError):
    """Raised when a disclosure policy is unknown or its thresholds are inconsistent."""


@dataclass(frozen=True)
class Policy:
    """A disclosure policy.

    Counts with `suppress_from <= count <= suppress_to` are hidden (primary suppression); other
    non-zero counts are rounded to the nearest `round_to` (0 or 1: no rounding). `secondary`
    switches complementary suppression on. `min_values` is the protection level: an intruder
    who solves every published sum must be left with at least this many possible values for
    each hidden small count (5 = as uncertain as a count rounded to the nearest 5).
    `suppress` False (policy `none`) publishes everything unchanged.
    """

    name: str
    suppress_from: int = 1
    suppress_to: int = 7
    round_to: int = 5
    secondary: bool = True
    min_values: int = 5
    suppress: bool = True

    def __post_init__(self) -> None:
        if self.suppress and not 0 < self.suppress_from <= self.suppress_to:
            raise DisclosurePolicyError(
                f"Policy {self.name!r} must suppress a range of positive counts, but it was"
                f" given {self.suppress_from} to {self.suppress_to}."
            )
        if self.suppress and self.min_values > self.suppress_to - self.suppress_from + 1:
            raise DisclosurePolicyError(
                f"Policy {self.name!r} asks for {self.min_values} possible values per hidden"
                f" count, more than the {self.suppress_to - self.suppress_from + 1} counts it"
                " hides."
            )
        if self.round_to < 0:
            raise DisclosurePolicyError(f"Policy {self.name!r} has a negative rounding base.")

    def primary(self, counts: np.ndarray) -> np.ndarray:
        """True where a count is a small number to hide (NaN counts are not)."""
        counts = np.asarray(counts, dtype=float)
        if not self.suppress:
            return np.zeros(counts.shape, dtype=bool)
        return (counts >= self.suppress_from) & (counts <= self.suppress_to)

    def round(self, counts: np.ndarray) -> np.ndarray:
        """Counts rounded to the nearest `round_to` (halves up); NaN stays NaN."""
        counts = np.asarray(counts, dtype=float)
        if not self.suppress or self.round_to <= 1:
            return counts.copy()
        return np.floor(counts / self.round_to + 0.5) * self.round_to

    def published_interval(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What an intruder knows of a visible count from its rounded value: [low, high].

        A rounded r stands for r - base/2 .. r + base/2, less the hidden small counts: 0 is
        exact (1 and 2 are hidden), 10 is 8..12 under the public policy.
        """
        rounded = self.round(counts)
        if not self.suppress or self.round_to <= 1:
            return rounded, rounded.copy()
        half = (self.round_to - 1) // 2
        low = np.maximum(rounded - half, 0)
        low = np.where(rounded > 0, np.maximum(low, self.suppress_to + 1), low)
        high = np.where(rounded > 0, rounded + (self.round_to - 1 - half), 0.0)
        return low, high


POLICIES = {
    "public": Policy("public"),
    "none": Policy("none", suppress=False, secondary=False, round_to=1),
}


def get_policy(policy: str | Policy) -> Policy:
    """The named policy (`public` or `none`), or the Policy given."""
    if isinstance(policy, Policy):
        return policy
    try:
        return POLICIES[policy]
    except KeyError:
        raise DisclosurePolicyError(
            f"Unknown disclosure policy {policy!r}; use one of {', '.join(POLICIES)}."
        ) from None
