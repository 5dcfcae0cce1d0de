"""SVG charts: element positions checked against hand arithmetic."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.reports.charts import (
    DecileBar,
    Spread,
    decile_chart,
    interval_text,
    nice_ceiling,
    spine_chart,
)
from healthgap.reports.svg import LinearScale, format_count, format_value, num

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def rects(root: ET.Element) -> list[dict[str, float]]:
    out = []
    for r in root.findall("s:rect", NS):
        out.append({k: float(r.get(k, "nan")) for k in ("x", "y", "width", "height")})
    return out


SPREAD = Spread(worst=30.0, q25=45.0, median=52.0, q75=60.0, best=80.0, areas=9, label="9 LSOAs")


def spine(**changes: object) -> str:
    """The spine chart of value 55 (CI 52-58) against benchmark 50 and SPREAD, with changes."""
    args: dict[str, object] = {
        "benchmark": 50.0,
        "spread": SPREAD,
        "value": 55.0,
        "lowercl": 52.0,
        "uppercl": 58.0,
        "comparison": "Better",
        "polarity": "higher_is_better",
        "label": "x",
    }
    return spine_chart(**{**args, **changes})  # type: ignore[arg-type]


def test_spine_places_benchmark_bars_and_dot_by_hand_arithmetic() -> None:
    # benchmark 50; furthest value from it: best 80 -> half-width 30. Width 300, pad 10:
    # x(v) = 10 + (v - 20) / 60 * 280. x(50) = 150; x(30) = 10 + 10/60*280 = 56.67;
    # x(80) = 290; x(45) = 10 + 25/60*280 = 126.67; x(60) = 10 + 40/60*280 = 196.67;
    # value 55 -> 10 + 35/60*280 = 173.33; CI 52..58 -> 10 + 32/60*280 = 159.33 and 187.33.
    root = parse(spine())
    _frame, full, middle = rects(root)
    assert (full["x"], full["width"]) == pytest.approx((56.67, 290 - 56.67), abs=0.01)
    assert (middle["x"], middle["width"]) == pytest.approx((126.67, 70), abs=0.01)
    centre, whisker = root.findall("s:line", NS)
    assert float(centre.get("x1")) == 150
    assert (float(whisker.get("x1")), float(whisker.get("x2"))) == pytest.approx(
        (159.33, 187.33), abs=0.01
    )
    dot = root.find("s:circle", NS)
    assert float(dot.get("cx")) == pytest.approx(173.33, abs=0.01)
    assert dot.get("fill") == "#92d050"  # Fingertips green for "Better"


def test_spine_flips_for_lower_is_better_so_better_is_right() -> None:
    # Same numbers, flipped range: x(v) = 290 - (v - 20) / 60 * 280; x(80) = 10,
    # x(30) = 290 - 10/60*280 = 243.33, x(55) = 290 - 35/60*280 = 126.67.
    root = parse(spine(comparison="Worse", polarity="lower_is_better"))
    full = rects(root)[1]
    assert full["x"] == pytest.approx(10) and full["width"] == pytest.approx(243.33 - 10, abs=0.01)
    assert float(root.find("s:circle", NS).get("cx")) == pytest.approx(126.67, abs=0.01)


def test_spine_without_value_draws_no_dot_and_without_benchmark_says_so() -> None:
    nan = math.nan
    hidden = parse(spine(value=nan, lowercl=nan, uppercl=nan, comparison="Not compared"))
    assert hidden.find("s:circle", NS) is None
    empty = spine(benchmark=None, comparison="Similar")
    assert "No benchmark" in empty and "<circle" not in empty


def test_decile_bars_by_hand_arithmetic() -> None:
    # Plot: x from 60 to 550 (slot 49), y from 180 (value 0) up to 10 (top). Upper limits peak
    # at 9.5 -> nice ceiling 10, so y(v) = 180 - v * 17. Decile 3, value 8 (7..9): bar x =
    # 60 + 2*49 + 0.15*49 = 165.35, width 34.3, y = 180 - 136 = 44, height 136; whisker at
    # x = 60 + 2.5*49 = 182.5 from y(7) = 61 to y(9) = 27.
    bars = [DecileBar(d, 5.0, 4.0, 6.0) for d in (1, 2, 4, 5, 6, 7, 8, 9)]
    bars += [DecileBar(3, 8.0, 7.0, 9.0), DecileBar(10, 9.0, 8.5, 9.5)]
    root = parse(decile_chart(bars, multiplier=100, highlight=3, label="x"))
    third = next(r for r in root.findall("s:rect", NS) if r.get("fill") == "#005eb8")
    assert float(third.get("x")) == pytest.approx(165.35)
    assert float(third.get("width")) == pytest.approx(34.3)
    assert (float(third.get("y")), float(third.get("height"))) == pytest.approx((44, 136))
    whisker = [ln for ln in root.findall("s:line", NS) if ln.get("x1") == "182.5"]
    assert (float(whisker[0].get("y1")), float(whisker[0].get("y2"))) == (61, 27)


def test_decile_chart_marks_hidden_deciles_with_a_star() -> None:
    bars = [DecileBar(d, 5.0, 4.0, 6.0) for d in range(1, 10)]
    bars.append(DecileBar(10, math.nan, math.nan, math.nan))
    text = decile_chart(bars, multiplier=100, highlight=None, label="x")
    assert len(re.findall(r">\*</text>", text)) == 1
    assert text.count('fill="#7fa7cc"') == 9


@pytest.mark.parametrize(
    ("value", "expected"), [(0.3, 0.5), (9.5, 10), (1.0, 1.0), (21, 25), (180, 200), (4100, 5000)]
)
def test_nice_ceiling(value: float, expected: float) -> None:
    assert nice_ceiling(value) == pytest.approx(expected)


@given(st.floats(min_value=1e-6, max_value=1e9))
def test_nice_ceiling_is_at_least_the_value_and_at_most_two_and_a_half_times(v: float) -> None:
    assert v * (1 - 1e-9) <= nice_ceiling(v) <= 2.5 * v


def test_formats() -> None:
    assert format_value(12.345, 100) == "12.3"
    assert format_value(18617.5, 100000) == "18,618"
    assert format_value(math.nan, 100) == "*"
    assert format_count(12345.0) == "12,345"
    assert interval_text(7.07, 6.5, 7.6, 100) == "7.1 (95% CI 6.5 to 7.6)"
    assert num(3.0) == "3" and num(12.504) == "12.5" and num(-0.001) == "0"
    assert LinearScale(0, 10, 100, 0)(2.5) == 75
