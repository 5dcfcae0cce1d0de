"""Emergency admissions due to falls, people aged 65 and over (DSR inputs): the population
registered at mid-period (30 September) and aged 65 or over on that day, by ESP2013 band
(65-69 ... 90+); the numerator counts `emergency_admission_cause` events coded W00-W19 (a fall
as the external cause of an injury admission), every admission.

Mid-periods: 2024-09-30 (2024/25) and 2025-09-30 (2025/26). Age counts from the 1st of the
birth month: born 1959-09 is 65 on 2024-09-30 ((2024 - 1959) x 12 + (9 - 9) = 780 months);
born 1959-10 is 64 (779 months) and 65 a year later.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

PEOPLE = people(
    """
    person_id | sex | birth_month
    f1        | 2   | 1959-10
    f2        | 1   | 1959-09
    f3        | 2   | 1930-01
    """
)

EVENTS = events(
    """
    person_id | event_type                | code | date
    f2        | emergency_admission_cause | W19  | 2024-04-01
    f2        | emergency_admission_cause | W01  | 2024-10-10
    f2        | emergency_admission_cause | X59  | 2024-11-01
    f2        | emergency_admission       | W19  | 2024-12-01
    f1        | emergency_admission_cause | W10  | 2024-06-01
    f1        | emergency_admission_cause | W18  | 2025-04-01
    f3        | emergency_admission_cause | W06  | 2026-03-31
    f3        | emergency_admission_cause | W06  | 2026-04-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["emergency_admissions_falls_65_plus_dsr"], PEOPLE, EVENTS)


def test_2024_25(result):
    # f2 (65): two falls (W19, W01); X59 is not a fall and the `emergency_admission` event is
    # another event type. f1 is 64, so neither f1 nor f1's fall counts. f3 (94) has none.
    assert counts(result, period="2024/25", age_band="65-69") == (1 + 1, 1)
    assert counts(result, period="2024/25", age_band="90+") == (0, 1)
    assert counts(result, period="2024/25") == (2, 1 + 1)


def test_2025_26(result):
    # f1 (now 65) falls on the first day; f2 (66) none this year; f3 (95) on the last day
    # (the fall the day after is outside the period).
    assert counts(result, period="2025/26", age_band="65-69") == (1 + 0, 1 + 1)
    assert counts(result, period="2025/26", age_band="90+") == (1, 1)
    assert counts(result, period="2025/26") == (2, 3)
