"""Server-side SVG charts in the NHS "Making Data Count" style, as strings for pages and reports.

`spc_svg` draws one facet of an `spc()` result: the values as a grey line, each point coloured
by its point type (grey common cause, blue improvement, orange concern, purple neutral: the
NHSRplotthedots 0.2.2 `ptd_spc_colours` defaults), the mean (solid) and process limits (dashed)
per rebase group, the target (red) and trajectory, and the MDC variation and assurance icons
(a circle in the type's colour with "H"/"L" for a high or low special cause, and "P"/"F"/"?"
for consistently passing, failing or hit-and-miss against the target).

Geometry (tested by hand): the plot area spans x from `LEFT` to width − `RIGHT` and y from
`TOP` to height − `BOTTOM`; point i of n sits at x = LEFT + i × w / (n − 1) (periods equally
spaced) and a value v at y = TOP + (hi − v) × h / (hi − lo), where lo/hi are the smallest and
largest of the values, limits, target and trajectory, widened by 5% of their range each way.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError
from healthgap.evaluation.spc import OPTIONS, spc_summary

COLOURS = {
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#00b0f0",
    "special_cause_concern": "#e46c0a",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
    "value_line": "#a6a6a6",
    "mean_line": "#000000",
    "limits": "#a6a6a6",
    "target": "#de1b1b",
    "trajectory": "#490092",
}
LEFT, RIGHT, TOP, BOTTOM = 56.0, 72.0, 48.0, 32.0
PAD = 0.05
ICON_R = 16.0


def spc_svg(
    chart: pd.DataFrame,
    *,
    facet: object | None = None,
    width: int = 640,
    height: int = 320,
    title: str | None = None,
) -> str:
    """An SVG string for one facet of an `spc()` result (the only facet when `facet` is None)."""
    options = chart.attrs.get(OPTIONS)
    if options is None:
        raise ArgumentError("spc_svg: pass the data frame returned by spc().")
    facets = list(dict.fromkeys(chart["f"]))
    if facet is None:
        if len(facets) != 1:
            raise ArgumentError(f"spc_svg: choose one facet of {len(facets)} with facet=.")
        facet = facets[0]
    if facet not in facets:
        raise ArgumentError(f"spc_svg: facet {facet!r} is not in the chart.")
    data = chart[chart["f"] == facet].reset_index(drop=True)
    n = len(data)
    plotted = [data[c] for c in ("y", "lpl", "upl", "target", "trajectory")]
    geo = Geometry(np.concatenate([c.to_numpy(float) for c in plotted]), n, width, height)
    label = title or (
        f"{options['value_field']}: {facet}" if options["facet_field"] else options["value_field"]
    )
    summary = spc_summary(chart)
    if options["facet_field"]:
        summary = summary[summary["f"] == facet]
    last = summary.iloc[-1]
    variation = variation_kind(data["point_type"].iloc[-1], options["improvement_direction"])
    assurance = last.get("assurance_type") if "assurance_type" in summary.columns else None
    assurance = assurance if isinstance(assurance, str) else None

    parts = svg_open(width, height, label, _describe(last, variation, assurance))
    for _, group in data.groupby("rebase_group", sort=True):
        x0, x1 = geo.x(group.index[0]), geo.x(group.index[-1])
        row = group.iloc[0]
        parts.append(hline("mean", x0, x1, geo.y(row["mean_col"]), COLOURS["mean_line"]))
        for name in ("lpl", "upl"):
            if np.isfinite(row[name]):
                parts.append(hline(name, x0, x1, geo.y(row[name]), COLOURS["limits"], dash="6 4"))
    for name, column in (("target", "target"), ("trajectory", "trajectory")):
        values = data[column]
        if values.notna().any():
            points = " ".join(
                f"{geo.x(i):.2f},{geo.y(v):.2f}" for i, v in values.items() if pd.notna(v)
            )
            parts.append(
                f'<polyline class="{name}" points="{points}" fill="none" '
                f'stroke="{COLOURS[name]}" stroke-width="1.5"/>'
            )
    line = " ".join(f"{geo.x(i):.2f},{geo.y(v):.2f}" for i, v in data["y"].items())
    parts.append(
        f'<polyline class="value-line" points="{line}" fill="none" '
        f'stroke="{COLOURS["value_line"]}" stroke-width="1.5"/>'
    )
    for i, row in data.iterrows():
        kind = row["point_type"]
        parts.append(
            f'<circle class="point {kind}" cx="{geo.x(i):.2f}" cy="{geo.y(row["y"]):.2f}" r="3.5" '
            f'fill="{COLOURS[kind]}"><title>{escape(fmt_x(row["x"]))}: {row["y"]:g} '
            f"({escape(row['special_cause_type'])})</title></circle>"
        )
    parts += _axes(data, geo, n)
    icon_y = TOP / 2 + 4
    parts.append(variation_icon(variation, width - RIGHT - 2.5 * ICON_R, icon_y))
    if assurance:
        parts.append(assurance_icon(assurance, width - RIGHT + ICON_R, icon_y))
    parts.append("</svg>")
    return "\n".join(parts)


def svg_open(width: int, height: int, title: str, description: str) -> list[str]:
    """The `<svg>` element with an accessible title and description, and the visible title."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        'font-family="Arial, sans-serif" font-size="11">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<text class="title" x="{LEFT}" y="20" font-size="14" font-weight="bold">'
        f"{escape(title)}</text>",
    ]


