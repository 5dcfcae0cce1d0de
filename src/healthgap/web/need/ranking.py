"""Priority rows as the app stores them: nested groups, units, and the public ranking.

`priority_frame(priorities, results, methods)` runs at load time (`loader.stage`), never in a
request. It fills the columns that older `priorities.parquet` files lack and adds the public
ranking (docs/priorities.md, "In the app"):

- an *entry* is one area of one indicator: its rows share `rank` and are ordered by
  `group_rank` (0 = Everyone); `lead` marks the entry's first row, the one that ranks it;
- `published` is False when the public protected results (`suppressed` in the results
  frame, from `healthgap.reports.published.public_results`) hide the row's figure, or when the
  row has no published figure at all;
- `public_rank`, `public_group_rank`, `public_lead`: the same ranking over the published rows
  only. An entry's key is its first published row (its Everyone row, else its first group);
  entries are ordered within each indicator by that row's headroom, largest first, ties to the
  larger lower limit, then area code, and numbered 1, 2, ... with no gaps. A hidden row is
  left out before ranking, so neither its place nor its neighbours bound its headroom.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

KEYS = ["indicator_id", "period", "area_code", "category_type", "category"]
UNITS = {"proportion": "people", "rate": "events", "dsr": "events"}
"""Headroom unit by indicator method (as `healthgap.priorities.rank.UNITS`)."""
_ENTRY = ["indicator_id", "period", "area_code", "rank"]


def priority_frame(
    priorities: pd.DataFrame, results: pd.DataFrame, methods: Mapping[str, str]
) -> pd.DataFrame:
    """`priorities` (store columns) with group_rank, lead, group, unit, share, published,
    public_rank, public_group_rank and public_lead filled in.

    `results`: the results rows with `KEYS` and, when the load protected them, `suppressed`;
    `methods`: indicator id -> method ("proportion", "rate", "dsr").
    """
    rows = priorities.reset_index(drop=True).copy()
    everyone = rows["category_type"].eq("all")
    if "group_rank" not in rows:
        rows["group_rank"] = np.where(everyone, 0, 1)
    rows["group_rank"] = rows["group_rank"].fillna(0).astype("int64")
    group = rows["group"] if "group" in rows else pd.Series("", index=rows.index)
    fallback = rows["category"].astype(str).where(~everyone, "Everyone")
    rows["group"] = group.where(group.notna() & group.astype(str).ne(""), fallback)
    unit = rows["unit"] if "unit" in rows else pd.Series(None, index=rows.index, dtype=object)
    rows["unit"] = unit.where(unit.notna(), rows["indicator_id"].map(methods).map(UNITS))
    rows["unit"] = rows["unit"].fillna("events")
    if "share" not in rows:
        rows["share"] = np.nan
    rows["published"] = _published(rows, results)
    rows = rows.sort_values([*_ENTRY, "group_rank"], kind="stable")
    rows["lead"] = ~rows.duplicated(_ENTRY)
    return _public_ranking(rows).sort_index()


def _published(rows: pd.DataFrame, results: pd.DataFrame) -> np.ndarray:
    """True where the row's figure is published: a results row with the same keys exists and is
    not suppressed (every row, when the results were not protected)."""
    if "suppressed" not in results:
        return np.ones(len(rows), dtype=bool)
    shown = results.loc[~results["suppressed"].astype(bool), KEYS].drop_duplicates()
    found = rows[KEYS].merge(shown.assign(_shown=True), on=KEYS, how="left")["_shown"]
    return found.fillna(False).astype(bool).to_numpy()


def _public_ranking(rows: pd.DataFrame) -> pd.DataFrame:
    """Add public_rank, public_group_rank and public_lead (module docstring)."""
    rows = rows.assign(public_rank=pd.NA, public_group_rank=pd.NA, public_lead=False)
    shown = rows[rows["published"]]
    if shown.empty:
        return rows
    lead = ~shown.duplicated(_ENTRY)
    has_all = shown.groupby(_ENTRY, sort=False)["category_type"].transform(
        lambda c: c.eq("all").any()
    )
    order = shown.groupby(_ENTRY, sort=False).cumcount()
    group_rank = np.where(has_all, order, order + 1)
    keys = shown[lead].sort_values(
        ["indicator_id", "period", "headroom", "headroom_lowercl", "area_code"],
        ascending=[True, True, False, False, True],
        na_position="last",
        kind="stable",
    )
    numbers = keys.groupby(["indicator_id", "period"], sort=False).cumcount() + 1
    entry_rank = keys[_ENTRY].assign(_public=numbers.to_numpy())
    ranked = shown[_ENTRY].merge(entry_rank, on=_ENTRY, how="left")["_public"].to_numpy()
    rows.loc[shown.index, "public_rank"] = ranked
    rows.loc[shown.index, "public_group_rank"] = group_rank
    rows.loc[shown.index, "public_lead"] = lead.to_numpy()
    return rows
