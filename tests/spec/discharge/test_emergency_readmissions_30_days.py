"""Emergency readmissions within 30 days of discharge (proportion of discharges, counted as
events): the cohort is the population registered at mid-period (30 September) with at least one
discharge in the period; the denominator counts their `discharge` events (one per finished
hospital spell, dated on the discharge day, coded with its destination) whose destination is
not another hospital (48-53, 84, 87: a transfer), death (79) or an unfinished spell (98); the
numerator counts those discharges that an emergency `admission` (method 21-28 but not 2B, a
transfer from another hospital) follows 1 to 29 days later. The published definition (CCG OIS
3.2) counts readmissions 0-29 days after discharge; day 29 is the 30th day counting the
discharge day as the first, so "within 30 days" ends there. Day 0 is left out (see the
catalogue file: dates alone cannot tell it from the spell's own admission).

Periods: 2023/24 (mid-period 2023-09-30), 2024/25 (2024-09-30), 2025/26 (2025-09-30). Bands
0-15, 16-74, 75+ by age at mid-period.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

PEOPLE = people(
    """
    person_id | sex | birth_month | registration_start
    r1        | 1   | 1950-01     | 2000-01-01
    r2        | 2   | 1940-01     | 2000-01-01
    r3        | 1   | 1940-01     | 2000-01-01
    r4        | 2   | 1990-06     | 2000-01-01
    r5        | 1   | 2020-01     | 2020-02-01
    r6        | 2   | 1950-01     | 2024-10-01
    r7        | 1   | 1950-01     | 2000-01-01
    """
)

EVENTS = events(
    """
    person_id | event_type | code | date
    r1        | discharge  | 19   | 2024-05-01
    r1        | admission  | 21   | 2024-05-30
    r1        | discharge  | 19   | 2024-06-05
    r1        | admission  | 22   | 2024-07-06
    r1        | discharge  | 19   | 2024-07-10
    r2        | discharge  | 19   | 2024-08-01
    r2        | admission  | 21   | 2024-08-31
    r2        | discharge  | 19   | 2024-09-02
    r2        | admission  | 21   | 2024-09-02
    r3        | discharge  | 51   | 2024-10-01
    r3        | admission  | 2B   | 2024-10-01
    r3        | discharge  | 19   | 2024-10-10
    r3        | admission  | 24   | 2024-10-10
    r3        | admission  | 2B   | 2024-10-12
    r3        | admission  | 11   | 2024-10-15
    r3        | admission  | 21   | 2024-11-08
    r3        | discharge  | 79   | 2024-11-20
    r4        | discharge  | 19   | 2024-03-31
    r4        | admission  | 21   | 2024-04-05
    r4        | discharge  | 19   | 2025-03-31
    r4        | admission  | 21   | 2025-04-29
    r4        | discharge  | 19   | 2025-05-02
    r5        | discharge  | 99   | 2024-06-01
    r5        | admission  | 21   | 2024-06-02
    r5        | admission  | 2A   | 2024-06-02
    r5        | discharge  | 19   | 2024-06-25
    r6        | discharge  | 19   | 2024-05-01
    r6        | admission  | 21   | 2024-05-10
    r7        | admission  | 21   | 2024-05-10
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["emergency_readmissions_30_days"], PEOPLE, EVENTS)


def test_three_discharges_one_readmitted_within_30_days(result):
    # r1 (74 on 2024-09-30): discharged 2024-05-01 and readmitted 2024-05-30, 29 days later
    # (the 30th day): counted. Discharged 2024-06-05 and readmitted 2024-07-06, 31 days later:
    # not counted. Discharged 2024-07-10, nothing after. 1 of 3 discharges.
    # r4 (34): discharged on the period's last day, 2025-03-31, readmitted 2025-04-29 (29 days
    # later, in the next period): counted in 2024/25. 1 of 1.
    assert counts(result, period="2024/25", age_band="16-74") == (1 + 1, 3 + 1)


def test_day_30_after_discharge_transfers_and_deaths(result):
    # r2 (84): discharged 2024-08-01, readmitted 2024-08-31, 30 days later (the 31st day): not
    # counted; discharged 2024-09-02 with an emergency admission the same day (day 0): not
    # counted. 0 of 2.
    # r3 (84): the discharge to another NHS hospital (51) on 2024-10-01 and the same-day
    # transfer admission (2B) are one continuous stay: not a discharge, not a readmission.
    # Discharged home 2024-10-10: the emergency admission that day (day 0), the transfer
    # (2B) two days later and the elective admission (11) do not count; the emergency
    # admission on 2024-11-08, 29 days later, does. The death (79) is not a discharge. 1 of 1.
    assert counts(result, period="2024/25", age_band="75+") == (0 + 1, 2 + 1)


def test_a_discharge_counts_once_and_only_cohort_discharges_count(result):
    # r5 (4): the discharge of unknown destination (99) on 2024-06-01 is followed by two
    # emergency admissions the next day (1 day later) and counts once; 2024-06-25 has none.
    # 1 of 2.
    assert counts(result, period="2024/25", age_band="0-15") == (1, 2)
    # r6 registered after 30 September 2024 and r7 has no discharge: neither is in the
    # cohort. Total: r1 1/3, r2 0/2, r3 1/1, r4 1/1, r5 1/2.
    assert counts(result, period="2024/25") == (1 + 0 + 1 + 1 + 1, 3 + 2 + 1 + 1 + 2)


def test_other_periods(result):
    # 2023/24: r4 (33 on 2023-09-30) discharged 2024-03-31, readmitted 2024-04-05 (5 days).
    assert counts(result, period="2023/24") == (1, 1)
    # 2025/26: r4 (35) discharged 2025-05-02, nothing after; r6 (now registered) and the rest
    # have no discharge in the period.
    assert counts(result, period="2025/26", age_band="16-74") == (0, 1)
    assert counts(result, period="2025/26") == (0, 1)
