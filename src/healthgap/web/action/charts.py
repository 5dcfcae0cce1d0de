"""A horizontal bar chart drawn on the server as inline SVG (no JavaScript, CSP-safe: SVG
presentation attributes are not inline styles).

Bars take already-suppressed values: a suppressed count ("*") gets no bar, because its length
would give the number away; its label says "*" instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

LABEL_WIDTH = 220
BAR_AREA = 300
VALUE_GAP = 6
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: Any
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int = LABEL_WIDTH

    @property
    def all_hidden(self) -> bool:
        """True when there are rows but none has a bar (every value is hidden as `*`)."""
        return bool(self.bars) and not any(bar.width for bar in self.bars)


def bar_chart(title: str, values: Iterable[tuple[str, Any]]) -> BarChart:
    """Bars for (label, value) pairs; numeric values scale to the largest, others get none."""
    pairs = list(values)
    numbers = [v for _, v in pairs if isinstance(v, int | float)]
    largest = max(numbers, default=0) or 1
    bars = []
    for index, (label, value) in enumerate(pairs):
        width = round(BAR_AREA * value / largest) if isinstance(value, int | float) else 0
        y = index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                value=value,
                y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=y + ROW_HEIGHT // 2 + 5,
                width=width,
                value_x=LABEL_WIDTH + width + VALUE_GAP,
            )
        )
    return BarChart(
        title=title,
        bars=tuple(bars),
        width=LABEL_WIDTH + BAR_AREA + 60,
        height=max(len(bars), 1) * ROW_HEIGHT,
    )
