"""NHS Health Check: people aged 40 to 74 on the period's last day with none of the exclusion
diagnoses recorded up to that day, who had a check in the last five years.

2024/25 ends 2025-03-31: the window is 2020-04-01..2025-03-31;
2025/26 ends 2026-03-31: the window is 2021-04-01..2026-03-31.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

COMPLETED = "523221000000100"
COMPLETED_SITUATION = "904471000000104"

PEOPLE = people(
    """
    person_id | sex | birth_month
    h1        | 1   | 1980-01
    h2        | 2   | 1980-01
    h3        | 1   | 1980-01
    h4        | 2   | 1980-01
    h5        | 1   | 1985-04
    h6        | 2   | 1950-04
    """
)

EVENTS = events(
    f"""
    person_id | event_type  | code                  | date
    h1        | procedure   | {COMPLETED}           | 2020-04-01
    h2        | procedure   | {COMPLETED}           | 2020-03-31
    h3        | diagnosis   | 38341003              | 2019-01-01
    h3        | procedure   | {COMPLETED}           | 2024-01-01
    h4        | diagnosis   | 73211009              | 2025-04-01
    h4        | procedure   | {COMPLETED_SITUATION} | 2024-06-01
    h6        | observation | 49436004              | 2010-01-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["nhs_health_check_uptake"], PEOPLE, EVENTS)


def test_eligible_people_checked_in_five_years(result):
    # Eligible: h1, h2, h4 (diabetes only after the period), h6 (74; the AF code is an
    # observation, not a diagnosis); h3 has hypertension, h5 is 39.
    # Checked: h1 on the window's first day, h4. h2's check is a day early.
    assert counts(result, period="2024/25") == (1 + 1, 4)


def test_next_period(result):
    # Eligible on 2026-03-31: h1, h2, h5 (40 now); h4 now has diabetes, h6 is 75.
    # h1's check of 2020-04-01 has left the five-year window.
    assert counts(result, period="2025/26") == (0, 3)
