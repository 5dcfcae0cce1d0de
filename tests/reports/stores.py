"""A small hand-made results store and reference data for the report tests.

Area tree: ICB E54000062 "Test ICB" > LAD E08000030 "Walsall" > MSOAs E02000001..3
("Walsall 001".."003") > 4 LSOAs each, E01000001..E01000012 ("Walsall 001A".."003D").
Every count adds up: LSOA -> MSOA -> LAD -> ICB, and the LAD's and ICB's IMD-decile rows sum to
their All rows. LSOA k has IMD decile DECILES[k-1] and POPULATION[k-1] residents.

Small counts are planted on purpose: LSOA E01000005 ("Walsall 002A") has 3 people vaccinated
of 6 (flu), so a public report must hide it (and its complements), and the policy "none" shows
it; a priority on that LSOA must not be listed in a public report.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from healthgap.indicators.store import Results, publish
from healthgap.reports.maps import Feature
from healthgap.reports.place import Reference, Vintage
from tests.priorities.stores import frame, row

ICB = ("icb24", "E54000062", "Test ICB", None)
LAD = ("lad24", "E08000030", "Walsall", "E54000062")
MSOAS = [("msoa21", f"E0200000{m}", f"Walsall 00{m}", "E08000030") for m in (1, 2, 3)]
LSOAS = [
    (
        "lsoa21",
        f"E010000{k:02d}",
        f"Walsall 00{(k - 1) // 4 + 1}{'ABCD'[(k - 1) % 4]}",
        f"E0200000{(k - 1) // 4 + 1}",
    )
    for k in range(1, 13)
]
DECILES = [1, 2, 3, 4, 1, 5, 6, 7, 8, 9, 10, 10]
POPULATION = [1000, 1200, 1400, 1600, 1500, 1500, 1500, 1500, 1100, 1100, 1100, 1100]
CORE20 = [d <= 2 for d in DECILES]
SMALL_LSOA = "E01000005"
PERIOD = "2025/26"
# (numerator, denominator) per LSOA for each indicator
COUNTS = {
    "flu_vaccination_65_plus": [
        (150, 200),
        (160, 220),
        (170, 230),
        (180, 240),
        (3, 6),
        (200, 260),
        (210, 270),
        (220, 280),
        (230, 290),
        (240, 300),
        (250, 310),
        (260, 320),
    ],
    "diabetes_recorded_prevalence": [
        (80, 900),
        (90, 1000),
        (95, 1100),
        (100, 1200),
        (110, 1300),
        (105, 1250),
        (100, 1300),
        (95, 1250),
        (60, 900),
        (55, 900),
        (50, 950),
        (45, 950),
    ],
}


def results_rows() -> list[dict[str, object]]:
    """Every row of the store's results table (docs/results.md columns)."""
    rows = []
    for indicator, counts in COUNTS.items():
        totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        by_decile: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for lsoa, (x, n), decile in zip(LSOAS, counts, DECILES, strict=True):
            rows.append(row(indicator, lsoa, x, n, period=PERIOD))
            for code in (lsoa[3], LAD[1], ICB[1]):
                totals[code][0] += x
                totals[code][1] += n
            by_decile[decile][0] += x
            by_decile[decile][1] += n
        for area in [*MSOAS, LAD, ICB]:
            rows.append(row(indicator, area, *totals[area[1]], period=PERIOD))
        for area in (LAD, ICB):
            for decile, (x, n) in sorted(by_decile.items()):
                rows.append(
                    row(indicator, area, x, n, category=("imd_decile", str(decile)), period=PERIOD)
                )
    return rows


def inequality_rows() -> pd.DataFrame:
    """SII rows for the LAD and the ICB (values are inputs, chosen by hand)."""
    rows = []
    for indicator, sii in (
        ("flu_vaccination_65_plus", 12.5),
        ("diabetes_recorded_prevalence", -4.25),
    ):
        for area in (LAD, ICB):
            rows.append(
                {
                    "indicator_id": indicator,
                    "period": PERIOD,
                    "area_type": area[0],
                    "area_code": area[1],
                    "dimension": "imd_decile",
                    "measure": "sii",
                    "value": sii,
                    "se": None,
                    "lowercl": sii - 2,
                    "uppercl": sii + 2,
                    "method": "PHE SII",
                    "reason": None,
                }
            )
    return pd.DataFrame(rows)


