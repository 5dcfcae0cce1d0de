"""Server-side SVG charts for profiles: the Fingertips-style spine chart and the IMD-decile chart.

Spine chart (after OHID Fingertips' area profiles, *Technical Guide: Spine charts*): one row per
indicator. The benchmark's value is the vertical line at the centre. The light bar runs from the
worst to the best value among the comparison areas, the dark bar from their 25th to their 75th
percentile; the dot is the area's value, with its 95% confidence interval as a whisker. The
axis is symmetric about the benchmark: `half = max |v - benchmark|` over every value drawn, so
the whole bar and the whisker fit. Better is to the right: for `lower_is_better` indicators the
axis is flipped; for `no_judgement` higher is to the right.

Decile chart: one bar per IMD 2025 decile (1 = most deprived, on the left) with its 95%
confidence interval; the y axis starts at 0 and ends at the largest upper limit rounded up to a
"nice" number (1, 2, 2.5 or 5 times a power of ten). A hidden (suppressed) decile draws no bar
and shows "*".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from healthgap.reports.svg import LinearScale, element, format_value, is_missing, svg

# Fingertips-like colours for the comparison with the benchmark (RAG plus "no judgement" blues).
COLOURS = {
    "Better": "#92d050",
    "Similar": "#ffc000",
    "Worse": "#c00000",
    "Higher": "#bed2ff",
    "Lower": "#5555e6",
    "Not compared": "#ffffff",
}
SPINE_WIDTH, SPINE_HEIGHT, SPINE_PAD = 300.0, 20.0, 10.0


@dataclass(frozen=True)
class Spread:
    """The spread of an indicator's values among the comparison areas (same unit as values).

    worst/best follow the polarity (for no_judgement: lowest/highest); q25/q75 are the 25th and
    75th percentiles (numpy's linear interpolation, Hyndman & Fan type 7); `areas` is how many
    areas had a value; `label` says which areas ("723 LSOAs in NHS Black Country ICB").
    """

    worst: float
    q25: float
    median: float
    q75: float
    best: float
    areas: int
    label: str


def spine_chart(
    *,
    benchmark: float | None,
    spread: Spread | None,
    value: float | None,
    lowercl: float | None,
    uppercl: float | None,
    comparison: str,
    polarity: str,
    label: str,
) -> str:
    """One spine-chart row as SVG (module docstring), SPINE_WIDTH x SPINE_HEIGHT units.

    With no benchmark the chart is an empty frame with the text "No benchmark"; a hidden value
    (NaN) draws the bars but no dot.
    """
    w, h, pad = SPINE_WIDTH, SPINE_HEIGHT, SPINE_PAD
    body = [element("rect", x=0.0, y=0.0, width=w, height=h, fill="#ffffff", stroke="#d8dde0")]
    if is_missing(benchmark):
        body.append(
            element(
                "text",
                "No benchmark",
                x=w / 2,
                y=14.0,
                text_anchor="middle",
                font_size=10,
                fill="#4c6272",
            )
        )
        return svg(w, h, body, label=label)
    assert benchmark is not None
    shown = [v for v in [*_spread_values(spread), value, lowercl, uppercl] if not is_missing(v)]
    half = max([abs(float(v) - benchmark) for v in shown] + [0.0])
    half = half or 1.0
    flip = polarity == "lower_is_better"
    lo, hi = (w - pad, pad) if flip else (pad, w - pad)
    x = LinearScale(benchmark - half, benchmark + half, lo, hi)
    if spread is not None:
        body.append(_bar(x(spread.worst), x(spread.best), 4.0, 12.0, "#d9e6f2"))
        body.append(_bar(x(spread.q25), x(spread.q75), 4.0, 12.0, "#7fa7cc"))
    body.append(
        element(
            "line",
            x1=x(benchmark),
            y1=1.0,
            x2=x(benchmark),
            y2=h - 1,
            stroke="#212b32",
            stroke_width=1.5,
        )
    )
    if not is_missing(value):
        assert value is not None
        if not (is_missing(lowercl) or is_missing(uppercl)):
            assert lowercl is not None and uppercl is not None
            body.append(
                element(
                    "line",
                    x1=x(float(lowercl)),
                    y1=h / 2,
                    x2=x(float(uppercl)),
                    y2=h / 2,
                    stroke="#212b32",
                    stroke_width=1.0,
                )
            )
        fill = COLOURS.get(comparison, "#ffffff")
        body.append(
            element(
                "circle",
                cx=x(float(value)),
                cy=h / 2,
                r=5.0,
                fill=fill,
                stroke="#212b32",
                stroke_width=1.0,
            )
        )
    return svg(w, h, body, label=label)


def _spread_values(spread: Spread | None) -> list[float | None]:
    if spread is None:
        return []
    return [spread.worst, spread.best]


def _bar(x1: float, x2: float, y: float, height: float, fill: str) -> str:
    left, right = sorted((x1, x2))
    return element("rect", x=left, y=y, width=right - left, height=height, fill=fill)


@dataclass(frozen=True)
class DecileBar:
    """One IMD decile's value and 95% limits (NaN when hidden by disclosure control)."""

    decile: int
    value: float
    lowercl: float
    uppercl: float


DECILE_WIDTH, DECILE_HEIGHT = 560.0, 220.0
DECILE_LEFT, DECILE_RIGHT, DECILE_TOP, DECILE_BOTTOM = 60.0, 10.0, 10.0, 40.0


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is >= value (value > 0)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def decile_chart(
    bars: list[DecileBar], *, multiplier: float, highlight: int | None, label: str
) -> str:
    """Bars by IMD decile 1..10 (module docstring) as SVG, DECILE_WIDTH x DECILE_HEIGHT units.

    Slot i (decile i) spans `DECILE_LEFT + (i - 1) * slot` to `+ slot`, slot = plot width / 10;
    the bar is 70% of the slot, centred. `highlight` (the profiled area's own decile) is drawn
    in a darker colour.
    """
    plot_w = DECILE_WIDTH - DECILE_LEFT - DECILE_RIGHT
    plot_bottom = DECILE_HEIGHT - DECILE_BOTTOM
    tops = [b.uppercl if not is_missing(b.uppercl) else b.value for b in bars]
    top = nice_ceiling(max([t for t in tops if not is_missing(t)] + [0.0]))
    y = LinearScale(0.0, top, plot_bottom, DECILE_TOP)
    slot = plot_w / 10
    body = [
        element(
            "line",
            x1=DECILE_LEFT,
            y1=plot_bottom,
            x2=DECILE_WIDTH - DECILE_RIGHT,
            y2=plot_bottom,
            stroke="#212b32",
        ),
        element(
            "line", x1=DECILE_LEFT, y1=DECILE_TOP, x2=DECILE_LEFT, y2=plot_bottom, stroke="#212b32"
        ),
    ]
    for tick in (0.0, top / 2, top):
        body.append(
            element(
                "text",
                format_value(tick, multiplier),
                x=DECILE_LEFT - 6,
                y=y(tick) + 4,
                text_anchor="end",
                font_size=11,
            )
        )
    by_decile = {b.decile: b for b in bars}
    for decile in range(1, 11):
        left = DECILE_LEFT + (decile - 1) * slot
        centre = left + slot / 2
        body.append(
            element(
                "text",
                str(decile),
                x=centre,
                y=plot_bottom + 16,
                text_anchor="middle",
                font_size=11,
            )
        )
        bar = by_decile.get(decile)
        if bar is None or is_missing(bar.value):
            body.append(
                element(
                    "text", "*", x=centre, y=plot_bottom - 4, text_anchor="middle", font_size=12
                )
            )
            continue
        fill = "#005eb8" if decile == highlight else "#7fa7cc"
        body.append(
            element(
                "rect",
                x=left + slot * 0.15,
                y=y(bar.value),
                width=slot * 0.7,
                height=plot_bottom - y(bar.value),
                fill=fill,
            )
        )
        if not (is_missing(bar.lowercl) or is_missing(bar.uppercl)):
            body.append(
                element(
                    "line",
                    x1=centre,
                    y1=y(bar.lowercl),
                    x2=centre,
                    y2=y(bar.uppercl),
                    stroke="#212b32",
                    stroke_width=1.5,
                )
            )
    body.append(
        element(
            "text",
            "IMD 2025 decile (1 = most deprived)",
            x=DECILE_LEFT + plot_w / 2,
            y=DECILE_HEIGHT - 6,
            text_anchor="middle",
            font_size=11,
        )
    )
    return svg(DECILE_WIDTH, DECILE_HEIGHT, body, label=label)


def interval_text(
    value: float | None, lowercl: float | None, uppercl: float | None, multiplier: float
) -> str:
    """ "12.3 (95% CI 10.1 to 14.6)", or "*" when the value is hidden."""
    if is_missing(value):
        return "*"
    text = format_value(value, multiplier)
    if is_missing(lowercl) or is_missing(uppercl):
        return text
    low, high = format_value(lowercl, multiplier), format_value(uppercl, multiplier)
    return f"{text} (95% CI {low} to {high})"
