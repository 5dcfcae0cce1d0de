"""Hand-made results stores for the need tests, written with `healthgap.indicators.store.publish`.

Areas are those of the geography fixture mirror (tests/geography/mirror_fixture.py): ICB
E54000001 holds LSOAs E01000001-5 in MSOAs E02000001 (LSOAs 1, 2), E02000002 (3) and
E02000003 (4, 5); E01000006 belongs to the other ICB. Every figure below is invented input: the
tests check that the web app shows (or withholds) exactly these numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from healthgap.indicators.store import Results, publish

ICB = "E54000001"
ENGLAND = "E92000001"
FLU = "flu_vaccination_65_plus"  # in the catalogue: proportion, x100, higher is better
ADMISSIONS = "emergency_admissions_dsr"  # in the catalogue: DSR, lower is better
PERIOD = "2024/25"

_NAMES = {FLU: "Flu vaccination coverage, people aged 65 and over",
          ADMISSIONS: "Emergency admissions (DSR)"}  # fmt: skip
_META = {FLU: (100.0, "higher_is_better", 75.0, "Wilson"),
         ADMISSIONS: (100000.0, "lower_is_better", None, "Dobson")}  # fmt: skip

#: (indicator, area_type, area_code, category_type, category, num, den, value, lowercl, uppercl)
RESULTS = [
    (FLU, "lsoa21", "E01000001", "all", "All", 5, 40, 12.5, 5.5, 26.1),
    (FLU, "lsoa21", "E01000002", "all", "All", 30, 40, 75.0, 59.8, 85.8),
    (FLU, "lsoa21", "E01000003", "all", "All", 20, 50, 40.0, 27.6, 53.8),
    (FLU, "lsoa21", "E01000004", "all", "All", 60, 80, 75.0, 64.5, 83.2),
    (FLU, "lsoa21", "E01000005", "all", "All", 10, 100, 10.0, 5.5, 17.4),
    (FLU, "lsoa21", "E01000002", "ethnicity5", "Asian", 3, 10, 30.0, 10.8, 60.3),
    (FLU, "msoa21", "E02000001", "all", "All", 35, 80, 43.75, 33.4, 54.6),
    (FLU, "msoa21", "E02000002", "all", "All", 20, 50, 40.0, 27.6, 53.8),
    (FLU, "msoa21", "E02000003", "all", "All", 70, 180, 38.9, 32.1, 46.2),
    (FLU, "icb24", ICB, "all", "All", 125, 310, 40.3, 35.0, 45.8),
    (FLU, "england", ENGLAND, "all", "All", 8_000_000, 10_000_000, 80.0, 79.9, 80.1),
    (FLU, "lsoa21", "E01000006", "all", "All", 50, 60, 83.3, 71.9, 90.7),  # other ICB
    (ADMISSIONS, "lsoa21", "E01000002", "all", "All", 40, 1000, 3900.0, 2700.0, 5400.0),
    (ADMISSIONS, "icb24", ICB, "all", "All", 900, 60000, 1450.0, 1350.0, 1560.0),
    (ADMISSIONS, "england", ENGLAND, "all", "All", 5_000_000, 56_000_000, 1400.0, 1399.0, 1401.0),
]

INEQUALITIES = [
    # indicator, area_code, dimension, measure, value, se, lowercl, uppercl
    (FLU, ICB, "imd_decile", "sii", -20.5, 4.9, -30.1, -10.9),
    (FLU, ICB, "imd_decile", "rii", 0.6, 0.1, 0.4, 0.8),
    (FLU, "E01000001", "imd_decile", "sii", -1.0, 0.5, -2.0, 0.0),
]

#: rank, indicator, area_type, area_code, category_type, category, num, den, value, headroom,
#: core20, plus_group, explanation
PRIORITIES = [
    (1, FLU, "lsoa21", "E01000005", "ethnicity5", "Black", 10, 100, 10.0, 65.0, False, True,
     "Flu vaccination for Black residents of Beta 001B: 65 more people."),
    (2, FLU, "lsoa21", "E01000001", "all", "All", 5, 40, 12.5, 25.0, True, False,
     "Flu vaccination in Alpha 001A: 5 of 40 people vaccinated."),
    (3, FLU, "msoa21", "E02000003", "all", "All", 70, 180, 38.9, 65.0, False, False,
     "Flu vaccination in Beta 001: 65 more people."),
    (4, FLU, "lsoa21", "E01000003", "all", "All", 20, 50, 40.0, 17.5, False, False,
     "Flu vaccination in Alpha 002A: 17.5 more people."),
]  # fmt: skip

PARENTS = {"E01000001": "E02000001", "E01000002": "E02000001", "E01000003": "E02000002",
           "E01000004": "E02000003", "E01000005": "E02000003", "E01000006": "E02000004",
           "E02000001": "E08000001", "E02000002": "E08000001", "E02000003": "E08000002",
           ICB: "E12000005", ENGLAND: None}  # fmt: skip


def results_frame(rows: list[tuple[Any, ...]] = RESULTS) -> pd.DataFrame:
    records = []
    for indicator, area_type, code, ctype, category, num, den, value, lo, hi in rows:
        multiplier, polarity, target, method = _META[indicator]
        records.append({
            "indicator_id": indicator, "indicator_name": _NAMES[indicator], "period": PERIOD,
            "area_type": area_type, "area_code": code, "area_name": code,
            "parent_code": PARENTS.get(code), "category_type": ctype, "category": category,
            "numerator": float(num), "denominator": float(den), "value": value,
            "lowercl": lo, "uppercl": hi, "lower99_8cl": lo - 1, "upper99_8cl": hi + 1,
            "statistic": "percentage" if method == "Wilson" else "dsr per 100000",
            "method": method, "reason": None,
            "multiplier": multiplier, "polarity": polarity, "target": target,
        })  # fmt: skip
    return pd.DataFrame(records)


def inequalities_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"indicator_id": ind, "period": PERIOD, "area_type": "icb24", "area_code": code,
             "dimension": dim, "measure": measure, "value": value, "se": se, "lowercl": lo,
             "uppercl": hi, "method": "PHE phe_sii", "reason": None}
            for ind, code, dim, measure, value, se, lo, hi in INEQUALITIES
        ]
    )  # fmt: skip


def priorities_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"rank": rank, "indicator_id": ind, "indicator_name": _NAMES[ind], "period": PERIOD,
             "area_type": atype, "area_code": code, "area_name": code,
             "parent_code": PARENTS.get(code), "category_type": ctype, "category": cat,
             "numerator": float(num), "denominator": float(den), "value": value,
             "lowercl": value - 5, "uppercl": value + 5, "smoothed_value": value + 1,
             "smoothed_lowercl": value - 4, "smoothed_uppercl": value + 6,
             "benchmark_value": 75.0, "benchmark_source": "target", "headroom": headroom,
             "headroom_lowercl": headroom - 10, "headroom_uppercl": headroom + 10,
             "core20": core20, "plus_group": plus, "core20plus5": None, "explanation": text}
            for rank, ind, atype, code, ctype, cat, num, den, value, headroom, core20, plus, text
            in PRIORITIES
        ]
    )  # fmt: skip


def write_store(
    root: Path,
    *,
    results: pd.DataFrame | None = None,
    inequalities: pd.DataFrame | None = None,
    priorities: pd.DataFrame | None = None,
) -> Results:
    """Publish a version with the given tables (default: all three hand-made tables); a
    frame without columns leaves its table out."""
    tables = {
        "results": results_frame() if results is None else results,
        "inequalities": inequalities_frame() if inequalities is None else inequalities,
        "priorities": priorities_frame() if priorities is None else priorities,
    }
    tables = {name: frame for name, frame in tables.items() if len(frame.columns)}
    return publish(root, tables, {"backend": "hand-made"})
