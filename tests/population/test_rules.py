"""Column checks: each parser's accepted values, normalised output and rule."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from healthgap.population.rules import PARSERS, ParseContext, people_row_rules

CONTEXT = ParseContext(today=date(2025, 6, 30))


def parse(kind: str, values: list[str | None]):
    result = PARSERS[kind](pa.array(values, pa.string()), CONTEXT)
    bad = [i for mask, _ in result.failures for i, b in enumerate(mask) if b]
    return result.values.to_pylist(), sorted(bad), [rule for _, rule in result.failures]


def test_sex_codes_and_letters():
    values, bad, _ = parse("sex", ["1", "2", "9", "0", "m", "F", "X", "3", None])
    assert values == ["1", "2", "9", "0", "1", "2", None, None, None]
    assert bad == [6, 7]


def test_age_whole_years_up_to_125():
    values, bad, rules = parse("age", ["0", "42", "125", "126", "-1", "4.5", "abc", None])
    assert values == [0, 42, 125, None, None, None, None, None]
    assert bad == [3, 4, 5, 6]
    assert rules == ["must be a whole number of years from 0 to 125"]


def test_birth_month_accepts_a_day_and_drops_it():
    values, bad, _ = parse(
        "birth_month",
        ["1990-05", "1990-05-17", "1990-13", "1990-02-30", "1879-12", "2025-07", "1990/05"],
    )
    assert values == ["1990-05", "1990-05", None, None, None, None, None]
    assert bad == [2, 3, 4, 5, 6]


def test_dates_must_exist_and_lie_between_1880_and_today():
    values, bad, _ = parse(
        "date", ["2024-02-29", "2023-02-29", "2025-06-30", "2025-07-01", "1879-12-31", "2020-1-1"]
    )
    assert values == [date(2024, 2, 29), None, date(2025, 6, 30), None, None, None]
    assert bad == [1, 3, 4, 5]


def test_ethnicity_blank_and_x_are_not_known():
    values, bad, _ = parse("ethnicity", ["A", "c", "R1", "99", None, "X", "I", "O", "Q", "AB1"])
    assert values == ["A", "C", "R1", "99", "99", "99", None, None, None, None]
    assert bad == [6, 7, 8, 9]  # I, O, Q are not national codes; 3 characters is too long


def test_lsoa_and_practice_patterns():
    lsoa, bad_lsoa, _ = parse("lsoa21", ["E01000001", "e01033768", "E02000001", "W01000001"])
    assert lsoa == ["E01000001", "E01033768", None, None]
    assert bad_lsoa == [2, 3]
    practice, bad_practice, _ = parse("gp_practice", ["M85001", "y02345", "M8500", "MM5001"])
    assert practice == ["M85001", "Y02345", None, None]
    assert bad_practice == [2, 3]


def test_numbers_must_be_finite():
    values, bad, _ = parse("number", ["1.5", "-2", "1e3", ".5", "nan", "inf", "1e400", "1,5"])
    assert values == [1.5, -2.0, 1000.0, 0.5, None, None, None, None]
    assert bad == [4, 5, 6, 7]


def test_person_id_must_not_be_an_nhs_number():
    values, bad, rules = parse("person_id", ["p-001", "943 476 5919", "9434765919", "a b"])
    assert values == ["p-001", None, None, None]
    assert bad == [1, 2, 3]
    assert any("must not be an NHS number" in rule for rule in rules)


def test_nhs_number_parser_needs_a_key():
    with pytest.raises(ValueError, match="needs a pseudonym key"):
        parse("nhs_number", ["9434765919"])


def test_people_row_rules():
    raw = {
        "age": pa.array(["1", None, None], pa.string()),
        "birth_month": pa.array([None, None, "2000-05"], pa.string()),
    }
    parsed = {
        "birth_month": pa.array([None, None, "2000-05"], pa.string()),
        "registration_start": pa.array([date(2010, 1, 1), None, date(2000, 4, 30)], pa.date32()),
        "registration_end": pa.array([date(2009, 12, 31), None, None], pa.date32()),
    }
    failures = {(f.column, f.rule): f.mask.tolist() for f in people_row_rules(raw, parsed)}
    assert failures == {
        ("age", "age or birth_month must be given"): [False, True, False],
        ("registration_end", "must not be before registration_start"): [True, False, False],
        ("registration_start", "must not be before birth_month"): [False, False, True],
    }
