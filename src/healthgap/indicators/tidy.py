"""Turn aggregated counts into the tidy results table (docs/results.md): each indicator's
statistic with 95% and 99.8% limits from `healthgap.stats`, plus area names and parents."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from healthgap.indicators.definitions import Indicator
from healthgap.stats import dsr, proportion, rate

KEYS = ["indicator_id", "period", "area_type", "area_code", "category_type", "category"]
LIMITS = {"lower95_0cl": "lowercl", "upper95_0cl": "uppercl"}
COLUMNS = [
    "indicator_id", "indicator_name", "period", "area_type", "area_code", "area_name",
    "parent_code", "category_type", "category", "numerator", "denominator", "value", "lowercl",
    "uppercl", "lower99_8cl", "upper99_8cl", "statistic", "method", "reason", "multiplier",
    "polarity", "target",
]  # fmt: skip


def statistics(counts: pd.DataFrame, indicators: Mapping[str, Indicator]) -> pd.DataFrame:
    """One row per KEYS with value and limits, computed by each indicator's method.

    Proportions use Wilson limits, crude rates Byar/exact Poisson, DSRs Dobson with the
    indicator's standard population (its age bands are summed here, so `age_band` goes).
    Indicators sharing a method and multiplier are computed together; catalogue fields are
    looked up once per indicator, never per row.
    """
    ids = counts["indicator_id"]
    present = [i for i in pd.unique(ids) if pd.notna(i)]
    batches: dict[tuple[str, float], list[str]] = {}
    for ident in present:
        ind = indicators[ident]
        batches.setdefault((ind.method, float(ind.multiplier)), []).append(ident)
    parts = [
        _one_method(method, multiplier, counts[ids.isin(members)], indicators)
        for (method, multiplier), members in sorted(batches.items())
    ]
    out = pd.concat(parts, ignore_index=True).rename(columns=LIMITS)
    field = {
        "multiplier": lambda i: i.multiplier,
        "polarity": lambda i: i.polarity,
        "target": lambda i: np.nan if i.target is None else i.target.value,
        "indicator_name": lambda i: i.name,
    }
    for column, get in field.items():
        out[column] = out["indicator_id"].map({k: get(indicators[k]) for k in present})
    return out


def _one_method(
    method: str, multiplier: float, chunk: pd.DataFrame, indicators: Mapping[str, Indicator]
) -> pd.DataFrame:
    levels = (0.95, 0.998)
    if method == "dsr":
        filled, added = _all_bands(chunk, indicators)
        out = dsr(
            filled, "numerator", "denominator", group_by=KEYS, stdpop="standard_population",
            confidence=levels, multiplier=multiplier,
        ).rename(columns={"total_count": "numerator", "total_pop": "denominator"})  # fmt: skip
        out["denominator"] -= out.merge(added, on=KEYS, how="left")["added"].fillna(0).to_numpy()
        return out
    chunk = chunk.drop(columns=["age_band", "standard_population"], errors="ignore")
    if method == "rate":
        return rate(chunk, "numerator", "denominator", confidence=levels, multiplier=multiplier)
    return proportion(chunk, "numerator", "denominator", confidence=levels, multiplier=multiplier)


def with_areas(results: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Add `area_name` and `parent_code` (the next level up holding most of the area's LSOAs;
    ties go to the smallest parent code, as `Series.mode` orders them)."""
    names, parents = {}, {}
    chain = ["lsoa21", "msoa21", "lad24", "icb24", "region24", "england"]
    frame = areas.assign(england="E92000001", england_name="England")
    for level, parent in zip(chain, [*chain[1:], None], strict=True):
        names.update(dict(zip(frame[level], frame[f"{level}_name"], strict=True)))
        if parent is not None:
            sizes = frame.groupby([level, parent]).size().rename("lsoas").reset_index()
            sizes = sizes.sort_values([level, "lsoas", parent], ascending=[True, False, True])
            main = sizes.drop_duplicates(level)
            parents.update(zip(main[level], main[parent], strict=True))
    out = results.assign(
        area_name=results["area_code"].map(names), parent_code=results["area_code"].map(parents)
    )
    return out.reindex(columns=COLUMNS)


def _all_bands(
    chunk: pd.DataFrame, indicators: Mapping[str, Indicator]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every standard band in every DSR group, so each band's weight counts in the total W.

    A band with nobody in it has no events and contributes x·w/n = 0 and x·(w/n)² = 0 to the
    DSR and its variance, but its weight must stay in W = Σw (PHE's calculate_dsr sums w over
    the rows given). Such bands are added with x = 0 and n = 1 (any n > 0 gives the same
    terms); the 1s are counted in `added` and taken off the reported population afterwards.
    """
    bands = pd.DataFrame(
        [
            (ident, band, weight)
            for ident in chunk["indicator_id"].unique()
            for band, weight in indicators[ident].standard_weights.items()
        ],
        columns=["indicator_id", "age_band", "standard_population"],
    )
    groups = chunk[KEYS].drop_duplicates()
    full = groups.merge(bands, on="indicator_id")
    merged = full.merge(chunk[[*KEYS, "age_band", "numerator", "denominator"]], how="left")
    empty = merged["denominator"].isna() | (merged["denominator"] == 0)
    merged.loc[empty, ["numerator", "denominator"]] = [0, 1]
    added = merged[empty].groupby(KEYS).size().rename("added").reset_index()
    return merged, added
