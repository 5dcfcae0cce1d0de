"""Reading indicator YAML: bad-definition fixtures and their messages, date expressions and
defaults."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from healthgap.errors import HealthgapError
from healthgap.indicators import IndicatorDefinitionError, load_catalogue, load_indicator
from healthgap.indicators._dates import DateRef, add_months, parse_date_ref
from healthgap.indicators._parse import parse_indicator
from healthgap.indicators._yaml import read_yaml

BAD = Path(__file__).parents[1] / "fixtures" / "bad_indicators"
BAD_FILES = sorted(BAD.glob("*.yaml"))


def _expected(path: Path) -> dict[str, str]:
    """The `# expected-<key>: <value>` header lines of a bad-definition fixture."""
    found = re.findall(r"^# expected-(\w+): (.*)$", path.read_text(), flags=re.MULTILINE)
    return dict(found)


def test_there_are_bad_definition_fixtures():
    assert len(BAD_FILES) >= 15


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_definition_names_file_line_and_field(path):
    expected = _expected(path)
    where = f"{path}, line {expected['line']}, field '{expected['field']}': "
    with pytest.raises(
        IndicatorDefinitionError, match=re.escape(where) + ".*" + re.escape(expected["message"])
    ) as info:
        load_indicator(path)
    assert (info.value.file, info.value.line, info.value.field) == (
        str(path),
        int(expected["line"]),
        expected["field"],
    )
    assert isinstance(info.value, HealthgapError)


def test_unknown_indicator_id_suggests_the_nearest():
    with pytest.raises(
        IndicatorDefinitionError,
        match=re.escape(
            "no indicator 'flu_vacination_65_plus'. Did you mean 'flu_vaccination_65_plus'"
        ),
    ):
        load_catalogue(ids=["flu_vacination_65_plus"])


def test_unreadable_file_is_a_definition_error(tmp_path):
    missing = tmp_path / "nothing_here.yaml"
    with pytest.raises(
        IndicatorDefinitionError, match=re.escape(f"{missing}, field '<file>': cannot be read")
    ):
        load_indicator(missing)


def test_top_level_must_be_a_mapping():
    with pytest.raises(
        IndicatorDefinitionError, match=r"x.yaml, line 1, field '<top>': must be a mapping"
    ):
        read_yaml("- just\n- a list\n", "x.yaml")


def test_on_and_yes_stay_text():
    # YAML 1.1 would read `on:` as the boolean True; registration: {on: ...} depends on this.
    node = read_yaml("on: period_end\nflag: yes\nreal: true\n", "x.yaml")
    assert node.value == {"on": "period_end", "flag": "yes", "real": True}


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("period_end", date(2024, 4, 1), date(2025, 3, 31), date(2025, 3, 31)),
        ("period_start + 7 months - 1 day", date(2024, 9, 1), date(2025, 2, 28), date(2025, 3, 31)),
        ("period_end - 36 months + 1 day", date(2024, 4, 1), date(2025, 3, 31), date(2022, 4, 1)),
        # 31 March minus one month is the last day of February (a leap year here).
        ("period_end - 1 month", date(2023, 4, 1), date(2024, 3, 31), date(2024, 2, 29)),
        ("2025-03-31 - 5 years", date(2000, 1, 1), date(2000, 1, 2), date(2020, 3, 31)),
        ("period_start+6 months-1 day", date(2024, 4, 1), date(2025, 3, 31), date(2024, 9, 30)),
    ],
)
def test_date_expressions(text, start, end, expected):
    assert parse_date_ref(text).resolve(start, end) == expected


def test_birth_takes_only_month_steps():
    assert parse_date_ref("birth + 5 years") == DateRef("birth", months=60)
    with pytest.raises(ValueError, match="birth is known only to the month"):
        parse_date_ref("birth + 10 days")


def test_add_months_clamps_to_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 15), -15) == date(2023, 12, 15)


MINIMAL = """
id: minimal_test
name: Minimal
source: {publisher: tests, title: t, url: https://example.org}
owner: o
checked_by: c
reviewed: 2026-01-01
next_review: 2027-01-01
why_it_matters: w
method: proportion
multiplier: 100
polarity: higher_is_better
periods: [{label: P, start: 2024-04-01, end: 2025-03-31}]
cohort:
  age: {min: 53, max: 70}
numerator:
  event_type: screening
  codes: {"24623002": Screening mammography}
  codes_from: tests
"""


def test_defaults():
    indicator = parse_indicator(read_yaml(MINIMAL, "minimal_test.yaml"))
    # Registration on the period's last day, age on the period's last day, window = period.
    assert indicator.cohort.registration.start == DateRef("period_end")
    assert indicator.cohort.age.at == DateRef("period_end")
    window = indicator.numerator.all_of[0].window
    assert (window.start, window.end, window.end_inclusive) == (
        DateRef("period_start"),
        DateRef("period_end"),
        True,
    )
    assert indicator.breakdowns == ("lsoa21", "imd_decile", "ethnicity5", "sex", "age_band")
    # Default ESP2013 five-year bands, clipped to the cohort's 53-70.
    assert [b.label for b in indicator.age_bands] == ["53-54", "55-59", "60-64", "65-69", "70"]


def test_dsr_age_range_must_cover_whole_standard_bands():
    text = MINIMAL.replace("method: proportion", "method: dsr\nstandard_population: ESP2013")
    text = text.replace("codes_from: tests", "codes_from: tests\n  count: events")
    with pytest.raises(
        IndicatorDefinitionError,
        match=r"field 'age_bands': the cohort's ages must cover whole ESP2013 bands",
    ):
        parse_indicator(read_yaml(text, "minimal_test.yaml"))
    whole = text.replace("age: {min: 53, max: 70}", "age: {min: 15, max: 74}")
    bands = parse_indicator(read_yaml(whole, "minimal_test.yaml")).age_bands
    assert [b.label for b in bands] == [
        "15-19",
        "20-24",
        "25-29",
        "30-34",
        "35-39",
        "40-44",
        "45-49",
        "50-54",
        "55-59",
        "60-64",
        "65-69",
        "70-74",
    ]
