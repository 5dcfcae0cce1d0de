"""Bowel screening coverage: people of any sex code aged 60 to 74 on the period's last day with
a bowel screening result in the last 30 months.

2024/25 ends 2025-03-31: the window is 2022-10-01..2025-03-31.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

NORMAL = "375211000000108"
ABNORMAL = "HG-LOCAL-BCSP-FIT-ABNORMAL"

PEOPLE = people(
    """
    person_id | sex | birth_month
    o1        | 1   | 1965-03
    o2        | 2   | 1965-04
    o3        | 1   | 1950-04
    o4        | 2   | 1955-01
    o5        | 9   | 1955-01
    o6        | 2   | 1955-01
    """
)

EVENTS = events(
    f"""
    person_id | event_type | code       | date
    o1        | screening  | {NORMAL}   | 2022-10-01
    o2        | screening  | {NORMAL}   | 2024-01-01
    o3        | screening  | {ABNORMAL} | 2025-03-31
    o4        | screening  | {NORMAL}   | 2022-09-30
    o5        | screening  | {NORMAL}   | 2024-01-01
    o6        | screening  | 24623002   | 2024-01-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["bowel_screening_coverage"], PEOPLE, EVENTS)


def test_thirty_months(result):
    # Cohort: o1 (60), o3 (74), o4, o5, o6; o2 is 59.
    # Screened: o1 on the window's first day, o3 on its last (local abnormal-result code),
    # o5. o4 is a day early; o6's code is a mammogram.
    assert counts(result, period="2024/25") == (1 + 1 + 1, 5)


def test_every_sex_code_counts(result):
    assert counts(result, period="2024/25", sex="9") == (1, 1)
