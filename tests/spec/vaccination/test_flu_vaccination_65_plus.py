"""Flu vaccination, 65+: age on 31 March at the end of the season, registration on the last
day of the season, vaccinations from 1 September to the end of February (both inclusive).

Seasons: 2024/25 = 2024-09-01..2025-02-28 (age on 2025-03-31);
         2025/26 = 2025-09-01..2026-02-28 (age on 2026-03-31).
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

INDICATOR = "flu_vaccination_65_plus"
FLU = "822851000000102"
PHARMACIST = "955691000000108"

PEOPLE = people(
    """
    person_id | sex | birth_month | age | ethnicity | lsoa21 | registration_start | registration_end
    a1 | 2 | 1960-03 |    | A  | E01000001 | 2000-01-01 |
    a2 | 2 | 1960-04 |    | A  | E01000001 | 2000-01-01 |
    a3 | 1 | 1950-01 |    | A  | E01000001 | 2000-01-01 |
    a4 | 1 | 1950-01 |    | A  | E01000001 | 2000-01-01 |
    a5 | 1 | 1950-01 |    | A  | E01000001 | 2000-01-01 |
    a6 | 1 |         | 70 | A  | E01000001 | 2000-01-01 |
    b1 | 2 | 1950-01 |    | A  | E01000002 | 2025-03-01 |
    b2 | 2 | 1950-01 |    | A  | E01000002 | 2000-01-01 | 2025-02-27
    b3 | 2 | 1950-01 |    | A  | E01000002 | 2000-01-01 | 2025-02-28
    b4 | 2 | 1950-01 |    | A  | E01000002 |            |
    c1 | 1 | 1935-06 |    | H1 | E01000003 | 2000-01-01 |
    c2 | 2 | 1934-03 |    |    | E01000003 | 2000-01-01 |
    """
)

EVENTS = events(
    f"""
    person_id | event_type  | code       | date
    a1        | vaccination | {FLU}      | 2024-09-01
    a2        | vaccination | {FLU}      | 2026-02-28
    a3        | vaccination | {FLU}      | 2024-08-31
    a3        | vaccination | {FLU}      | 2025-03-01
    a4        | vaccination | {PHARMACIST} | 2024-12-01
    a4        | vaccination | 123456     | 2025-10-01
    a5        | procedure   | {FLU}      | 2024-10-01
    a6        | vaccination | {FLU}      | 2024-10-10
    b1        | vaccination | {FLU}      | 2025-10-01
    b2        | vaccination | {FLU}      | 2024-10-01
    b3        | vaccination | {FLU}      | 2024-10-01
    c1        | vaccination | {FLU}      | 2024-11-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run([INDICATOR], PEOPLE, EVENTS)


def test_age_on_31_march_and_season_bounds(result):
    # 2024/25 cohort: a1 (65 from 1 March 2025), a3, a4, a5, a6 (age 70 as given); a2 is 64.
    # Vaccinated in the season: a1 (first day), a4 (pharmacist code), a6. a3's are a day
    # outside; a5's code is recorded as a procedure, not a vaccination.
    assert counts(result, period="2024/25", lsoa21="E01000001") == (1 + 1 + 1, 5)


def test_turning_65_joins_the_next_season(result):
    # 2025/26: a2 is now 65 (born April 1960) and vaccinated on the season's last day; a4's
    # code 123456 is not a flu vaccination.
    assert counts(result, period="2025/26", lsoa21="E01000001") == (1, 6)


def test_registered_on_the_last_day_of_the_season(result):
    # b1 registers after 2024/25 ends; b2 leaves the day before it ends; b3 leaves on its last
    # day (still registered); b4 was never registered.
    assert counts(result, period="2024/25", lsoa21="E01000002") == (1, 1)
    assert counts(result, period="2025/26", lsoa21="E01000002") == (1, 1)


def test_fine_grain_keys(result):
    # c1: male, NHS code H1 -> national code H, 89 on 2025-03-31 (born June 1935).
    assert counts(result, period="2024/25", ethnicity="H", sex="1", age_band="85-89") == (1, 1)
    # c2: no ethnicity recorded -> 99; 91 on 2025-03-31 -> 90+.
    assert counts(result, period="2024/25", ethnicity="99", sex="2", age_band="90+") == (0, 1)
