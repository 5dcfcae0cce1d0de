"""Maturity matrices: YAML loading errors, assessment, moderation, progress, radar geometry."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from healthgap.equality.errors import AssessmentError, FrameworkError
from healthgap.equality.maturity import (
    assess,
    load_framework,
    moderate,
    parse_framework,
    progress,
    shipped_frameworks,
)
from healthgap.equality.radar import radar_svg

# Line numbers (used by the loading-error tests): 6 is the third level, 12-14 dimension b (14 its
# descriptors), 15 "- id: c", 18-19 dimension d's id and name.
FOUR = """id: four
name: Four by four
levels:
  - {level: 1, name: One}
  - {level: 2, name: Two}
  - {level: 3, name: Three}
  - {level: 4, name: Four}
dimensions:
  - id: a
    name: Alpha
    descriptors: {1: a1, 2: a2, 3: a3, 4: a4}
  - id: b
    name: Beta
    descriptors: {1: b1, 2: b2, 3: b3, 4: b4}
  - id: c
    name: Gamma & co
    descriptors: {1: c1, 2: c2, 3: c3, 4: c4}
  - id: d
    name: Delta
    descriptors: {1: d1, 2: d2, 3: d3, 4: d4}
"""
SVG = "{http://www.w3.org/2000/svg}"


def _series_points(svg: str) -> dict[str, list[tuple[float, float]]]:
    root = ET.fromstring(svg)
    out = {}
    for poly in root.iter(f"{SVG}polygon"):
        if poly.get("class") == "series":
            pairs = [p.split(",") for p in poly.get("points").split()]
            out[poly.get("data-label")] = [(float(x), float(y)) for x, y in pairs]
    return out


def test_shipped_frameworks_load():
    frameworks = shipped_frameworks()
    assert set(frameworks) == {"culturally-competent", "anti-racism"}
    assert frameworks["anti-racism"].max_level == 5
    assert frameworks["culturally-competent"].dimension("data").descriptors[4].startswith("Data")


def test_radar_vertices_by_hand_trigonometry():
    framework = parse_framework(FOUR)
    svg = radar_svg(framework, {"2025": {"a": 4, "b": 2, "c": 4, "d": 1}}, size=400, margin=60)
    # Centre (200, 200); R = 400/2 - 60 = 140; level L at r = 140 * L / 4.
    # a: up (-90 deg), r 140 -> (200, 60); b: right (0 deg), r 70 -> (270, 200);
    # c: down (90 deg), r 140 -> (200, 340); d: left (180 deg), r 35 -> (165, 200).
    assert _series_points(svg)["2025"] == [(200, 60), (270, 200), (200, 340), (165, 200)]
    assert "Gamma &amp; co" in svg


def test_radar_six_axes():
    framework = shipped_frameworks()["anti-racism"]  # 6 dimensions, 5 levels
    levels = {d.id: 5 for d in framework.dimensions} | {"accountability": 3}
    points = _series_points(radar_svg(framework, {"x": levels}))["x"]
    # R = 140; axis 1 of 6 at -90 + 60 = -30 deg, level 3: r = 140 * 3/5 = 84
    # x = 200 + 84 cos(-30) = 200 + 84 * 0.8660254 = 272.746; y = 200 - 84 * 0.5 = 158.0
    assert points[1] == pytest.approx((272.75, 158.0), abs=0.006)
    # axis 4 of 6 at -90 + 240 = 150 deg, level 5: r = 140
    # x = 200 + 140 cos 150 = 200 - 121.2436 = 78.756; y = 200 + 140 * 0.5 = 270
    assert points[4] == pytest.approx((78.76, 270.0), abs=0.006)
    assert math.dist(points[0], (200, 200)) == pytest.approx(140)


def test_radar_needs_every_level():
    framework = parse_framework(FOUR)
    with pytest.raises(AssessmentError, match="b, d"):
        radar_svg(framework, {"x": {"a": 1, "c": 2, "d": 9}})


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (FOUR.replace("{1: b1, 2: b2, 3: b3, 4: b4}", "{1: b1, 2: b2, 4: b4}"),
         14, "dimensions[1].descriptors", "level(s) 3"),
        (FOUR.replace("  - id: d\n    name: Delta", "  - id: d\n    nmae: Delta"),
         19, "dimensions[3].nmae", "Did you mean 'name'"),
        (FOUR.replace("{level: 3, name: Three}", "{level: 5, name: Three}"),
         6, "levels[2].level", "must be 3"),
        (FOUR.replace("  - id: c", "  - id: a"), 15, "dimensions[2].id", "used twice"),
        ("id: x\nname: y\nlevels: [\n", None, "<yaml>", "not valid YAML"),
    ],
)  # fmt: skip
def test_loading_errors_name_file_line_and_field(tmp_path, text, line, field, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    err = caught.value
    assert (err.file, err.field) == (str(path), field)
    if line is not None:
        assert err.line == line
    assert words in str(err) and str(path) in str(err)


def test_too_few_dimensions():
    text = FOUR.split("  - id: c")[0]
    with pytest.raises(FrameworkError, match="at least 3 dimensions"):
        parse_framework(text, "two.yaml")


def _ratings(levels):
    return {k: (v, [f"evidence for {k}"]) for k, v in levels.items()}


def test_assessment_moderation_and_progress():
    framework = parse_framework(FOUR)
    first = assess(
        framework, "Trust", "Ann", date(2025, 3, 1), _ratings({"a": 1, "b": 2, "c": 1, "d": 1})
    )
    first = moderate(first, "Bola", date(2025, 3, 20), {"b": 1}, "b needs more evidence")
    second = assess(
        framework, "Trust", "Ann", date(2026, 3, 1), _ratings({"a": 2, "b": 2, "c": 1, "d": 3})
    )
    table = progress([second, first]).set_index(["assessed_on", "dimension"])
    assert table.loc[(date(2025, 3, 1), "b"), ["self_assessed", "level"]].tolist() == [2, 1]
    assert bool(table.loc[(date(2025, 3, 1), "b"), "moderated"]) is True
    # b: moderated 1 in 2025 -> self-assessed 2 in 2026 = +1; d: 1 -> 3 = +2; c unchanged.
    assert table.loc[(date(2026, 3, 1), "b"), "change"] == 1
    assert table.loc[(date(2026, 3, 1), "d"), "change"] == 2
    assert table.loc[(date(2026, 3, 1), "c"), "change"] == 0
    assert math.isnan(table.loc[(date(2025, 3, 1), "a"), "change"])


def test_moderator_must_be_a_second_person():
    framework = parse_framework(FOUR)
    done = assess(
        framework, "Trust", "Ann Lee", date(2025, 3, 1), _ratings(dict.fromkeys("abcd", 2))
    )
    with pytest.raises(AssessmentError, match="second person"):
        moderate(done, " ann lee ", date(2025, 3, 2))
    with pytest.raises(AssessmentError, match="before the assessment"):
        moderate(done, "Bola", date(2025, 2, 1))
    with pytest.raises(AssessmentError, match="level 7"):
        moderate(done, "Bola", date(2025, 3, 2), {"a": 7})


def test_assessment_reports_every_problem():
    framework = parse_framework(FOUR)
    with pytest.raises(AssessmentError) as caught:
        assess(framework, "Trust", "Ann", date(2025, 3, 1),
               {"a": (5, ["x"]), "b": (2, []), "c": (1, ["y"]), "z": (1, ["q"])})  # fmt: skip
    message = str(caught.value)
    for expected in ("z: not a dimension", "d: not rated", "a: level 5", "b: no evidence"):
        assert expected in message


def test_cli_radar_and_frameworks(tmp_path):
    from typer.testing import CliRunner

    from healthgap.cli import app

    listed = CliRunner().invoke(app, ["equality", "frameworks"])
    assert listed.exit_code == 0 and "anti-racism" in listed.output
    out = tmp_path / "radar.svg"
    pairs = ["leadership=4", "data=1", "engagement=2", "access=3", "workforce=2", "partnership=1"]
    levels = [arg for pair in pairs for arg in ("--level", pair)]
    args = ["equality", "radar", "--framework", "culturally-competent", *levels, "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    # leadership is axis 0 (straight up) at level 4 of 4: (200, 200 - 140) = (200, 60).
    assert _series_points(out.read_text())["Self-assessment"][0] == (200.0, 60.0)
    bad = CliRunner().invoke(app, ["equality", "radar", "--framework", "culturally-competent",
                                   "--level", "nope=2", "--out", str(out)])  # fmt: skip
    assert "no dimension nope" in str(bad.exception)
