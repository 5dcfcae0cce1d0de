"""Figures for neighbourhoods built from their LSOAs: an MSOA's IMD score and decile, the
best-fit parent of an area, and the Core20 share of an area's residents.

These are derived figures, not official statistics: MHCLG publishes the IMD for LSOAs only.

- MSOA IMD score: the population-weighted mean of its LSOAs' IMD scores,
  `sum(score_i * population_i) / sum(population_i)` (as in the House of Commons Library's
  MSOA-level IMD); NaN for an MSOA with no residents.
- MSOA IMD decile: rank the MSOA scores from the highest (most deprived) down, ties broken by
  order of appearance; with n scored MSOAs, rank r (1-based) is in decile
  `(r - 1) * 10 // n + 1`, so decile 1 is the most deprived tenth. An MSOA without a score has
  no decile.
- Best-fit parent: the parent holding most of the area's LSOAs; ties go to the lower parent
  code.
- Core20 share: the share (0-1) of an area's residents living in Core20 LSOAs (the most
  deprived fifth of England's LSOAs by IMD); 0 for an area with no residents. An area counts as
  Core20 when more than half its residents live in Core20 LSOAs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: An area is Core20 when its Core20 share is above this.
CORE20_MAJORITY = 0.5


def msoa_imd(
    lsoas: pd.DataFrame,
    *,
    msoa: str = "msoa21_code",
    score: str = "imd_score",
    population: str = "population",
) -> pd.DataFrame:
    """MSOA IMD score and decile from LSOA rows (module docstring for the formulas).

    `lsoas`: one row per LSOA with its MSOA code, IMD score and population (usual residents).
    Returns one row per MSOA: `msoa` code, `imd_score` (float) and `imd_decile` (Int64, 1 = most
    deprived). The deciles are national when `lsoas` covers England.
    """
    weighted = lsoas.assign(_weighted=lsoas[score] * lsoas[population])
    sums = weighted.groupby(msoa)[["_weighted", population]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = sums["_weighted"] / sums[population]
    return pd.DataFrame({"imd_score": scores, "imd_decile": deciles(scores)}).reset_index()


def deciles(scores: pd.Series) -> pd.Series:
    """Decile of each score among the non-missing ones, 1 = highest score (most deprived):
    rank r of n (highest first, ties by position) -> `(r - 1) * 10 // n + 1`; NA stays NA."""
    rank = scores.rank(method="first", ascending=False)
    return ((rank - 1) * 10 // scores.notna().sum() + 1).astype("Int64")


def best_fit_parent(lsoas: pd.DataFrame, child: str, parent: str) -> pd.Series:
    """Child code -> the parent code holding most of its LSOA rows (ties: the lower code).

    `lsoas`: one row per LSOA with the `child` and `parent` code columns.
    """
    counts = lsoas.groupby([child, parent]).size().rename("n").reset_index()
    counts = counts.sort_values([child, "n", parent], ascending=[True, False, True])
    return counts.drop_duplicates(child).set_index(child)[parent]


def core20_share(population: pd.Series, core20: pd.Series) -> float:
    """Share (0-1) of the residents in `population` (per LSOA) living in LSOAs where `core20`
    is true: `sum(population where core20) / sum(population)`; 0.0 when there are none."""
    total = float(population.sum())
    return float(population.where(core20, 0).sum()) / total if total else 0.0


def is_core20(share: float | None) -> bool:
    """Whether an area with this Core20 share counts as Core20 (more than half its residents);
    False when the share is unknown."""
    return share is not None and bool(share > CORE20_MAJORITY)