def priority_rows() -> pd.DataFrame:
    """Four ranked priorities: rank 1 on the small-count LSOA (must be dropped when public),
    three for flu and one for diabetes (rank 4)."""
    rows = []
    for rank, indicator, k, headroom, benchmark in (
        (1, "flu_vaccination_65_plus", 5, 99.0, 75.0),
        (2, "flu_vaccination_65_plus", 2, 42.4, 75.0),
        (3, "flu_vaccination_65_plus", 9, 17.6, 75.0),
        (4, "diabetes_recorded_prevalence", 9, 12.0, 6.0),
    ):
        lsoa = LSOAS[k - 1]
        x, n = COUNTS[indicator][k - 1]
        base = row(indicator, lsoa, x, n, period=PERIOD)
        rows.append(
            {
                "rank": rank,
                **{
                    c: base[c]
                    for c in (
                        "indicator_id",
                        "indicator_name",
                        "period",
                        "area_type",
                        "area_code",
                        "area_name",
                        "parent_code",
                        "category_type",
                        "category",
                        "numerator",
                        "denominator",
                        "value",
                        "lowercl",
                        "uppercl",
                    )
                },
                "smoothed_value": base["value"],
                "smoothed_lowercl": base["lowercl"],
                "smoothed_uppercl": base["uppercl"],
                "benchmark_value": benchmark,
                "benchmark_source": "target",
                "headroom": headroom,
                "headroom_lowercl": headroom - 10,
                "headroom_uppercl": headroom + 10,
                "core20": CORE20[k - 1],
                "plus_group": False,
                "core20plus5": None,
                "explanation": f"{lsoa[2]}: {x:.0f} of {n:.0f}",
            }
        )
    return pd.DataFrame(rows)


def make_store(root: Path, *, england: bool = False) -> Results:
    """Publish the store; `england` adds England rows (as an England run would have)."""
    rows = results_rows()
    if england:
        rows += [
            row(
                "flu_vaccination_65_plus",
                ("england", "E92000001", "England", None),
                7000,
                10000,
                limits=(69.0, 71.0),
                period=PERIOD,
            ),
            row(
                "diabetes_recorded_prevalence",
                ("england", "E92000001", "England", None),
                700,
                10000,
                limits=(6.5, 7.5),
                period=PERIOD,
            ),
        ]
    tables = {
        "results": frame(rows),
        "inequalities": inequality_rows(),
        "priorities": priority_rows(),
    }
    manifest = {
        "backend": "duckdb",
        "population": "tests/hand-made",
        "indicators": {k: "2026-11-28" for k in COUNTS},
        "rows": len(rows),
    }
    return publish(root, tables, manifest)


def rect(code: str, name: str, west: float, south: float, width: float, height: float) -> Feature:
    """A rectangular GeoJSON polygon feature (lon/lat degrees)."""
    east, north = west + width, south + height
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def reference() -> Reference:
    """LSOAs as 0.01-degree squares in a 4 x 3 grid near Walsall; the MSOAs are the grid's rows
    and the LAD the whole grid."""
    lsoas = pd.DataFrame(
        {
            "lsoa21_code": [a[1] for a in LSOAS],
            "msoa21_code": [a[3] for a in LSOAS],
            "lad24_code": LAD[1],
            "icb24_code": ICB[1],
            "population": POPULATION,
            "imd_decile": DECILES,
            "core20": CORE20,
        }
    )
    west, south, step = -2.0, 52.58, 0.01
    shapes = {
        "lsoa21": [
            rect(a[1], a[2], west + step * (k % 4), south + step * (k // 4), step, step)
            for k, a in enumerate(LSOAS)
        ],
        "msoa21": [
            rect(a[1], a[2], west, south + step * i, 4 * step, step) for i, a in enumerate(MSOAS)
        ],
        "lad24": [rect(LAD[1], LAD[2], west, south, 4 * step, 3 * step)],
    }

    def lookup(level: str, within: dict[str, str]) -> list[Feature]:
        return shapes.get(level, [])

    return Reference(lsoas, lookup, (Vintage("Hand-made test areas", "tests", "2026"),))
