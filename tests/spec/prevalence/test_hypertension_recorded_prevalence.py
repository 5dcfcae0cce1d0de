"""Hypertension register (QOF rule): registered people of any age whose latest hypertension
code up to the period's last day is later than their latest "resolved" code up to that day.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

HYPERTENSION = "38341003"
ESSENTIAL = "59621000"
RESOLVED = "162659009"

PEOPLE = people(
    """
    person_id | sex | birth_month
    y1        | 1   | 1950-01
    y2        | 2   | 1950-01
    y3        | 1   | 1950-01
    y4        | 2   | 1950-01
    y5        | 1   | 1950-01
    y6        | 2   | 1950-01
    y7        | 1   | 1950-01
    y8        | 2   | 2020-01
    """
)

EVENTS = events(
    f"""
    person_id | event_type | code           | date
    y1        | diagnosis  | {HYPERTENSION} | 2010-01-01
    y2        | diagnosis  | {HYPERTENSION} | 2010-01-01
    y2        | diagnosis  | {RESOLVED}     | 2015-01-01
    y3        | diagnosis  | {HYPERTENSION} | 2010-01-01
    y3        | diagnosis  | {RESOLVED}     | 2015-01-01
    y3        | diagnosis  | {ESSENTIAL}    | 2020-01-01
    y4        | diagnosis  | {HYPERTENSION} | 2020-01-01
    y4        | diagnosis  | {RESOLVED}     | 2020-01-01
    y5        | diagnosis  | {HYPERTENSION} | 2025-04-01
    y6        | diagnosis  | {RESOLVED}     | 2015-01-01
    y7        | diagnosis  | {HYPERTENSION} | 2010-01-01
    y7        | diagnosis  | {RESOLVED}     | 2025-06-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["hypertension_recorded_prevalence"], PEOPLE, EVENTS)


def test_register_at_the_end_of_2024_25(result):
    # On the register on 2025-03-31: y1; y3 (re-diagnosed after being resolved); y7 (resolved
    # only after the period). Off: y2 (resolved), y4 (resolved the same day: not later),
    # y5 (diagnosed after the period), y6 (resolved code alone), y8 (no codes).
    assert counts(result, period="2024/25") == (1 + 1 + 1, 8)


def test_register_at_the_end_of_2025_26(result):
    # y5 joins, y7 leaves.
    assert counts(result, period="2025/26") == (1 + 1 + 1, 8)
    # All of y1, y3, y5 and y7 are men.
    assert counts(result, period="2025/26", sex="1") == (1 + 1 + 1, 4)


def test_all_ages_in_the_denominator(result):
    # y8, born January 2020, is 5 on 2025-03-31.
    assert counts(result, period="2024/25", age_band="5-9") == (0, 1)
