"""Plumbing shared by the standardised statistics (DSR, ISR): group codes and argument checks.

The standardised statistics combine several per-row quantities within each group (x·w/n,
x·(w/n)², expected counts, …). Numbering the groups once and summing with `np.bincount` keeps
that vectorised: one pass over the rows per quantity, however many groups there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError


@dataclass(frozen=True)
class GroupIndex:
    """The group of every row, numbered 0..count−1 in sorted group order.

    `keys` has one row per group holding the group columns (no columns when ungrouped: the
    whole frame is then one group, as R's `summarise` gives one row even for no input rows).
    Missing group values form their own group, sorted last.
    """

    codes: np.ndarray
    keys: pd.DataFrame

    @classmethod
    def of(cls, df: pd.DataFrame, groups: list[str]) -> GroupIndex:
        if not groups:
            return cls(np.zeros(len(df), dtype=np.intp), pd.DataFrame(index=range(1)))
        grouped = df.groupby(groups, sort=True, dropna=False, observed=True)
        codes = grouped.ngroup().to_numpy(dtype=np.intp)
        keys = grouped.size().index.to_frame(index=False)
        return cls(codes, keys)

    @property
    def count(self) -> int:
        return len(self.keys)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per-group sums of a per-row float array (a NaN makes its group's sum NaN)."""
        return np.bincount(self.codes, weights=values, minlength=self.count)

    def sizes(self) -> np.ndarray:
        """Number of rows in each group."""
        return np.bincount(self.codes, minlength=self.count)

    def names(self, which: np.ndarray) -> list[tuple[object, ...]]:
        """Groups as tuples of their values: a mask over groups, or an array of group codes."""
        return [tuple(row) for row in self.keys.iloc[np.asarray(which)].itertuples(index=False)]


def require_positive(value: object, name: str, function: str) -> None:
    """Raise ArgumentError unless `value` is a number above zero (a multiplier, a refvalue)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ArgumentError(f"{function}: {name} must be numeric")
    if not value > 0:
        raise ArgumentError(f"{function}: {name} must be greater than 0")
