"""Breast screening coverage: women (sex code 2) aged 53 to 70 on the period's last day, with a
screening code in the 36 months up to and including that day.

2024/25 ends 2025-03-31, so the window is 2022-04-01..2025-03-31.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

MAMMOGRAPHY = "24623002"
SCREENING = "268547008"

PEOPLE = people(
    """
    person_id | sex | birth_month
    b1        | 2   | 1972-03
    b2        | 2   | 1972-04
    b3        | 2   | 1954-04
    b4        | 2   | 1954-03
    b5        | 1   | 1960-01
    b6        | 2   | 1960-01
    b7        | 2   | 1960-01
    """
)

EVENTS = events(
    f"""
    person_id | event_type | code          | date
    b1        | screening  | {MAMMOGRAPHY} | 2022-04-01
    b2        | screening  | {MAMMOGRAPHY} | 2024-04-01
    b3        | screening  | {MAMMOGRAPHY} | 2022-03-31
    b4        | screening  | {MAMMOGRAPHY} | 2024-04-01
    b5        | screening  | {MAMMOGRAPHY} | 2024-04-01
    b6        | screening  | {SCREENING}   | 2025-03-31
    b7        | screening  | {MAMMOGRAPHY} | 2025-04-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["breast_screening_coverage"], PEOPLE, EVENTS)


def test_women_53_to_70_screened_in_36_months(result):
    # Cohort: b1 (53), b3 (70), b6, b7; b2 is 52, b4 is 71, b5 is male.
    # Screened: b1 on the window's first day, b6 on its last day. b3 is a day early, b7 a day
    # late.
    assert counts(result, period="2024/25") == (1 + 1, 4)


def test_age_bands_clipped_to_the_cohort(result):
    assert counts(result, period="2024/25", age_band="53-54") == (1, 1)
    # 65-70: b3 (70, screened a day early), b6 and b7 (65; b6 screened).
    assert counts(result, period="2024/25", age_band="65-70") == (1, 1 + 1 + 1)


def test_next_period_window_moves(result):
    # 2025/26 window: 2023-04-01..2026-03-31. Cohort on 2026-03-31: b1 (54), b2 (53), b6 and
    # b7 (66); b3 is 71 now and b5 is male. Screened in the window: b2, b6, b7 (b1's 2022
    # screen has dropped out).
    assert counts(result, period="2025/26") == (1 + 1 + 1, 4)
