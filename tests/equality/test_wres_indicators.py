"""The nine WRES indicators from counts, the survey gaps, trends, the CLI."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from healthgap.cli import app
from healthgap.equality.errors import ExtractError
from healthgap.equality.wres import read_counts, trends, wres_indicators
from healthgap.errors import ArgumentError

COUNTS = """indicator,ethnicity,numerator,denominator,band,staff_group
1,White,30,40,5,clinical
1,BME,8,40,5,clinical
1,Unknown,2,40,5,clinical
1,White,9,10,8a,non-clinical
1,BME,1,10,8a,non-clinical
2,White,100,400,,
2,BME,50,400,,
2,Unknown,5,10,,
3,White,10,1000,,
3,BME,6,300,,
4,White,200,1000,,
4,BME,45,300,,
9,White,9,10,,voting
9,BME,1,10,,voting
"""
SURVEY = """indicator,ethnicity,percentage,respondents
5,White,25,400
5,BME,30,100
7,White,60,400
7,BME,45,100
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "counts.csv").write_text(COUNTS)
    (tmp_path / "survey.csv").write_text(SURVEY)
    return tmp_path


def _by_indicator(results):
    return {(r.indicator, r.band): r for r in results.itertuples()}


def test_indicators_from_counts(files):
    got = _by_indicator(wres_indicators(files / "counts.csv", files / "survey.csv"))
    # 1: band 5 clinical, 8 BME of 40 = 20%; Wilson (z^2 = 3.841459):
    # (2*8 + 3.841459 -/+ 1.959964 * sqrt(3.841459 + 4*8*(1 - 8/40))) / (2*(40 + 3.841459))
    # = (19.841459 -/+ 10.634796) / 87.682918 = 0.104999, 0.347573
    band5 = got[("1", "5")]
    assert band5.value == pytest.approx(20.0)
    assert (band5.lowercl, band5.uppercl) == pytest.approx((10.4999, 34.7573), abs=1e-3)
    # Workforce share: BME 8 + 1 = 9 of 40 + 10 = 50 staff = 18%.
    assert band5.comparator == pytest.approx(18.0)
    assert band5.white_value == pytest.approx(75.0)
    # 2: White relative to BME, (100/400)/(50/400) = 2.0; Unknown applicants left out.
    two = got[("2", "")]
    assert two.value == pytest.approx(2.0)
    assert (two.white_numerator, two.white_denominator) == (100, 400)
    assert two.non_adverse is False
    # 3: BME relative to White, (6/300)/(10/1000) = 2.0.
    assert got[("3", "")].value == pytest.approx(2.0)
    # 4: White relative to BME, (200/1000)/(45/300) = 0.2/0.15 = 1.3333.
    assert got[("4", "")].value == pytest.approx(0.2 / 0.15)
    # 9: board 1 of 10 BME = 10% minus workforce 18% = -8 points.
    assert got[("9", "")].value == pytest.approx(-8.0)
    assert got[("9", "")].comparator == pytest.approx(18.0)
    # 5: BME 30% - White 25% = +5 points (adverse); 7: 45% - 60% = -15 points (adverse).
    assert got[("5", "")].value == pytest.approx(5.0)
    assert got[("7", "")].value == pytest.approx(-15.0)
    assert got[("7", "")].lowercl < -15 < got[("7", "")].uppercl


def test_non_adverse_range_is_inclusive_and_configurable():
    counts = pd.DataFrame(
        {"indicator": ["2", "2"], "ethnicity": ["White", "BME"], "numerator": [125, 100],
         "denominator": [1000, 1000]}
    )  # fmt: skip
    # (125/1000)/(100/1000) = 1.25: the top of the 0.80-1.25 range.
    assert bool(wres_indicators(counts)["non_adverse"].iloc[0]) is True
    strict = wres_indicators(counts, non_adverse=(0.9, 1.1))
    assert bool(strict["non_adverse"].iloc[0]) is False


def test_board_without_workforce_says_why():
    counts = pd.DataFrame(
        {"indicator": ["9", "9"], "ethnicity": ["White", "BME"], "numerator": [3, 1],
         "denominator": [4, 4]}
    )  # fmt: skip
    row = wres_indicators(counts).iloc[0]
    assert math.isnan(row["value"]) and "indicator 1" in row["reason"]


def test_bad_counts_report_every_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "indicator,ethnicity,numerator,denominator,band,staff_group\n"
        "2,White,5,4,,\n"  # numerator above denominator
        "6,White,1,2,,\n"  # not a counts indicator
        "3,Asian,1,2,,\n"  # not White/BME/Unknown
        "1,BME,1,5,11,clinical\n"  # not a band
        "1,White,-1,5,5,clinical\n"  # negative count
    )
    with pytest.raises(ExtractError) as caught:
        read_counts(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(1, "numerator"), (2, "indicator"), (3, "ethnicity"), (4, "band"),
            (5, "numerator")} <= found  # fmt: skip
    # Indicators 2 and 3 each lack a BME row.
    assert sum("needs a White and a BME row" in p.message for p in caught.value.problems) == 2


