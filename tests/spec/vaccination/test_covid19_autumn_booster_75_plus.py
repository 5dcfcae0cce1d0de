"""COVID-19 autumn booster, 75+: age and registration on the campaign's last day, a booster
(either code) between the campaign's first and last days, both inclusive; people, not doses.

Campaigns: Autumn 2024 = 2024-10-03..2025-01-31; Autumn 2025 = 2025-10-01..2026-01-31.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

BOOSTER = "1362591000000103"
SARS_COV_2 = "840534001"

PEOPLE = people(
    """
    person_id | sex | birth_month
    c1        | 1   | 1949-01
    c2        | 2   | 1950-01
    c3        | 2   | 1950-02
    c4        | 1   | 1940-05
    c5        | 2   | 1940-05
    """
)

EVENTS = events(
    f"""
    person_id | event_type  | code            | date
    c1        | vaccination | {BOOSTER}       | 2024-10-03
    c2        | vaccination | {SARS_COV_2}    | 2025-01-31
    c3        | vaccination | {BOOSTER}       | 2025-10-01
    c4        | vaccination | {BOOSTER}       | 2024-10-02
    c4        | vaccination | 822851000000102 | 2024-11-01
    c5        | vaccination | {BOOSTER}       | 2024-11-01
    c5        | vaccination | {BOOSTER}       | 2024-12-01
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["covid19_autumn_booster_75_plus"], PEOPLE, EVENTS)


def test_autumn_2024(result):
    # Cohort: c1 (76), c2 (75 on 1 January 2025), c4, c5; c3 is 74 on 2025-01-31.
    # Boosted: c1 on the first day, c2 on the last day, c5 (two doses, one person). c4's
    # dose is a day early and the other is a flu vaccine.
    assert counts(result, period="Autumn 2024") == (1 + 1 + 1, 4)


def test_autumn_2025(result):
    # c3 is 75 now and boosted on the first day; no one else has a dose in this campaign.
    assert counts(result, period="Autumn 2025") == (1, 5)
