"""Engine edges the shipped catalogue does not reach, on every backend.

One test indicator (`shared_codes`, written below) uses the same code list twice: in a
calendar window (the cohort must have had a dose in the period) and in a birth-relative one
(the numerator: a dose before the second birthday), so one event is counted by both branches
of the compiled query. Its cohort is aged 1 to 10 on 2025-03-31, registered or not, in bands
1-4 and 5-10; an open-ended band ("11+") is absent. People are also born after the age date
or given only an `age`, including ages beyond every band edge and negative ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from healthgap.indicators.definitions import Indicator
from healthgap.indicators.loading import load_indicator
from tests.spec.tables import counts, events, people

MMR = "38598009"
INDICATOR = f"""
id: shared_codes
name: Test indicator sharing a code list between a calendar and a birth-relative window
source: {{publisher: healthgap tests, title: engine edges, url: "https://example.org/edges"}}
owner: healthgap tests
checked_by: healthgap tests
reviewed: 2026-11-28
next_review: 2027-11-28
why_it_matters: Exercises the compiler.
method: proportion
multiplier: 100
polarity: higher_is_better
periods:
  - {{label: P1, start: 2024-04-01, end: 2025-03-31}}
cohort:
  age: {{min: 1, max: 10, at: period_end}}
  registration: none
  require:
    event_type: vaccination
    codes: {{"{MMR}": MMR}}
    codes_from: test
    window: period
numerator:
  event_type: vaccination
  codes: {{"{MMR}": MMR}}
  codes_from: test
  window: {{from: birth, before: birth + 2 years}}
age_bands: [1, 5]
"""

PEOPLE = people(
    """
    person_id | sex | birth_month | age
    a1        | 1   | 2023-06     |
    a2        | 2   | 2023-06     |
    a3        | 1   | 2018-01     |
    a4        | 2   | 2014-04     |
    a5        | 1   | 2014-03     |
    a6        | 2   | 2025-05     |
    a7        | 1   |             | 3
    a8        | 2   |             | 250
    a9        | 1   |             | -4
    a10       | 2   | 1890-01     |
    """
)

EVENTS = events(
    f"""
    person_id | event_type  | code  | date
    a1        | vaccination | {MMR} | 2024-07-01
    a2        | vaccination | {MMR} | 2024-03-31
    a2        | vaccination | {MMR} | 2025-04-01
    a3        | vaccination | {MMR} | 2024-05-01
    a4        | vaccination | {MMR} | 2025-03-31
    a5        | vaccination | {MMR} | 2024-04-01
    a6        | vaccination | {MMR} | 2025-06-01
    a7        | vaccination | {MMR} | 2024-06-01
    a8        | vaccination | {MMR} | 2024-06-01
    a9        | vaccination | {MMR} | 2024-06-01
    a10       | vaccination | {MMR} | 2024-06-01
    """
)


@pytest.fixture(scope="module")
def indicator(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Indicator]:
    path = Path(tmp_path_factory.mktemp("edges")) / "shared_codes.yaml"
    path.write_text(INDICATOR)
    return {"shared_codes": load_indicator(path)}


@pytest.fixture(scope="module")
def result(backend, indicator):
    return backend.run(indicator, PEOPLE, EVENTS)


def test_one_event_counts_in_both_windows(result):
    # Aged 1-10 on 2025-03-31 with a dose in the period: a1 (1, dose at 1 year 1 month, so
    # before the second birthday), a3 (7; dose at 6), a4 (10 from April 2024; dose on the
    # last day), a7 (3 as given: no birth month, so never in a birth-relative numerator).
    # a2's doses fall either side of the period; a5 is 11; a6 is born after the date; a8
    # (250), a9 (-4) and a10 (135) are outside 1-10.
    assert counts(result) == (1, 4)


def test_bands_from_birth_month_or_age(result):
    assert counts(result, age_band="1-4") == (1, 2)  # a1, a7
    assert counts(result, age_band="5-10") == (0, 2)  # a3, a4
    assert set(result["age_band"]) == {"1-4", "5-10"}
