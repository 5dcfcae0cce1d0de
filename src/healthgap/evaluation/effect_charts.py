"""SVG charts of evaluations: the event study (with the parallel-trends leads) and the ITS lines.

Same layout and scale as `chart.spc_svg` (`chart.Geometry`): period i of n at
x = LEFT + i × w / (n − 1); values mapped linearly onto the plot height with 5% padding.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError
from healthgap.evaluation.chart import (
    COLOURS,
    TOP,
    Geometry,
    fmt_x,
    frame_and_x_labels,
    hline,
    svg_open,
)
from healthgap.evaluation.its import Segmented

NHS_BLUE = "#005eb8"


def event_study_svg(
    es: pd.DataFrame, *, width: int = 640, height: int = 320, title: str = "Event study"
) -> str:
    """Estimates with 95% whiskers per period (from `did.event_study`), a zero line, and a
    dashed line at the start. Leads (before the start) are grey: near zero supports parallel
    trends; lags (from the start) are blue."""
    needed = {"time", "relative", "estimate", "lowercl", "uppercl"}
    if not needed <= set(es.columns) or es.empty:
        raise ArgumentError("event_study_svg: pass the data frame returned by event_study().")
    es = es.reset_index(drop=True)
    values = np.concatenate([es[c].to_numpy(float) for c in ("lowercl", "uppercl")] + [[0.0]])
    geo = Geometry(values, len(es), width, height)
    leads = int((es["relative"] < 0).sum())
    parts = svg_open(width, height, title,
                     f"{leads} periods before the start and {len(es) - leads} after; "
                     "whiskers are 95% confidence intervals")  # fmt: skip
    parts.append(hline("zero", geo.x(0), geo.x(len(es) - 1), geo.y(0.0), COLOURS["limits"]))
    if 0 < leads < len(es):
        parts.append(_start_line(geo, leads))
    for i, row in es.iterrows():
        colour = COLOURS["common_cause"] if row["relative"] < 0 else NHS_BLUE
        kind = "lead" if row["relative"] < 0 else "lag"
        parts.append(
            f'<line class="ci {kind}" x1="{geo.x(i):.2f}" y1="{geo.y(row["lowercl"]):.2f}" '
            f'x2="{geo.x(i):.2f}" y2="{geo.y(row["uppercl"]):.2f}" stroke="{colour}"/>'
        )
        parts.append(
            f'<circle class="estimate {kind}" cx="{geo.x(i):.2f}" cy="{geo.y(row["estimate"]):.2f}"'
            f' r="3.5" fill="{colour}"><title>{escape(fmt_x(row["time"]))}: '
            f"{row['estimate']:.3g} ({row['lowercl']:.3g} to {row['uppercl']:.3g})</title></circle>"
        )
    parts += frame_and_x_labels(geo, fmt_x(es["time"].iloc[0]), fmt_x(es["time"].iloc[-1]))
    parts.append("</svg>")
    return "\n".join(parts)


def its_svg(
    result: Segmented,
    *,
    width: int = 640,
    height: int = 320,
    title: str = "Interrupted time series",
) -> str:
    """The points, the fitted segments (blue) and the counterfactual (the earlier trend carried
    on, dashed grey) after the start."""
    if not isinstance(result, Segmented):
        raise ArgumentError("its_svg: pass the result of its().")
    f = result.fitted
    n, start = len(f), result.n_before
    values = np.concatenate([f[c].to_numpy(float) for c in ("y", "fitted", "counterfactual")])
    geo = Geometry(values, n, width, height)
    parts = svg_open(width, height, title, f"{result.level_change.sentence}. "
                     f"{result.slope_change.sentence}.")  # fmt: skip
    parts.append(_start_line(geo, start))
    for cls, column, rows, colour, dash in (
        ("fitted before", "fitted", range(0, start), NHS_BLUE, ""),
        ("fitted after", "fitted", range(start, n), NHS_BLUE, ""),
        ("counterfactual", "counterfactual", range(start, n), COLOURS["common_cause"], "6 4"),
    ):
        points = " ".join(f"{geo.x(i):.2f},{geo.y(f[column].iloc[i]):.2f}" for i in rows)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline class="{cls}" points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"{dashed}/>')  # fmt: skip
    for i, v in f["y"].items():
        if not np.isfinite(v):  # a point hidden by disclosure control
            continue
        parts.append(f'<circle class="point" cx="{geo.x(i):.2f}" cy="{geo.y(v):.2f}" r="3" '
                     f'fill="{COLOURS["common_cause"]}"/>')  # fmt: skip
    parts += frame_and_x_labels(geo, fmt_x(f["x"].iloc[0]), fmt_x(f["x"].iloc[-1]))
    parts.append("</svg>")
    return "\n".join(parts)


def _start_line(geo: Geometry, first_after: int) -> str:
    """A dashed vertical line half-way between the last period before and the first after."""
    x = (geo.x(first_after - 1) + geo.x(first_after)) / 2
    return (
        f'<line class="start" x1="{x:.2f}" y1="{TOP}" x2="{x:.2f}" y2="{TOP + geo.h}" '
        'stroke="#4c6272" stroke-dasharray="4 4"/>'
    )
