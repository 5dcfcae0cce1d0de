"""Diabetes register (QOF rule, aged 17 and over on the period's last day)."""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

PEOPLE = people(
    """
    person_id | sex | birth_month
    d1        | 1   | 2008-03
    d2        | 2   | 2008-04
    d3        | 1   | 1970-01
    d4        | 2   | 1970-01
    d5        | 1   | 1970-01
    """
)

EVENTS = events(
    """
    person_id | event_type | code       | date
    d1        | diagnosis  | 44054006   | 2024-01-01
    d2        | diagnosis  | 44054006   | 2024-01-01
    d3        | diagnosis  | 46635009   | 2000-01-01
    d3        | diagnosis  | 315051004  | 2010-01-01
    d4        | diagnosis  | not-a-code | 2010-01-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["diabetes_recorded_prevalence"], PEOPLE, EVENTS)


def test_register_aged_17_and_over(result):
    # Aged 17+ on 2025-03-31: d1 (17 from March 2025), d3, d4, d5; d2 is 16.
    # On the register: d1 only (d3 resolved, d4's code is not a diabetes code).
    assert counts(result, period="2024/25") == (1, 4)
    assert counts(result, period="2024/25", age_band="17-19") == (1, 1)
