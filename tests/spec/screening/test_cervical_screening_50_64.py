"""Cervical screening, 50-64: women aged 50 to 64 on the period's last day, without a
hysterectomy, with a screening code in the last 5.5 years (66 months).

2024/25 ends 2025-03-31: the window is 2019-10-01..2025-03-31.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

SCREEN = "171149006"

PEOPLE = people(
    """
    person_id | sex | birth_month
    w1        | 2   | 1975-03
    w2        | 2   | 1960-04
    w3        | 2   | 1960-03
    w4        | 2   | 1970-01
    """
)

EVENTS = events(
    f"""
    person_id | event_type | code      | date
    w1        | screening  | {SCREEN}  | 2019-10-01
    w2        | screening  | {SCREEN}  | 2019-09-30
    w3        | screening  | {SCREEN}  | 2024-01-01
    w4        | screening  | {SCREEN}  | 2024-01-01
    w4        | procedure  | 236886002 | 2010-05-05
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["cervical_screening_50_64"], PEOPLE, EVENTS)


def test_five_and_a_half_years(result):
    # Cohort: w1 (50), w2 (64); w3 is 65, w4 had a hysterectomy.
    # Screened: w1 on the window's first day; w2 a day before it.
    assert counts(result, period="2024/25") == (1, 2)
