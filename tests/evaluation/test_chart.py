"""SVG chart geometry, worked out by hand from the layout in healthgap.evaluation.chart."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from healthgap.errors import ArgumentError
from healthgap.evaluation import spc
from healthgap.evaluation.chart import spc_svg, variation_kind

NS = {"s": "http://www.w3.org/2000/svg"}


def chart(**kwargs: object) -> pd.DataFrame:
    y = [10.0, 11.0] * 5 + [10.0, 30.0]
    data = pd.DataFrame({"m": pd.date_range("2024-01-01", periods=12, freq="MS"), "v": y})
    return spc(data, "v", "m", **kwargs)


def test_point_and_line_positions() -> None:
    svg = ET.fromstring(spc_svg(chart(target=20.0), width=640, height=320))
    # plot area: x 56 .. 640 − 72 = 568 (w = 512); y 48 .. 320 − 32 = 288 (h = 240)
    # values span 10 .. 30 and limits 145/12 ± 2.66 (9.423333 .. 14.743333), target 20:
    # lo = 9.423333, hi = 30, range 20.576667; padded by 5%: lo 8.3945, hi 31.0288333
    lo = (145 / 12 - 2.66) - 0.05 * (30 - (145 / 12 - 2.66))
    hi = 30 + 0.05 * (30 - (145 / 12 - 2.66))
    scale = 240 / (hi - lo)
    points = svg.findall("s:circle", NS)
    assert len(points) == 12
    assert float(points[0].get("cx")) == pytest.approx(56.0, abs=0.01)
    assert float(points[11].get("cx")) == pytest.approx(568.0, abs=0.01)
    assert float(points[5].get("cx")) == pytest.approx(56 + 5 * 512 / 11, abs=0.01)
    assert float(points[11].get("cy")) == pytest.approx(48 + (hi - 30) * scale, abs=0.01)
    assert float(points[0].get("cy")) == pytest.approx(48 + (hi - 10) * scale, abs=0.01)
    # colours: 2-in-3 / shift below are concern (orange), the point above the UCL improvement
    assert points[0].get("fill") == "#e46c0a" and points[11].get("fill") == "#00b0f0"
    mean = svg.find("s:line[@class='mean']", NS)
    assert float(mean.get("y1")) == pytest.approx(48 + (hi - 145 / 12) * scale, abs=0.01)
    assert float(mean.get("x1")) == pytest.approx(56.0) and float(mean.get("x2")) == 568.0
    upl = svg.find("s:line[@class='upl']", NS)
    assert upl.get("stroke-dasharray") == "6 4"
    assert float(upl.get("y1")) == pytest.approx(48 + (hi - (145 / 12 + 2.66)) * scale, abs=0.01)
    target = svg.find("s:polyline[@class='target']", NS)
    assert target.get("stroke") == "#de1b1b"
    # icons: improvement high (last point above the UCL, higher is better); the target 20 is
    # above the UPL 14.74: consistent fail
    icons = [g.get("class") for g in svg.findall("s:g", NS)]
    assert icons == ["icon variation improvement_high", "icon assurance consistent_fail"]
    desc = svg.find("s:desc", NS).text
    assert "variation: improvement high" in desc and "assurance: consistent fail" in desc


def test_rebased_limits_are_drawn_per_group() -> None:
    y = [1.0, 2.0] * 6 + [11.0, 12.0] * 6
    data = pd.DataFrame({"m": pd.date_range("2024-01-01", periods=24, freq="MS"), "v": y})
    svg = spc_svg(spc(data, "v", "m", rebase="2025-01-01"))
    means = re.findall(r'<line class="mean" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"', svg)
    # w = 512 over 23 gaps: the first group ends at 56 + 11 × 512/23 = 56 + 244.87 = 300.87,
    # the second starts at 56 + 12 × 512/23 = 56 + 267.13 = 323.13
    assert means == [("56.00", "300.87"), ("323.13", "568.00")]


def test_facets_need_a_choice_and_text_is_escaped() -> None:
    data = pd.DataFrame(
        {"m": list(pd.date_range("2024-01-01", periods=3, freq="MS")) * 2,
         "v": [1.0, 2.0, 3.0] * 2, "k": ["A<&>"] * 3 + ["B"] * 3}
    )  # fmt: skip
    out = spc(data, "v", "m", facet_field="k")
    with pytest.raises(ArgumentError, match="choose one facet"):
        spc_svg(out)
    svg = spc_svg(out, facet="A<&>")
    ET.fromstring(svg)  # well-formed
    assert "A&lt;&amp;&gt;" in svg


def test_variation_kind_follows_direction() -> None:
    assert variation_kind("special_cause_concern", "increase") == "concern_low"
    assert variation_kind("special_cause_concern", "decrease") == "concern_high"
    assert variation_kind("special_cause_improvement", "decrease") == "improvement_low"


def test_event_study_geometry() -> None:
    from healthgap.evaluation.effect_charts import event_study_svg

    es = pd.DataFrame({"time": [2021, 2022, 2023], "relative": [-2, -1, 0],
                       "estimate": [-0.5, 0.0, 3.0], "lowercl": [-1.5, 0.0, 2.0],
                       "uppercl": [0.5, 0.0, 4.0]})  # fmt: skip
    svg = ET.fromstring(event_study_svg(es))
    # values −1.5 … 4 (and 0): padded lo = −1.5 − 0.275 = −1.775, hi = 4.275, range 6.05;
    # x: 56, 56 + 256 = 312, 568
    dots = svg.findall("s:circle", NS)
    assert [float(d.get("cx")) for d in dots] == [56.0, 312.0, 568.0]
    assert float(dots[2].get("cy")) == pytest.approx(48 + (4.275 - 3.0) * 240 / 6.05, abs=0.01)
    assert [d.get("class") for d in dots] == ["estimate lead", "estimate lead", "estimate lag"]
    zero = svg.find("s:line[@class='zero']", NS)
    assert float(zero.get("y1")) == pytest.approx(48 + 4.275 * 240 / 6.05, abs=0.01)
    start = svg.find("s:line[@class='start']", NS)
    assert float(start.get("x1")) == pytest.approx((312 + 568) / 2)


def test_its_chart_marks_the_start_and_the_counterfactual() -> None:
    import numpy as np

    from healthgap.evaluation import its
    from healthgap.evaluation.effect_charts import its_svg

    t = np.arange(32)
    y = 1 + 0.5 * t + 3 * (t >= 16) + np.tile([0.2, -0.2, -0.2, 0.2], 8)
    df = pd.DataFrame({"m": pd.date_range("2021-01-01", periods=32, freq="MS"), "y": y})
    svg = ET.fromstring(its_svg(its(df, "y", "m", "2022-05-01", errors="newey-west")))
    # 32 points over w = 512: x(i) = 56 + i × 512/31; the start line sits at x(15.5) = 312
    assert float(svg.find("s:line[@class='start']", NS).get("x1")) == pytest.approx(312.0)
    counter = svg.find("s:polyline[@class='counterfactual']", NS).get("points").split()
    assert len(counter) == 16
    assert float(counter[0].split(",")[0]) == pytest.approx(56 + 16 * 512 / 31, abs=0.01)
    assert len(svg.findall("s:circle", NS)) == 32


def test_nice_ticks() -> None:
    from healthgap.evaluation.chart import nice_ticks

    # range 8.39 … 31.03 (23): steps of 1, 2 give too many; 5 gives 10, 15, 20, 25, 30
    assert nice_ticks(8.3945, 31.0288) == [10.0, 15.0, 20.0, 25.0, 30.0]
    # range 6.05: steps of 1 give six (−1 … 4), steps of 2 give 0, 2, 4 (no "−0")
    ticks = nice_ticks(-1.775, 4.275)
    assert ticks == [0.0, 2.0, 4.0] and str(ticks[0]) == "0.0"