def variation_kind(point_type: str, improvement_direction: str) -> str:
    """The MDC variation icon for the last point's type (NHSRplotthedots `ptd_get_icons`)."""
    up = improvement_direction == "increase"
    return {
        "common_cause": "common_cause",
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
        "special_cause_concern": "concern_low" if up else "concern_high",
        "special_cause_improvement": "improvement_high" if up else "improvement_low",
    }[point_type]


def variation_icon(kind: str, cx: float, cy: float) -> str:
    """A variation icon: a ring in the type's colour, "H"/"L" for high/low special cause."""
    colour = {
        "common": COLOURS["common_cause"],
        "improvement": COLOURS["special_cause_improvement"],
        "concern": COLOURS["special_cause_concern"],
        "neutral": COLOURS["special_cause_neutral_high"],
    }[kind.split("_")[0]]
    letter = {"high": "H", "low": "L"}.get(kind.rsplit("_", 1)[-1], "")
    return _icon(f"variation {kind}", colour, letter, cx, cy, _words(kind))


def assurance_icon(kind: str, cx: float, cy: float) -> str:
    """An assurance icon: P (consistently passes, blue), F (fails, orange), ? (grey)."""
    colour, letter = {
        "consistent_pass": (COLOURS["special_cause_improvement"], "P"),
        "consistent_fail": (COLOURS["special_cause_concern"], "F"),
        "inconsistent": (COLOURS["common_cause"], "?"),
    }[kind]
    return _icon(f"assurance {kind}", colour, letter, cx, cy, _words(kind))


def _icon(cls: str, colour: str, letter: str, cx: float, cy: float, words: str) -> str:
    return (
        f'<g class="icon {cls}"><title>{escape(words)}</title>'
        f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{ICON_R}" fill="#ffffff" stroke="{colour}" '
        f'stroke-width="3"/><text x="{cx:.2f}" y="{cy + 5:.2f}" text-anchor="middle" '
        f'font-size="14" font-weight="bold" fill="{colour}">{letter}</text></g>'
    )


def _words(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


class Geometry:
    """Maps point index (0 … n − 1) and value to SVG coordinates (see the module docstring);
    the value range is that of the finite `values`, widened by `PAD` of it each way."""

    def __init__(self, values: np.ndarray, n: int, width: int, height: int) -> None:
        values = values[np.isfinite(values)]
        lo, hi = float(values.min()), float(values.max())
        span = hi - lo if hi > lo else max(abs(hi), 1.0)
        self.lo, self.hi = lo - PAD * span, hi + PAD * span
        self.w = width - LEFT - RIGHT
        self.h = height - TOP - BOTTOM
        self.n = n

    def x(self, i: int) -> float:
        return LEFT + (i * self.w / (self.n - 1) if self.n > 1 else self.w / 2)

    def y(self, v: float) -> float:
        return TOP + (self.hi - v) * self.h / (self.hi - self.lo)


def hline(cls: str, x0: float, x1: float, y: float, colour: str, dash: str = "") -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="{cls}" x1="{x0:.2f}" y1="{y:.2f}" x2="{x1:.2f}" y2="{y:.2f}" '
        f'stroke="{colour}" stroke-width="1.5"{dashed}/>'
    )


def frame_and_x_labels(geo: Geometry, first: str, last: str) -> list[str]:
    """The x and y axis lines and the first and last x labels."""
    bottom = TOP + geo.h
    out = [
        f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{LEFT + geo.w}" y2="{bottom}" '
        'stroke="#4c6272"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#4c6272"/>',
    ]
    for tick in nice_ticks(geo.lo, geo.hi):
        out.append(
            f'<text class="y-label" x="{LEFT - 6}" y="{geo.y(tick) + 4:.2f}" text-anchor="end">'
            f"{tick:g}</text>"
        )
    labels = [(0, first, "start"), (geo.n - 1, last, "end")] if geo.n > 1 else [(0, first, "end")]
    for i, text, anchor in labels:
        out.append(
            f'<text class="x-label" x="{geo.x(i):.2f}" y="{bottom + 16}" text-anchor="{anchor}">'
            f"{escape(text)}</text>"
        )
    return out


def nice_ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Round values (steps of 1, 2 or 5 × 10^k) inside [lo, hi], at most `most` of them."""
    if not hi > lo:
        return []
    for power in range(int(np.floor(np.log10(hi - lo))) - 1, 20):
        for mult in (1, 2, 5):
            step = mult * 10.0**power
            first = np.ceil(lo / step) * step
            ticks = np.arange(first, hi + step * 1e-9, step)
            if len(ticks) <= most:
                return [float(round(t, 12)) + 0.0 for t in ticks]  # + 0.0: no −0
    return []


def _axes(data: pd.DataFrame, geo: Geometry, n: int) -> list[str]:
    out = frame_and_x_labels(geo, fmt_x(data["x"].iloc[0]), fmt_x(data["x"].iloc[n - 1]))
    last = data.iloc[-1]
    for name in ("upl", "mean_col", "lpl"):
        if np.isfinite(last[name]):
            out.append(
                f'<text class="limit-label {name}" x="{LEFT + geo.w + 4:.2f}" '
                f'y="{geo.y(last[name]) + 4:.2f}">{last[name]:.4g}</text>'
            )
    return out


def fmt_x(x: object) -> str:
    return x.strftime("%b %Y") if isinstance(x, pd.Timestamp) else str(x)


def _describe(last: pd.Series, variation: str, assurance: str | None) -> str:
    text = (
        f"Mean {last['mean_col']:.4g}, process limits {last['lpl']:.4g} to {last['upl']:.4g}; "
        f"variation: {_words(variation).lower()}"
    )
    return text + (f"; assurance: {_words(assurance).lower()}" if assurance else "")
