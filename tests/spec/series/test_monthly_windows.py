"""Series periods (`healthgap.indicators.series`): catalogue indicators recomputed by month or
quarter. Windows relative to the period are resolved against each series period; the cohort
(age and registration) is taken on the series period's last day.

Monthly ACSC admissions (DSR inputs), 2024-03 to 2024-05: each month counts the events dated
from its 1st to its last day, for people registered (and born) by the month's last day.
NHS Health Check uptake by quarter, 2024-01 to 2024-06: "a check in the last 5 years to
period_end" becomes a rolling five years to each quarter's last day: for the quarter ending
2024-03-31 it starts on 2019-04-01, for the one ending 2024-06-30 on 2019-07-01.
"""

from __future__ import annotations

import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators.series import series_indicators, series_periods
from tests.spec.tables import counts, events, people

CHECK = "523221000000100"

PEOPLE = people(
    """
    person_id | sex | birth_month | registration_start
    m1        | 1   | 1950-01     | 2000-01-01
    m2        | 2   | 1990-06     | 2024-04-15
    m3        | 1   | 2024-05     | 2024-05-20
    h1        | 2   | 1970-01     | 2000-01-01
    h2        | 1   | 1970-01     | 2000-01-01
    """
)

EVENTS = events(
    f"""
    person_id | event_type          | code     | date
    m1        | emergency_admission | J44      | 2024-03-31
    m1        | emergency_admission | J44      | 2024-04-01
    m1        | emergency_admission | I50      | 2024-04-30
    m1        | emergency_admission | J44      | 2024-05-01
    m2        | emergency_admission | J45      | 2024-04-20
    m2        | emergency_admission | J45      | 2024-03-10
    m3        | emergency_admission | J45      | 2024-05-31
    h1        | procedure           | {CHECK}  | 2019-04-01
    h2        | procedure           | {CHECK}  | 2019-07-01
    """
)


def _indicators():
    monthly = series_indicators(
        load_catalogue(ids=["emergency_admissions_acsc_dsr"]), series_periods("2024-03", "2024-05")
    )
    quarterly = series_indicators(
        load_catalogue(ids=["nhs_health_check_uptake"]),
        series_periods("2024-01", "2024-06", by="quarter"),
    )
    return {**monthly, **quarterly}


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(_indicators(), PEOPLE, EVENTS)


def acsc(result, month):
    return counts(result, indicator_id="emergency_admissions_acsc_dsr", period=month)


def test_each_month_counts_its_own_events(result):
    # The ACSC cohort is everyone registered, so h1 and h2 (no admissions) are in every month.
    # March: m1's admission on the 31st; m2 registered only on 2024-04-15, so neither m2 nor
    # m2's March admission counts, and m3 is not born.
    assert acsc(result, "2024-03") == (1, 1 + 2)
    # April: m1 on the 1st and the 30th, m2 on the 20th (registered by 30 April).
    assert acsc(result, "2024-04") == (2 + 1, 1 + 1 + 2)
    # May: m1 on the 1st; m3, born in May (aged 0 on 31 May) and registered on the 20th, on
    # the 31st.
    assert acsc(result, "2024-05") == (1 + 1, 1 + 1 + 1 + 2)


def test_rolling_windows_move_with_the_quarter(result):
    # h1, h2 (54) and m1 (74) are in both quarters' cohorts (40-74 on the quarter's last
    # day); m2 (33) and m3 are too young. Only h1 and h2 have checks.
    q1 = counts(result, indicator_id="nhs_health_check_uptake", period="2024-01")
    q2 = counts(result, indicator_id="nhs_health_check_uptake", period="2024-04")
    # Quarter ending 2024-03-31: checks from 2019-04-01 count, h1's (on that day) and h2's.
    assert q1 == (1 + 1, 2 + 1)
    # Quarter ending 2024-06-30: from 2019-07-01, so h1's check has dropped out.
    assert q2 == (1, 2 + 1)
