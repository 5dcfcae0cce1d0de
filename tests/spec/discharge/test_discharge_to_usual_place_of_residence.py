"""Discharge to the usual place of residence (proportion of discharges, counted as events):
the cohort is the population registered at mid-period (30 September) with at least one
discharge in the period; the denominator counts their `discharge` events (one per finished
hospital spell, dated on the discharge day, coded with its destination) to a known destination
other than another hospital: not 48-53, 84, 87 (a transfer), 79 (died), 98 (not finished) or
99 (not known). The numerator counts those with destination 19, the usual place of residence.

Periods: 2024/25 (2024-04-01..2025-03-31, mid-period 2024-09-30) and 2025/26. Bands 0-17,
18-64, 65-74, 75-84, 85+ by age at mid-period.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

PEOPLE = people(
    """
    person_id | sex | birth_month | registration_start
    h1        | 2   | 1940-01     | 2000-01-01
    h2        | 1   | 1930-01     | 2000-01-01
    h3        | 2   | 1990-06     | 2000-01-01
    h4        | 1   | 1950-01     | 2024-10-01
    h5        | 2   | 2015-01     | 2015-02-01
    """
)

EVENTS = events(
    """
    person_id | event_type | code | date
    h1        | discharge  | 19   | 2024-05-01
    h1        | discharge  | 54   | 2024-07-01
    h1        | discharge  | 19   | 2024-09-01
    h1        | discharge  | 79   | 2024-12-01
    h1        | admission  | 19   | 2024-06-01
    h2        | discharge  | 51   | 2024-06-01
    h2        | discharge  | 85   | 2024-06-01
    h2        | discharge  | 99   | 2024-08-01
    h3        | discharge  | 19   | 2024-04-01
    h3        | discharge  | 29   | 2025-03-31
    h3        | discharge  | 19   | 2025-04-01
    h4        | discharge  | 19   | 2024-05-01
    h5        | discharge  | 19   | 2024-11-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["discharge_to_usual_place_of_residence"], PEOPLE, EVENTS)


def test_each_discharge_counts(result):
    # h1 (84 on 2024-09-30): home (19) twice, to an NHS care home (54) once; the death (79)
    # is not a discharge, and an `admission` event coded 19 is another event type. 2 of 3.
    assert counts(result, period="2024/25", age_band="75-84") == (1 + 1, 3)
    # h2 (94): the transfer to another hospital (51) continues the stay; the same-day
    # discharge from there to a care home (85) counts; "not known" (99) is left out. 0 of 1.
    assert counts(result, period="2024/25", age_band="85+") == (0, 1)


def test_period_bounds_and_cohort(result):
    # h3 (34): home on the period's first day, to a temporary residence (29) on its last day;
    # the next day's discharge belongs to 2025/26. 1 of 2.
    assert counts(result, period="2024/25", age_band="18-64") == (1, 2)
    # h5 (9): home. 1 of 1. h4 registered after 30 September 2024: not in the cohort.
    assert counts(result, period="2024/25", age_band="0-17") == (1, 1)
    assert counts(result, period="2024/25", age_band="65-74") == (0, 0)
    assert counts(result, period="2024/25") == (2 + 0 + 1 + 1, 3 + 1 + 2 + 1)


def test_next_period(result):
    # 2025/26: h3 (35) home on 2025-04-01; h4 is registered now but has no discharge then.
    assert counts(result, period="2025/26") == (1, 1)
