"""Small helpers for server-side SVG: a linear scale, escaped elements, number formatting.

Charts in reports are plain SVG strings (no JavaScript), so they render the same in a browser
and in WeasyPrint's PDF. Coordinates are in SVG user units (1 unit = 1 CSS px at 100% zoom);
every number is written with at most two decimals so the output is stable and readable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class LinearScale:
    """Map a data interval [domain_lo, domain_hi] linearly onto [range_lo, range_hi].

    `scale(v) = range_lo + (v - domain_lo) / (domain_hi - domain_lo) * (range_hi - range_lo)`;
    a reversed range (range_lo > range_hi) flips the axis (e.g. SVG y grows downwards). A
    zero-width domain maps every value to the middle of the range.
    """

    domain_lo: float
    domain_hi: float
    range_lo: float
    range_hi: float

    def __call__(self, value: float) -> float:
        span = self.domain_hi - self.domain_lo
        if span == 0:
            return (self.range_lo + self.range_hi) / 2
        return self.range_lo + (value - self.domain_lo) / span * (self.range_hi - self.range_lo)


def num(value: float) -> str:
    """A coordinate as SVG text: rounded to 2 decimals, no trailing zeros ("12.5", "3")."""
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def element(tag: str, text: str | None = None, **attrs: object) -> str:
    """One SVG element; attribute names use `_` for `-` (`stroke_width` -> `stroke-width`),
    `class_` for `class`; floats are written by `num`; text content is XML-escaped."""
    parts = [tag]
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        shown = num(value) if isinstance(value, float) else str(value)
        parts.append(f"{name}={quoteattr(shown)}")
    opening = " ".join(parts)
    if text is None:
        return f"<{opening}/>"
    return f"<{opening}>{escape(text)}</{tag}>"


def svg(width: float, height: float, body: list[str], *, label: str) -> str:
    """A complete `<svg>` with a viewBox of `width` x `height`, `role="img"` and a title."""
    size = f"0 0 {num(width)} {num(height)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{size}" width="{num(width)}"'
        f' height="{num(height)}" role="img" aria-label={quoteattr(label)}>'
    )
    return "".join([head, element("title", label), *body, "</svg>"])


def is_missing(value: float | None) -> bool:
    """True for None and NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, multiplier: float) -> str:
    """A statistic for reading: percentages to 1 decimal, rates per 1,000+ to whole numbers
    with thousands separators, other values to 2 significant decimals; "*" when hidden."""
    if is_missing(value):
        return "*"
    assert value is not None
    if multiplier >= 1000:
        return f"{value:,.0f}"
    if multiplier == 100:
        return f"{value:.1f}"
    return f"{value:,.2f}"


def format_count(value: float | None) -> str:
    """A count of people or events as a whole number with separators; "*" when hidden."""
    if is_missing(value):
        return "*"
    assert value is not None
    return f"{value:,.0f}"
