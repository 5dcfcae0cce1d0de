"""Emergency admissions (DSR inputs): the population registered at mid-period (30 September),
by ESP2013 age band on that day; the numerator counts emergency admissions (admission method
21-25, 2A-2D, 28) of those people during the period, every admission, not people.

2024/25: 2024-04-01..2025-03-31; mid-period 2024-09-30.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

PEOPLE = people(
    """
    person_id | sex | birth_month | registration_start
    e1        | 1   | 1950-01     | 2000-01-01
    e2        | 2   | 1950-01     | 2000-01-01
    e3        | 1   | 2022-06     | 2022-07-01
    e4        | 2   | 1950-01     | 2024-10-01
    e5        | 2   | 1930-01     | 2000-01-01
    """
)

EVENTS = events(
    """
    person_id | event_type | code | date
    e1        | admission  | 21   | 2024-04-01
    e1        | admission  | 2A   | 2025-03-31
    e1        | admission  | 11   | 2024-06-01
    e2        | admission  | 21   | 2024-03-31
    e2        | diagnosis  | 21   | 2024-06-01
    e3        | admission  | 22   | 2024-05-01
    e3        | admission  | 22   | 2024-05-01
    e4        | admission  | 21   | 2024-12-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["emergency_admissions_dsr"], PEOPLE, EVENTS)


def test_admissions_by_standard_age_band(result):
    # 70-74 on 2024-09-30: e1 and e2 (both 74). e1: two emergency admissions on the period's
    # first and last days (the elective method 11 does not count); e2's admission is a day
    # early and the other record is a diagnosis.
    assert counts(result, period="2024/25", age_band="70-74") == (2, 1 + 1)
    # e3 (aged 2): two admissions on one day count twice.
    assert counts(result, period="2024/25", age_band="0-4") == (1 + 1, 1)
    # e5 (94) with none.
    assert counts(result, period="2024/25", age_band="90+") == (0, 1)


def test_only_the_mid_period_population(result):
    # e4 registered after 30 September 2024: neither e4 nor e4's admission is counted.
    assert counts(result, period="2024/25") == (2 + 2 + 0, 4)
