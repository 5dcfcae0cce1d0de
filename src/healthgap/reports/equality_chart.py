"""The WRES trend chart: indicators 2-4 over years, with 95% limits and the non-adverse range,
drawn on the server as SVG with `healthgap.reports.svg` (no JavaScript), for the web page
(`healthgap.web.equality`, values as computed) and the WRES PDF report (values as published
under the report's disclosure policy: a hidden value, NaN, is not drawn).

Layout, in SVG user units: the plot spans x from LEFT to WIDTH - RIGHT and y from TOP to
HEIGHT - BOTTOM. Years are equally spaced: year i of n sits at x(i) with x mapping
[-0.5, n - 0.5] onto [LEFT, WIDTH - RIGHT]; indicators 2, 3 and 4 are offset -8, 0 and +8
units so their whiskers do not overlap. The y axis is ln(relative likelihood), from
ln(min(lower limits, values, 0.8, 0.5)) at the bottom to ln(max(upper limits, values, 1.25, 2))
at the top, so parity (1) and the whole non-adverse band are always in view."""

from __future__ import annotations

import math

import pandas as pd

from healthgap.equality.wres import NON_ADVERSE_RANGE
from healthgap.reports.svg import LinearScale, element, svg

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640.0, 260.0, 60.0, 130.0, 20.0, 40.0
COLOURS = {"2": "#005eb8", "3": "#d5281b", "4": "#007f3b"}
#: y-axis labels, each drawn when it lies on the axis (0.5 to 2 always do)
TICKS = (0.125, 0.25, 0.5, 0.8, 1.25, 2.0, 4.0, 8.0)


def trend_svg(results: pd.DataFrame) -> str:
    """Relative likelihoods (indicators 2-4) by year on a log scale, each with its 95% limits
    as a vertical whisker, over the shaded non-adverse range; "" when there is nothing to plot."""
    rows = results[results["indicator"].isin(list(COLOURS)) & results["value"].gt(0)]
    if rows.empty:
        return ""
    years = sorted(rows["year"].astype(str).unique())
    limits = [
        v
        for v in pd.concat([rows["lowercl"], rows["uppercl"], rows["value"]])
        if isinstance(v, float) and v > 0 and math.isfinite(v)
    ]
    lo = math.log(min([*limits, NON_ADVERSE_RANGE[0], 0.5]))
    hi = math.log(max([*limits, NON_ADVERSE_RANGE[1], 2.0]))
    y = LinearScale(lo, hi, HEIGHT - BOTTOM, TOP)
    x = LinearScale(-0.5, len(years) - 0.5, LEFT, WIDTH - RIGHT)
    body = [
        element(
            "rect",
            x=LEFT,
            y=y(math.log(NON_ADVERSE_RANGE[1])),
            width=WIDTH - RIGHT - LEFT,
            height=y(math.log(NON_ADVERSE_RANGE[0])) - y(math.log(NON_ADVERSE_RANGE[1])),
            fill="#e8edee",
            class_="non-adverse",
        ),
        element("line", x1=LEFT, x2=WIDTH - RIGHT, y1=y(0.0), y2=y(0.0), stroke="#4c6272"),
        element("text", "1 (parity)", x=LEFT - 4, y=y(0.0) + 4, text_anchor="end", font_size=11),
    ]
    for tick in (t for t in TICKS if lo - 1e-9 <= math.log(t) <= hi + 1e-9):
        body.append(
            element(
                "text",
                f"{tick:g}",
                x=LEFT - 4,
                y=y(math.log(tick)) + 4,
                text_anchor="end",
                font_size=10,
            )
        )
    for i, year in enumerate(years):
        body.append(
            element(
                "text",
                year or "this year",
                x=x(float(i)),
                y=HEIGHT - 14,
                text_anchor="middle",
                font_size=11,
            )
        )
    for n, (indicator, colour) in enumerate(COLOURS.items()):
        series = rows[rows["indicator"] == indicator]
        offset = (n - 1) * 8.0
        points = []
        for row in series.itertuples():
            cx, cy = x(float(years.index(str(row.year)))) + offset, y(math.log(row.value))
            if row.lowercl > 0 and math.isfinite(row.uppercl):
                body.append(
                    element(
                        "line",
                        x1=cx,
                        x2=cx,
                        y1=y(math.log(row.lowercl)),
                        y2=y(math.log(row.uppercl)),
                        stroke=colour,
                    )
                )
            body.append(
                element(
                    "circle",
                    cx=cx,
                    cy=cy,
                    r=4.0,
                    fill=colour,
                    class_=f"point indicator-{indicator}",
                )
            )
            points.append(f"{cx:.2f},{cy:.2f}")
        if len(points) > 1:
            body.append(element("polyline", points=" ".join(points), fill="none", stroke=colour))
        body.append(
            element(
                "text",
                f"Indicator {indicator}",
                x=WIDTH - RIGHT + 10,
                y=TOP + 16 + 18 * n,
                fill=colour,
                font_size=12,
            )
        )
    label = (
        "WRES relative likelihoods (indicators 2 to 4) by year with 95% limits; shaded: "
        "the non-adverse range 0.80 to 1.25"
    )
    return svg(WIDTH, HEIGHT, body, label=label)
