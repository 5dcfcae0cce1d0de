"""Emergency admissions of care home residents aged 65 and over (crude rate inputs): people
registered and aged 65+ at mid-period (30 September) whose latest care home residence code
(SNOMED CT 160734000 or 248171000000108) on or before that day is later than their latest
"no longer lives in a care home" code; the numerator counts their emergency admissions
(admission method 21-28) in the period, every admission. Bands 65-74, 75-84, 85+.

Mid-periods: 2024-09-30 (2024/25) and 2025-09-30 (2025/26). Born 1940-01: 84 on 2024-09-30,
85 on 2025-09-30; born 1930-01: 94 and 95.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

NURSING = "160734000"
CARE_HOME = "248171000000108"
LEFT = "HG-LOCAL-CH-LEFT"

PEOPLE = people(
    """
    person_id | sex | birth_month
    c1        | 2   | 1940-01
    c2        | 1   | 1940-01
    c3        | 2   | 1940-01
    c4        | 1   | 1940-01
    c5        | 2   | 1970-01
    c6        | 1   | 1940-01
    c7        | 2   | 1930-01
    """
)

EVENTS = events(
    f"""
    person_id | event_type  | code        | date
    c1        | observation | {NURSING}   | 2020-01-01
    c1        | admission   | 21          | 2024-05-01
    c1        | admission   | 2B          | 2024-06-01
    c1        | admission   | 11          | 2024-07-01
    c2        | observation | {CARE_HOME} | 2024-09-30
    c2        | admission   | 22          | 2025-03-31
    c3        | observation | {CARE_HOME} | 2024-10-01
    c3        | admission   | 21          | 2024-12-01
    c3        | admission   | 24          | 2025-09-30
    c4        | observation | {NURSING}   | 2015-01-01
    c4        | observation | {LEFT}      | 2019-01-01
    c4        | admission   | 21          | 2024-05-01
    c5        | observation | {NURSING}   | 2010-01-01
    c5        | admission   | 21          | 2024-05-01
    c6        | observation | {NURSING}   | 2018-01-01
    c6        | observation | {LEFT}      | 2018-01-01
    c7        | observation | {LEFT}      | 2016-01-01
    c7        | observation | {NURSING}   | 2018-01-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["emergency_admissions_care_home_residents"], PEOPLE, EVENTS)


def test_residents_on_30_september_2024(result):
    # Residents: c1 (coded 2020), c2 (coded on mid-period day itself), c7 (left in 2016,
    # back in 2018). Not: c3 (coded after mid-period), c4 (left), c6 (left the same day: a
    # resolving code on the same day wins), c5 (54).
    # c1: two emergency admissions (21, 2B; 11 is elective); c2: one on the last day.
    assert counts(result, period="2024/25", age_band="75-84") == (2 + 1, 2)
    assert counts(result, period="2024/25", age_band="85+") == (0, 1)
    assert counts(result, period="2024/25") == (3, 3)


def test_residents_on_30_september_2025(result):
    # c1, c2, c3 (now coded) and c7, all 85 or over; c3's admission on 2025-09-30 counts.
    assert counts(result, period="2025/26", age_band="85+") == (1, 1 + 1 + 1 + 1)
    assert counts(result, period="2025/26") == (1, 4)
