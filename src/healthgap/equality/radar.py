"""Radar (spider) chart of maturity levels as a self-contained SVG string, drawn server-side.

Geometry: centre (c, c) with c = size / 2, outer radius R = size / 2 - margin. Dimension i of
n lies on the axis at angle theta_i = -90 deg + 360 deg * i / n (the first straight up, then
clockwise, since SVG's y axis points down); level L sits at radius r = R * L / max_level, i.e.
at (c + r cos theta_i, c + r sin theta_i). One grid ring per level, one polygon per series.
Coordinates are written with two decimals.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from html import escape

from healthgap.equality.errors import AssessmentError
from healthgap.equality.maturity import Framework

PALETTE = ("#005eb8", "#da291c", "#009639", "#ed8b00", "#7c2855", "#00a9ce")


def vertex(i: int, n: int, level: float, max_level: int, size: float, margin: float) -> tuple:
    """The (x, y) of `level` on axis `i` of `n` (see the module docstring)."""
    centre = size / 2
    radius = (size / 2 - margin) * level / max_level
    theta = -math.pi / 2 + 2 * math.pi * i / n
    return centre + radius * math.cos(theta), centre + radius * math.sin(theta)


def _points(coords: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in coords)


def _wrapped(text: str, x: float, width: int = 22) -> str:
    """`text` as <tspan> lines of at most about `width` characters (escaped)."""
    lines = textwrap.wrap(text, width) or [""]
    return "".join(
        f'<tspan x="{x:.2f}" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )


def radar_svg(
    framework: Framework,
    series: Mapping[str, Mapping[str, int]],
    *,
    size: float = 400,
    margin: float = 60,
    title: str = "",
) -> str:
    """An SVG radar chart of one or more series (label -> dimension id -> level).

    Every series must give a level (1..max_level) for every dimension. The SVG has a <title>,
    grid rings (class "ring"), axes with dimension names, and one polygon per series
    (class "series", with `data-label`), plus a legend.
    """
    dims = framework.dimensions
    n, top = len(dims), framework.max_level
    if not 0 < margin < size / 2:
        raise AssessmentError(f"The margin must be between 0 and half the size ({size / 2}).")
    for label, levels in series.items():
        bad = [d.id for d in dims if not 1 <= levels.get(d.id, 0) <= top]
        if bad:
            raise AssessmentError(f"Series {label!r} has no level 1-{top} for: {', '.join(bad)}.")
    heading = title or framework.name
    pad = 0.3 * size  # room either side for the axis labels; the geometry is unchanged
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{-pad:g} 0 {size + 2 * pad:g} {size + 20 * len(series):g}" '
        f'role="img" aria-label="{escape(heading)}">',
        f"<title>{escape(heading)}</title>",
    ]
    for level in range(1, top + 1):
        ring = [vertex(i, n, level, top, size, margin) for i in range(n)]
        parts.append(
            f'<polygon class="ring" points="{_points(ring)}" fill="none" stroke="#d8dde0"/>'
        )
    for i, dim in enumerate(dims):
        x, y = vertex(i, n, top, top, size, margin)
        lx, ly = vertex(i, n, top * (1 + 18 / (size / 2 - margin)), top, size, margin)
        anchor = "middle" if abs(lx - size / 2) < 1 else ("start" if lx > size / 2 else "end")
        parts.append(
            f'<line class="axis" x1="{size / 2:.2f}" y1="{size / 2:.2f}" '
            f'x2="{x:.2f}" y2="{y:.2f}" stroke="#aeb7bd"/>'
        )
        parts.append(
            f'<text x="{lx:.2f}" y="{ly:.2f}" text-anchor="{anchor}" font-size="11">'
            f"{_wrapped(dim.name, lx)}</text>"
        )
    for k, (label, levels) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        shape = [vertex(i, n, levels[d.id], top, size, margin) for i, d in enumerate(dims)]
        parts.append(
            f'<polygon class="series" data-label="{escape(label)}" points="{_points(shape)}" '
            f'fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(
            f'<text class="legend" x="10" y="{size + 14 + 20 * k:g}" fill="{colour}" '
            f'font-size="12">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
