"""Equity impact of a programme: did the gap narrow in the area holding its areas?

The change in PHE's slope and relative indices of inequality (SII, RII) across IMD deciles and
in the Core20-versus-rest gap (WHO HEAT `d`) of the smallest local authority (else ICB) holding
every programme area, from the last annual period ending before the start to the latest period
(`evaluation.equity_impact`: a difference of two independent estimates). PHE's SII and RII
carry simulated 95% limits and no SE, so their SE is (upper − lower) / (2 × 1.96). As on
profiles, a gap is hidden when a figure it is computed from (the area's rows of its breakdown
in either period) is hidden in the published results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from healthgap.evaluation import Effect, equity_impact
from healthgap.evaluation.effect import Z95
from healthgap.indicators.definitions import Indicator

AREA_COLUMNS = ("lsoa21", "msoa21", "lad24", "icb24")
EQUITY = (
    ("imd_decile", "sii", "Slope index of inequality (SII) across IMD deciles"),
    ("imd_decile", "rii", "Relative index of inequality (RII) across IMD deciles"),
    ("core20", "d", "Gap between Core20 (most deprived 20%) and the rest"),
)
HIDDEN_GAP = "Hidden: a figure it is computed from is hidden to protect small numbers."
NO_MEASURES = (
    "The equity impact needs published inequality measures for an area holding the "
    "programme's areas, before and after the start."
)


@dataclass(frozen=True)
class EquityChanges:
    """`lines`: (title, effect or None when hidden, sentence) per measure; `area`: the holding
    area's code; `message`: why there are no lines (empty when there are)."""

    lines: tuple[tuple[str, Effect | None, str], ...] = ()
    area: str = ""
    message: str = ""


def equity_changes(
    inequalities: pd.DataFrame,
    indicator: Indicator,
    codes: Sequence[str],
    start: date,
    areas: pd.DataFrame,
    published: pd.DataFrame | None = None,
) -> EquityChanges:
    """The changes of the module docstring for the programme areas `codes` from `start`;
    `inequalities` as inequalities.parquet, `areas` one row per LSOA with the area columns,
    `published` the results as the policy publishes them (None: nothing hidden)."""
    table = inequalities[inequalities["indicator_id"] == indicator.id]
    ends = {p.label: p.end for p in indicator.periods}
    before = [p for p, end in ends.items() if end < start and p in set(table["period"])]
    latest = [p for p in ends if p in set(table["period"])]
    area = holding_area(areas, codes, set(table["area_code"]))
    if not before or not latest or latest[-1] == before[-1] or area is None:
        return EquityChanges(message=NO_MEASURES)
    periods = (before[-1], latest[-1])
    chosen = table[(table["area_code"] == area)]
    wanted = {(d, m) for d, m, _ in EQUITY}
    pairs = zip(chosen["dimension"], chosen["measure"], strict=True)
    chosen = chosen[[pair in wanted for pair in pairs]]
    if {"lowercl", "uppercl"} <= set(chosen.columns):
        width = chosen["uppercl"] - chosen["lowercl"]
        chosen = chosen.assign(se=chosen["se"].fillna(width / 2 / Z95))
    changes = equity_impact(chosen, *periods)
    lines = []
    for dimension, measure, label in EQUITY:
        row = changes[(changes["dimension"] == dimension) & (changes["measure"] == measure)]
        if row.empty:
            continue
        r, title = row.iloc[0], f"{label}, {periods[0]} to {periods[1]}"
        if published is not None and _hidden(published, indicator, area, dimension, periods):
            lines.append((title, None, HIDDEN_GAP))
            continue
        effect = Effect(
            r["change"], r["lowercl"], r["uppercl"], r["p_value"], float("nan"), r["sentence"]
        )
        lines.append((title, effect, r["sentence"] + "."))
    return EquityChanges(tuple(lines), area)


def _hidden(
    published: pd.DataFrame, indicator: Indicator, area: str, dimension: str, periods: tuple
) -> bool:
    """True when a published figure of `area`'s `dimension` breakdown, in either period of
    the change, is hidden."""
    rows = published[
        (published["indicator_id"] == indicator.id)
        & (published["area_code"] == area)
        & (published["category_type"] == dimension)
        & published["period"].isin(periods)
    ]
    return bool(rows["suppressed"].any())


def holding_area(areas: pd.DataFrame, codes: Sequence[str], published: set[str]) -> str | None:
    """The smallest local authority or ICB (with published inequalities) holding all `codes`."""
    rows = areas[
        np.logical_or.reduce([areas[c].isin(codes) for c in AREA_COLUMNS if c in areas.columns])
    ]
    for column in ("lad24", "icb24"):
        holders = rows[column].unique() if column in rows else []
        if len(holders) == 1 and holders[0] in published:
            return str(holders[0])
    return None
