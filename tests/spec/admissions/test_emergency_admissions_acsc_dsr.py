"""Emergency admissions for chronic ambulatory care sensitive conditions (DSR inputs): the
population registered at mid-period (30 September), by ESP2013 age band on that day; the
numerator counts `emergency_admission` events (one per emergency admission, coded with its
primary diagnosis) whose code is on the chronic ACSC list, every admission, not people.

2024/25: 2024-04-01..2025-03-31 (mid-period 2024-09-30); 2025/26: 2025-04-01..2026-03-31
(mid-period 2025-09-30). Codes match exactly: the list gives J44 (3 characters) and I110
(4 characters), so J440 and I11 are not on it.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

PEOPLE = people(
    """
    person_id | sex | birth_month | registration_start
    a1        | 1   | 1950-01     | 2000-01-01
    a2        | 2   | 1990-06     | 2000-01-01
    a3        | 1   | 1950-01     | 2024-10-01
    a4        | 2   | 2024-11     | 2024-12-01
    """
)

EVENTS = events(
    """
    person_id | event_type          | code | date
    a1        | emergency_admission | J44  | 2024-04-01
    a1        | emergency_admission | I110 | 2025-03-31
    a1        | emergency_admission | J440 | 2024-05-01
    a1        | emergency_admission | I11  | 2024-06-01
    a1        | emergency_admission | S72  | 2024-08-01
    a1        | admission           | 21   | 2024-07-01
    a2        | emergency_admission | J45  | 2024-03-31
    a2        | emergency_admission | J45  | 2025-04-01
    a2        | emergency_admission | J46  | 2025-04-01
    a3        | emergency_admission | E11  | 2024-12-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["emergency_admissions_acsc_dsr"], PEOPLE, EVENTS)


def test_2024_25_counts_listed_primary_diagnoses_in_the_period(result):
    # a1 (74 on 2024-09-30): J44 on the first day and I110 on the last day count; J440 and I11
    # are not on the list, S72 (a fracture) is not an ACSC, and an `admission` event is
    # another event type.
    assert counts(result, period="2024/25", age_band="70-74") == (1 + 1, 1)
    # a2 (34): the J45 admission is the day before the period.
    assert counts(result, period="2024/25", age_band="30-34") == (0, 1)
    # a3 registered after 30 September 2024 and a4 not yet born: neither is in the cohort, so
    # a3's E11 admission is not counted.
    assert counts(result, period="2024/25") == (2 + 0, 1 + 1)


def test_2025_26_counts_each_admission(result):
    # a2 (35 on 2025-09-30): two admissions on one day count twice.
    assert counts(result, period="2025/26", age_band="35-39") == (1 + 1, 1)
    # a1 (75), a3 (75, now registered; its admission was in 2024/25), a4 (0): none.
    assert counts(result, period="2025/26", age_band="75-79") == (0, 1 + 1)
    assert counts(result, period="2025/26", age_band="0-4") == (0, 1)
    assert counts(result, period="2025/26") == (2, 4)
