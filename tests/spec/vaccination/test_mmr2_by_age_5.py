"""MMR, two doses by age 5: children aged 5 on the period's last day (their fifth birthday fell
in the period), with two MMR doses (any of the codes) from their birth month until before the
first day of the month of their fifth birthday (birth is known to the month only).

Periods: 2024/25 = 2024-04-01..2025-03-31 (born 2019-04..2020-03 are 5 on 2025-03-31);
         2025/26 = 2025-04-01..2026-03-31 (born 2020-04..2021-03).
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

MMR = "38598009"
FIRST = "308081000000105"
SECOND = "170433008"

PEOPLE = people(
    """
    person_id | sex | birth_month | age
    m1        | 1   | 2020-03     |
    m2        | 2   | 2020-04     |
    m3        | 1   | 2019-04     |
    m4        | 2   | 2019-04     |
    m5        | 1   | 2019-06     |
    m6        | 2   | 2019-06     |
    m7        | 1   | 2019-06     |
    m8        | 2   |             | 5
    """
)

EVENTS = events(
    f"""
    person_id | event_type  | code     | date
    m1        | vaccination | {MMR}    | 2021-03-15
    m1        | vaccination | {SECOND} | 2023-06-01
    m2        | vaccination | {FIRST}  | 2021-05-01
    m2        | vaccination | {SECOND} | 2023-08-01
    m3        | vaccination | {FIRST}  | 2020-04-10
    m3        | vaccination | {SECOND} | 2024-03-31
    m4        | vaccination | {FIRST}  | 2020-04-10
    m4        | vaccination | {SECOND} | 2024-04-01
    m5        | vaccination | {FIRST}  | 2020-06-01
    m6        | vaccination | {FIRST}  | 2019-05-31
    m6        | vaccination | {SECOND} | 2022-01-01
    m7        | vaccination | {MMR}    | 2020-07-01
    m7        | vaccination | {MMR}    | 2023-09-01
    m8        | vaccination | {FIRST}  | 2020-07-01
    m8        | vaccination | {SECOND} | 2023-09-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["mmr2_by_age_5"], PEOPLE, EVENTS)


def test_two_doses_before_the_fifth_birthday(result):
    # Aged 5 on 2025-03-31: m1, m3, m4, m5, m6, m7 and m8 (age 5 as given); m2 is 4.
    # Two doses in time: m1; m3 (second dose on the last day before April 2024); m7 (two
    # doses with the same code). m4's second dose is in the birthday month itself; m5 has one
    # dose; m6's first is dated before birth. m8 has no birth month, so "before the fifth
    # birthday" cannot be checked and m8 is never counted as vaccinated.
    assert counts(result, period="2024/25") == (1 + 1 + 1, 7)


def test_next_cohort(result):
    # 2025/26: m2 (born April 2020) and m8 (still 5 as given); m2 had both doses.
    assert counts(result, period="2025/26") == (1, 2)


def test_single_age_band(result):
    assert set(result["age_band"]) == {"5"}
