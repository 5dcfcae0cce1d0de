"""The reference data a profile needs about its place: key facts and the map.

`Reference` holds one row per LSOA 2021 (its MSOA, LAD and ICB, Census 2021 residents, IMD 2025
decile and Core20 flag) and a function returning boundary features; `Reference.from_mirror()`
fills it from `healthgap.geography` (the open-data mirror), and tests build small ones by hand.

Key facts (all from published reference data, so no disclosure control is needed):
- residents: Census 2021 usual residents, summed over the area's LSOAs;
- IMD decile: the LSOA's IMD 2025 decile; for a larger area, the decile of its median resident
  (LSOAs ordered by decile, the first whose cumulative residents reach half the total);
- Core20 share: residents of LSOAs in England's 20% most deprived (IMD 2025) / all residents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from healthgap.reports.maps import DECILE_FILLS, Feature, Layer, bounds, draw_map

LSOA_COLUMNS = [
    "lsoa21_code",
    "msoa21_code",
    "lad24_code",
    "icb24_code",
    "population",
    "imd_decile",
    "core20",
]
LEVEL_COLUMN = {
    "lsoa21": "lsoa21_code",
    "msoa21": "msoa21_code",
    "lad24": "lad24_code",
    "icb24": "icb24_code",
}
REFERENCE_SOURCES = (
    "census2021_age6",
    "imd2025_lsoa21",
    "lsoa21_sicbl24_icb24",
    "lsoa21_ward24_lad24",
    "boundaries_lsoa21",
    "boundaries_msoa21",
    "boundaries_lad24",
)

# (level, {"lad": code} or {"icb": code}) -> GeoJSON features with properties code and name
Shapes = Callable[[str, dict[str, str]], list[Feature]]


@dataclass(frozen=True)
class Vintage:
    """One data source behind a profile: what, who published it, which edition, licence."""

    title: str
    publisher: str
    vintage: str
    licence: str = ""


@dataclass(frozen=True)
class KeyFacts:
    """Residents (Census 2021), IMD 2025 decile (1 = most deprived; see module docstring),
    LSOAs in the area, LSOAs in the most deprived decile, and the Core20 share (0-1)."""

    residents: int
    imd_decile: int
    lsoas: int
    lsoas_decile_1: int
    core20_share: float


@dataclass(frozen=True)
class Reference:
    """LSOA reference table (LSOA_COLUMNS) plus boundaries; empty when there is no mirror."""

    lsoas: pd.DataFrame
    shapes: Shapes | None = None
    sources: tuple[Vintage, ...] = field(default_factory=tuple)

    @classmethod
    def empty(cls) -> Reference:
        return cls(pd.DataFrame(columns=LSOA_COLUMNS))

    @classmethod
    def from_mirror(cls) -> Reference:
        """From the open-data mirror via healthgap.geography; empty when it is unavailable."""
        from healthgap.config import DataConfig
        from healthgap.geography import area_table, boundaries, get_source

        config = DataConfig.from_env()
        if not config.mirror_available:
            return cls.empty()

        def shapes(level: str, within: dict[str, str]) -> list[Feature]:
            return boundaries(level, config=config, **within)["features"]

        sources = []
        for name in REFERENCE_SOURCES:
            source = get_source(name)
            sources.append(Vintage(source.title, source.publisher, source.vintage, source.licence))
        return cls(area_table("lsoa21", config)[LSOA_COLUMNS], shapes, tuple(sources))

    def lsoas_of(self, area_type: str, code: str) -> pd.DataFrame:
        """The reference rows of the LSOAs in an area (empty for an unknown level or code)."""
        column = LEVEL_COLUMN.get(area_type)
        if column is None or self.lsoas.empty:
            return self.lsoas.iloc[0:0]
        return self.lsoas[self.lsoas[column] == code]


def key_facts(reference: Reference, area_type: str, code: str) -> KeyFacts | None:
    """The area's key facts (module docstring), or None when the reference lacks the area."""
    rows = reference.lsoas_of(area_type, code)
    if rows.empty:
        return None
    ordered = rows.sort_values("imd_decile")
    residents = int(ordered["population"].sum())
    reached = ordered["population"].cumsum() >= residents / 2
    median_decile = int(ordered.loc[reached, "imd_decile"].iloc[0])
    core20 = int(ordered.loc[ordered["core20"].astype(bool), "population"].sum())
    return KeyFacts(
        residents=residents,
        imd_decile=median_decile,
        lsoas=len(ordered),
        lsoas_decile_1=int((ordered["imd_decile"] == 1).sum()),
        core20_share=core20 / residents if residents else 0.0,
    )


def area_map(reference: Reference, area_type: str, code: str, name: str) -> str | None:
    """An SVG map of the area among its neighbours, LSOAs shaded by IMD decile, or None.

    LSOA: the LSOAs of its LAD, its MSOA outlined, zoomed on the MSOA's surroundings. MSOA: the
    LAD's LSOAs and MSOA outlines. LAD: its LSOAs, the ICB's LADs outlined. ICB: its LSOAs and
    LAD outlines. The profiled area (not an ICB) is outlined in red, an LSOA's MSOA in yellow.
    """
    rows = reference.lsoas_of(area_type, code)
    if rows.empty or reference.shapes is None:
        return None
    lad, icb = str(rows["lad24_code"].mode().iloc[0]), str(rows["icb24_code"].mode().iloc[0])
    within = {"icb": icb} if area_type == "icb24" else {"lad": lad}
    base = reference.shapes("lsoa21", within)
    deciles = reference.lsoas.set_index("lsoa21_code")["imd_decile"]
    fills = {
        str(f["properties"]["code"]): DECILE_FILLS[int(deciles[f["properties"]["code"]]) - 1]
        for f in base
        if f["properties"]["code"] in deciles.index
    }
    layers = [Layer(base, fill="#ffffff", stroke="#ffffff", stroke_width=0.3, fills=fills)]
    outline_level = {"lsoa21": "msoa21", "msoa21": "msoa21"}.get(area_type, "lad24")
    outline_within = {"icb": icb} if outline_level == "lad24" else {"lad": lad}
    outlines = reference.shapes(outline_level, outline_within)
    layers.append(Layer(outlines, stroke="#425563", stroke_width=0.8))
    if area_type == "lsoa21":
        focus = [f for f in outlines if f["properties"]["code"] == rows["msoa21_code"].iloc[0]]
        own = [f for f in base if f["properties"]["code"] == code]
        margin = 0.6
    elif area_type == "icb24":  # the ICB is its LADs: outline them, no red (coarse) ICB line
        focus, own, margin = outlines, [], 0.03
        layers[-1] = Layer(outlines, stroke="#212b32", stroke_width=1.2)
    else:
        own = [f for f in outlines if f["properties"]["code"] == code]
        focus, margin = own, (0.8 if area_type == "msoa21" else 0.1)
    if not focus or (not own and area_type != "icb24"):
        return None
    if area_type == "lsoa21":  # its MSOA in NHS warm yellow, so it shows on dark deciles
        layers.append(Layer(focus, stroke="#ffb81c", stroke_width=2.0))
    layers.append(Layer(own, stroke="#d5281b", stroke_width=2.5))
    return draw_map(layers, bounds(focus).widened(margin), label=f"Map of {name}")
