"""Hand-made results rows (docs/results.md columns) for the priorities tests.

The area tree used throughout: England E92000001 > Walsall LAD E08000030 > MSOA E02000001
"Walsall 001" > LSOAs E01000001.. ("Walsall 001A"..). Values and limits are given by hand; they
are inputs, so they need not be Wilson limits.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.indicators import load_catalogue
from healthgap.indicators.store import Results, publish

ENGLAND = ("england", "E92000001", "England", None)
LAD = ("lad24", "E08000030", "Walsall", "E92000001")
MSOA = ("msoa21", "E02000001", "Walsall 001", "E08000030")
CATALOGUE = load_catalogue()


def lsoa(k: int) -> tuple[str, str, str, str]:
    """The k-th LSOA (1-based) of MSOA E02000001."""
    return ("lsoa21", f"E0100000{k}", f"Walsall 001{'ABCDEFGHI'[k - 1]}", "E02000001")


def row(
    indicator: str,
    area: tuple[str, str, str, str | None],
    numerator: float,
    denominator: float,
    value: float | None = None,
    limits: tuple[float, float] | None = None,
    *,
    category: tuple[str, str] = ("all", "All"),
    period: str = "2025/26",
) -> dict[str, object]:
    """One results row; value defaults to x/n × multiplier and limits to value ± 1."""
    ind = CATALOGUE[indicator]
    k = ind.multiplier
    v = numerator / denominator * k if value is None else value
    lo, hi = (v - 1, v + 1) if limits is None else limits
    area_type, code, name, parent = area
    return {
        "indicator_id": indicator,
        "indicator_name": ind.name,
        "period": period,
        "area_type": area_type,
        "area_code": code,
        "area_name": name,
        "parent_code": parent,
        "category_type": category[0],
        "category": category[1],
        "numerator": float(numerator),
        "denominator": float(denominator),
        "value": v,
        "lowercl": lo,
        "uppercl": hi,
        "lower99_8cl": lo - 1,
        "upper99_8cl": hi + 1,
        "statistic": "percentage" if k == 100 else f"per {k:,.0f}",
        "method": "Wilson" if ind.method == "proportion" else "Dobson",
        "reason": None,
        "multiplier": float(k),
        "polarity": ind.polarity,
        "target": None if ind.target is None else ind.target.value,
    }


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    return out.astype({"parent_code": object, "reason": object, "target": float})


def no_core20(codes: list[str]) -> pd.DataFrame:
    """A Core20 table flagging none of `codes`."""
    return pd.DataFrame({"area_code": codes, "core20": [False] * len(codes)})


def store(root: Path, rows: list[dict[str, object]]) -> Results:
    """Publish `rows` as the results table of a new store at `root`."""
    inequalities = pd.DataFrame({"indicator_id": ["flu_vaccination_65_plus"], "measure": ["sii"]})
    return publish(
        root, {"results": frame(rows), "inequalities": inequalities}, {"backend": "duckdb"}
    )
