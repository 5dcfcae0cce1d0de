"""Server-side SVG maps from GeoJSON boundaries (WGS84 lon/lat), with no GIS library.

Projection: equirectangular with the longitude scaled by cos(latitude at the centre of the view),
which keeps shapes true to within about 1% across a local authority (a few tenths of a degree
of latitude). `x = offset_x + (lon - west) * cos(lat0) * k`, `y = offset_y + (north - lat) * k`,
with `k` the largest scale that fits the view box inside the drawing less `MAP_PAD`, and the
offsets centring it. Layers are drawn in order; each polygon ring becomes an `M ... Z` subpath
(fill-rule evenodd, so holes stay holes). Anything outside the view box is clipped by the
SVG viewport.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from healthgap.reports.svg import element, num, svg

MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 560.0, 360.0, 10.0
# IMD decile 1 (most deprived) .. 10 (least deprived): a sequential purple-to-pale scale.
DECILE_FILLS = (
    "#3f007d",
    "#54278f",
    "#6a51a3",
    "#807dba",
    "#9e9ac8",
    "#bcbddc",
    "#dadaeb",
    "#e7e6f1",
    "#efedf5",
    "#fcfbfd",
)

Feature = Mapping[str, Any]


@dataclass(frozen=True)
class Layer:
    """Features drawn with one style; `fills` (code -> colour) overrides `fill` per feature."""

    features: list[Feature]
    fill: str = "none"
    stroke: str = "#425563"
    stroke_width: float = 0.5
    fills: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class View:
    """The lon/lat box to show: west, south, east, north (degrees)."""

    west: float
    south: float
    east: float
    north: float

    def widened(self, margin: float) -> View:
        """The box grown by `margin` times its width/height on each side."""
        dx, dy = (self.east - self.west) * margin, (self.north - self.south) * margin
        return View(self.west - dx, self.south - dy, self.east + dx, self.north + dy)


def rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    """Every ring of a Polygon or MultiPolygon as lists of [lon, lat]."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def bounds(features: Iterable[Feature]) -> View:
    """The lon/lat box around `features` (ValueError when they have no coordinates)."""
    lons, lats = [], []
    for feature in features:
        for ring in rings(feature["geometry"]):
            lons += [p[0] for p in ring]
            lats += [p[1] for p in ring]
    if not lons:
        raise ValueError("no coordinates to bound")
    return View(min(lons), min(lats), max(lons), max(lats))


@dataclass(frozen=True)
class Projection:
    """lon/lat -> SVG x/y for `view` in a `width` x `height` drawing (module docstring)."""

    view: View
    width: float = MAP_WIDTH
    height: float = MAP_HEIGHT
    pad: float = MAP_PAD

    @property
    def cos_lat(self) -> float:
        return math.cos(math.radians((self.view.south + self.view.north) / 2))

    @property
    def k(self) -> float:
        span_x = (self.view.east - self.view.west) * self.cos_lat
        span_y = self.view.north - self.view.south
        fits = [
            (size - 2 * self.pad) / span
            for size, span in ((self.width, span_x), (self.height, span_y))
            if span > 0
        ]
        return min(fits) if fits else 1.0

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        k = self.k
        used_w = (self.view.east - self.view.west) * self.cos_lat * k
        used_h = (self.view.north - self.view.south) * k
        x0, y0 = (self.width - used_w) / 2, (self.height - used_h) / 2
        return (
            x0 + (lon - self.view.west) * self.cos_lat * k,
            y0 + (self.view.north - lat) * k,
        )


def path_data(geometry: Mapping[str, Any], project: Projection) -> str:
    """SVG path data for a polygon geometry: one `M x,y L ... Z` subpath per ring."""
    parts = []
    for ring in rings(geometry):
        points = [project(lon, lat) for lon, lat in ring]
        if len(points) < 3:
            continue
        head, *rest = points
        parts.append(
            f"M{num(head[0])},{num(head[1])}"
            + "".join(f"L{num(x)},{num(y)}" for x, y in rest)
            + "Z"
        )
    return "".join(parts)


def draw_map(layers: list[Layer], view: View, *, label: str, legend: bool = True) -> str:
    """The layers inside `view` as one SVG map; `legend` adds the IMD decile key."""
    project = Projection(view)
    frame = {"x": 0.0, "y": 0.0, "width": MAP_WIDTH, "height": MAP_HEIGHT}
    body = [
        f'<clipPath id="map-frame">{element("rect", **frame)}</clipPath>',
        element("rect", **frame, fill="#f0f4f5"),
        '<g clip-path="url(#map-frame)">',
    ]
    for layer in layers:
        for feature in layer.features:
            code = str(feature.get("properties", {}).get("code", ""))
            d = path_data(feature["geometry"], project)
            if not d:
                continue
            body.append(
                element(
                    "path",
                    d=d,
                    fill=layer.fills.get(code, layer.fill),
                    fill_rule="evenodd",
                    stroke=layer.stroke,
                    stroke_width=layer.stroke_width,
                    stroke_linejoin="round",
                )
            )
    body.append("</g>")
    if legend:
        body += _decile_legend()
    return svg(MAP_WIDTH, MAP_HEIGHT + (30.0 if legend else 0.0), body, label=label)


def _decile_legend() -> list[str]:
    top, size = MAP_HEIGHT + 6, 14.0
    out = [
        element("text", "IMD 2025 decile: 1 (most deprived)", x=MAP_PAD, y=top + 11, font_size=10)
    ]
    for i, colour in enumerate(DECILE_FILLS):
        x = 190.0 + i * (size + 2)
        out.append(
            element(
                "rect",
                x=x,
                y=top,
                width=size,
                height=size,
                fill=colour,
                stroke="#425563",
                stroke_width=0.5,
            )
        )
    out.append(
        element(
            "text", "10 (least deprived)", x=190.0 + 10 * (size + 2) + 4, y=top + 11, font_size=10
        )
    )
    return out
