"""Simplified GeoJSON boundaries for web maps (LSOA/MSOA 2021, LAD 2024, ICB, LSOA 2011).

Source layers are ONS generalised boundaries (BSC: 200 m, BUC: 500 m generalisation) in WGS84
lon/lat. For the web they are thinned further, in pure numpy (no GIS library):

1. Douglas-Peucker (Douglas & Peucker 1973, Cartographica 10:112-122) on each ring, with
   `tolerance` in degrees (0.0002 deg is about 14 m east-west and 22 m north-south in
   England); a ring that would fall below 4 points is kept as it was;
2. coordinates rounded to `precision` decimal places (5 d.p. is about 1 m), dropping points
   that then repeat.

Each polygon is simplified on its own, so shared edges between neighbours can open slivers or
overlap by up to `tolerance`: fine for choropleths, not for spatial analysis. The ICB layer is
very coarse already. Results are cached under `<var>/cache/geography/`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError
from healthgap.geography._cache import fingerprint, write_atomically
from healthgap.geography._read import read_geojson
from healthgap.geography.areas import area_mask, hierarchy, lsoa11_lsoa21
from healthgap.geography.sources import get_source, resolve, verify_copy

# level -> (source, code property, name property, hierarchy column or None)
LAYERS: dict[str, tuple[str, str, str, str | None]] = {
    "lsoa21": ("boundaries_lsoa21", "lsoa21_code", "lsoa21_name", "lsoa21_code"),
    "msoa21": ("boundaries_msoa21", "msoa21_code", "msoa21_name", "msoa21_code"),
    "lad24": ("boundaries_lad24", "ltla24_code", "ltla24_name", "lad24_code"),
    "icb24": ("boundaries_icb22", "icb22_code", "icb22_name", "icb24_code"),
    "lsoa11": ("boundaries_lsoa11", "lsoa11_code", "lsoa11_name", None),
}


def boundaries(
    level: str = "lsoa21",
    *,
    icb: str | None = None,
    sicbl: str | None = None,
    lad: str | None = None,
    region: str | None = None,
    tolerance: float = 0.0002,
    precision: int = 5,
    config: DataConfig | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of `level` areas, simplified, with properties code and name.

    Optionally only the areas within one ICB (GSS or ODS code), sub-ICB location, LAD or
    region: for lsoa21 the LSOAs in it; for msoa21, lad24 and icb24 those with any LSOA in it;
    for lsoa11 the 2011 LSOAs linked to its 2021 LSOAs. England when no area is given.
    """
    if level not in LAYERS:
        raise ArgumentError(
            f"No boundaries for level {level!r}; choose one of {', '.join(LAYERS)}."
        )
    if tolerance < 0 or not 0 <= precision <= 8:
        raise ArgumentError("tolerance must be >= 0 degrees and precision 0-8 decimal places.")
    config = config or DataConfig.from_env()
    source, code_prop, name_prop, column = LAYERS[level]
    located = resolve(get_source(source), config)
    area = {"icb": icb, "sicbl": sicbl, "lad": lad, "region": region}
    wanted = _codes_within(column, area, config) if any(area.values()) else None
    label = "_".join(f"{k}{v}" for k, v in area.items() if v) or "england"  # codes validated
    key = fingerprint(f"{level}-{label}", [located], tolerance, precision)
    path = config.table_cache / f"boundaries_{level}_{label}-{key}.geojson"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    if config.verify:
        verify_copy(located, config)
    features = []
    for feature in read_geojson(located.path):
        code = feature["properties"][code_prop]
        if wanted is None or code in wanted:
            geometry = simplify_geometry(feature["geometry"], tolerance, precision)
            properties = {"code": code, "name": feature["properties"][name_prop]}
            features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, separators=(",", ":"))
    write_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return collection


def _codes_within(column: str | None, area: dict[str, str | None], config: DataConfig) -> set[str]:
    """Codes of the layer's areas with any LSOA in `area` (column None: LSOA 2011 codes)."""
    table = hierarchy(config)
    inside = table.loc[area_mask(area, config)]
    if column is not None:
        return set(inside[column])
    links = lsoa11_lsoa21(config)
    return set(links.loc[links["lsoa21_code"].isin(inside["lsoa21_code"]), "lsoa11_code"])


def simplify_geometry(geometry: dict[str, Any], tolerance: float, precision: int) -> dict[str, Any]:
    """Simplify a GeoJSON Polygon or MultiPolygon ring by ring (see the module docstring)."""
    if geometry["type"] == "Polygon":
        rings = [
            simplify_ring(np.asarray(r, float), tolerance, precision)
            for r in geometry["coordinates"]
        ]
        return {"type": "Polygon", "coordinates": rings}
    if geometry["type"] == "MultiPolygon":
        polygons = [
            [simplify_ring(np.asarray(r, float), tolerance, precision) for r in polygon]
            for polygon in geometry["coordinates"]
        ]
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise ArgumentError(
        f"Only Polygon and MultiPolygon geometries are supported, not {geometry['type']!r}."
    )


def simplify_ring(ring: np.ndarray, tolerance: float, precision: int) -> list[list[float]]:
    """Douglas-Peucker then rounding of one closed ring (n x 2 lon/lat); returns nested lists."""
    kept = ring[douglas_peucker(ring, tolerance)] if tolerance > 0 else ring
    if len(kept) < 4:
        kept = ring
    rounded = np.round(kept, precision)
    moved = np.r_[True, np.any(np.diff(rounded, axis=0) != 0, axis=1)]
    if moved.sum() >= 4:
        rounded = rounded[moved]
    return rounded.tolist()


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Boolean mask of the points Douglas-Peucker keeps (always the first and last).

    A point is kept when it lies more than `tolerance` from the segment joining the kept points
    on either side of it (distance to the segment, so closed rings whose ends coincide work).
    """
    n = len(points)
    keep = np.zeros(n, dtype=bool)
    keep[[0, n - 1]] = True
    stack = [(0, n - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        distances = _segment_distances(points[start + 1 : end], points[start], points[end])
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            index = start + 1 + farthest
            keep[index] = True
            stack.extend([(start, index), (index, end)])
    return keep


def _segment_distances(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance of each point to the segment a-b (to a itself when a == b)."""
    ab = b - a
    length2 = float(ab @ ab)
    if length2 == 0:
        return np.hypot(*(points - a).T)
    t = np.clip((points - a) @ ab / length2, 0.0, 1.0)
    return np.hypot(*(points - (a + t[:, None] * ab)).T)