def test_trends_by_distance_from_parity():
    counts = pd.DataFrame(
        {"year": ["2024", "2024", "2025", "2025", "2024", "2024", "2025", "2025"],
         "indicator": ["2", "2", "2", "2", "3", "3", "3", "3"],
         "ethnicity": ["White", "BME"] * 4,
         # 2: 2024 (40/100)/(20/100) = 2.0; 2025 (30/100)/(20/100) = 1.5: closer to 1.
         # 3 is BME/White: 2024 (10/100)/(20/100) = 0.5; 2025 (20/100)/(10/100) = 2.0:
         # |ln 0.5| = |ln 2|, so no change in distance from parity.
         "numerator": [40, 20, 30, 20, 20, 10, 10, 20], "denominator": [100] * 8}
    )  # fmt: skip
    got = trends(wres_indicators(counts)).set_index(["indicator", "year"])
    assert got.loc[("2", "2025"), "change"] == pytest.approx(-0.5)
    assert got.loc[("2", "2025"), "trend"] == "closer to parity"
    assert got.loc[("2", "2024"), "trend"] == ""
    assert got.loc[("3", "2025"), "trend"] == "no change"


def test_cli_counts_writes_one_row_per_indicator(files):
    out = files / "out" / "wres.csv"
    args = ["equality", "wres", "--counts", str(files / "counts.csv"), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--survey", str(files / "survey.csv")])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype={"indicator": str})
    assert list(written.columns[:9]) == [
        "year", "indicator", "band", "staff_group", "statistic", "direction", "value",
        "lowercl", "uppercl",
    ]  # fmt: skip
    assert written["indicator"].tolist() == ["1", "1", "2", "3", "4", "5", "7", "9"]
    assert "Indicator 2: 2.00 (1.47 to 2.73)" in result.output


def test_cli_extract_form(tmp_path):
    workforce = tmp_path / "w.csv"
    workforce.write_text(
        "staff_id,ethnic_category,band,staff_group,board_member,disciplinary,"
        "non_mandatory_training\ns1,A,5,clinical,,no,yes\ns2,H,5,clinical,,yes,yes\n"
    )
    out = tmp_path / "o.csv"
    args = ["equality", "wres", "--workforce", str(workforce), "--out", str(out), "--year", "2025"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype={"indicator": str, "year": str})
    # Indicator 4: White 1 of 1, BME 1 of 1: (1/1)/(1/1) = 1.0.
    assert written.set_index("indicator").loc["4", "value"] == pytest.approx(1.0)
    assert set(written["year"]) == {"2025"}


def test_cli_report_lists_every_problem(tmp_path):
    workforce = tmp_path / "w.csv"
    workforce.write_text(
        "staff_id,ethnic_category,band,staff_group,board_member,disciplinary,"
        "non_mandatory_training\ns1,Q,5,clinical,,no,yes\ns1,H,,clinical,,yes,yes\n"
    )
    report = tmp_path / "problems.csv"
    args = ["equality", "wres", "--workforce", str(workforce), "--out", str(tmp_path / "o.csv")]
    result = CliRunner().invoke(app, [*args, "--report", str(report)])
    assert isinstance(result.exception, ExtractError)
    problems = pd.read_csv(report)
    assert list(zip(problems["row"], problems["column"], strict=True)) == [
        (2, "staff_id"),
        (1, "ethnic_category"),
        (2, "band"),
    ]
    assert not (tmp_path / "o.csv").exists()


def test_cli_needs_one_input_form(tmp_path):
    result = CliRunner().invoke(app, ["equality", "wres", "--out", str(tmp_path / "o.csv")])
    assert isinstance(result.exception, ArgumentError)


@st.composite
def ratio_counts(draw):
    rows = []
    for indicator in ("2", "3", "4"):
        for group in ("White", "BME", "Unknown"):
            n = draw(st.integers(1, 3000))
            rows.append({"indicator": indicator, "ethnicity": group,
                         "numerator": str(draw(st.integers(1, n))),
                         "denominator": f" {n} " if draw(st.booleans()) else f"{n}.0"})  # fmt: skip
    order = draw(st.permutations(range(len(rows))))
    return pd.DataFrame([rows[i] for i in order])


@given(ratio_counts())
def test_counts_parser_and_ratio_directions(frame):
    results = wres_indicators(frame).set_index("indicator")
    counts = {(r.indicator, r.ethnicity): (float(r.numerator), float(r.denominator))
              for r in frame.itertuples()}  # fmt: skip

    def rate(ind, group):
        x, n = counts[(ind, group)]
        return x / n

    assert results.loc["2", "value"] == pytest.approx(rate("2", "White") / rate("2", "BME"))
    assert results.loc["3", "value"] == pytest.approx(rate("3", "BME") / rate("3", "White"))
    assert results.loc["4", "value"] == pytest.approx(rate("4", "White") / rate("4", "BME"))
    assert results.loc["2", "unknown_denominator"] == counts[("2", "Unknown")][1]
