"""Geometry for the server-rendered SVG dot-and-whisker charts of the neighbourhood profile.

One chart per indicator: a row each for the area, the ICB and England, the dot at the value and
the whisker across the 95% confidence interval, on a shared horizontal scale (plus the target
as a dashed line when the catalogue sets one). The template `need/includes/dot_whisker.html`
draws it; no JavaScript, no inline styles (colours come from classes in need.css).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from healthgap.web.need.figures import Figure, number

WIDTH = 480
LEFT = 110  # room for the row labels
RIGHT = 20
TOP = 6
ROW = 22
AXIS = 22


@dataclass(frozen=True)
class ChartRow:
    label: str
    css: str
    y: float
    x: float | None = None
    x1: float | None = None
    x2: float | None = None
    text: str = ""

    @property
    def text_y(self) -> float:
        """Baseline of the row's label text (centred on the row for 12px text)."""
        return self.y + 4


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[ChartRow]
    axis_y: float
    ticks: list[tuple[float, str]]
    target_x: float | None
    description: str

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def tick_end(self) -> float:
        return self.axis_y + 4

    @property
    def tick_label_y(self) -> int:
        return self.height - 4


def dot_whisker(
    rows: Sequence[tuple[str, str, Figure | None]], *, target: float | None = None, unit: str = ""
) -> Chart | None:
    """Chart geometry for (label, css class, figure) rows; None when no row has a value.

    Scale: from the lowest to the highest limit, value or target shown, padded by 5% of the
    range on each side (±1 around a single value), mapped linearly onto the plot width.
    """
    shown = [f for _, _, f in rows if f is not None and f.available]
    if not shown:
        return None
    numbers = [v for f in shown for v in (f.value, f.lowercl, f.uppercl) if v is not None]
    numbers += [target] if target is not None else []
    lo, hi = min(numbers), max(numbers)
    pad = (hi - lo) * 0.05 if hi > lo else 1.0
    lo, hi = lo - pad, hi + pad

    def x(value: float) -> float:
        return round(LEFT + (value - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT), 1)

    chart_rows = []
    described = []
    for index, (label, css, fig) in enumerate(rows):
        y = TOP + ROW * index + ROW / 2
        if fig is None or not fig.available:
            text = "suppressed" if fig is not None and fig.suppressed else "no value"
            chart_rows.append(ChartRow(label, css, y, text=text))
            described.append(f"{label}: {text}")
            continue
        x1 = x(fig.lowercl) if fig.lowercl is not None else None
        x2 = x(fig.uppercl) if fig.uppercl is not None else None
        chart_rows.append(ChartRow(label, css, y, x(fig.value), x1, x2))
        interval = f" (95% CI {fig.interval})" if fig.interval else ""
        described.append(f"{label}: {fig.text}{interval}")
    axis_y = TOP + ROW * len(rows) + 2
    ticks = [(x(v), number(v, unit)) for v in np.linspace(lo + pad, hi - pad, 3).tolist()]
    if ticks[0][1] == ticks[-1][1]:
        ticks = ticks[:1]
    return Chart(
        width=WIDTH,
        height=int(axis_y + AXIS),
        rows=chart_rows,
        axis_y=axis_y,
        ticks=ticks,
        target_x=x(target) if target is not None else None,
        description="; ".join(described)
        + (f"; target {number(target, unit)}" if target is not None else ""),
    )
