"""Cervical screening, 25-49: women aged 25 to 49 on the period's last day, without a
hysterectomy recorded up to that day, with a screening code in the last 3.5 years (42 months).

2024/25 ends 2025-03-31: the window is 2021-10-01..2025-03-31.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

SCREEN = "171149006"
SMEAR = "308728002"
HYSTERECTOMY = "236886002"

PEOPLE = people(
    """
    person_id | sex | birth_month
    v1        | 2   | 1990-01
    v2        | 2   | 1990-01
    v3        | 2   | 1990-01
    v4        | 2   | 1990-01
    v5        | 2   | 2000-03
    v6        | 2   | 1975-03
    """
)

EVENTS = events(
    f"""
    person_id | event_type | code           | date
    v1        | screening  | {SCREEN}       | 2021-10-01
    v2        | screening  | {SCREEN}       | 2021-09-30
    v3        | screening  | {SCREEN}       | 2023-01-01
    v3        | procedure  | {HYSTERECTOMY} | 2015-01-01
    v4        | procedure  | {HYSTERECTOMY} | 2025-04-01
    v5        | screening  | {SMEAR}        | 2024-06-01
    v6        | screening  | {SCREEN}       | 2024-06-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["cervical_screening_25_49"], PEOPLE, EVENTS)


def test_three_and_a_half_years(result):
    # Cohort: v1, v2, v4 (hysterectomy only after the period), v5 (25); v3 had a hysterectomy,
    # v6 is 50. Screened: v1 on the window's first day, v5. v2 is a day early.
    assert counts(result, period="2024/25") == (1 + 1, 4)


def test_hysterectomy_excludes_from_the_next_period(result):
    # 2025/26 (window 2022-10-01..2026-03-31): v4 is now excluded; v1 and v2 have dropped out
    # of the window; v5 (screened 2024) is still covered.
    assert counts(result, period="2025/26") == (1, 3)
