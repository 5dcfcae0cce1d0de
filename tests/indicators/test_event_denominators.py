"""Indicators whose denominator is events (hospital discharges) rather than people: the value
and Wilson limits from the counts, and two `followed_by` links of different lengths in one
query (each its own pair of narrow scans). The counts come from the spec tests' inline data
(tests/spec/discharge), whose hand counts are written out there."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators.backends import connect, execute_finest
from healthgap.indicators.reference import reference_finest
from healthgap.indicators.tidy import statistics
from tests.spec.discharge import test_discharge_to_usual_place_of_residence as home
from tests.spec.discharge import test_emergency_readmissions_30_days as readmissions
from tests.spec.tables import counts

HOME = "discharge_to_usual_place_of_residence"
READMISSIONS = "emergency_readmissions_30_days"


def test_proportion_of_discharges_has_wilson_limits():
    catalogue = load_catalogue(ids=[HOME])
    fine = reference_finest(catalogue, home.PEOPLE, home.EVENTS)
    x, n = counts(fine, period="2024/25")
    assert (x, n) == (4, 7)  # 4 of 7 discharges home (tests/spec/discharge)
    row = {"indicator_id": HOME, "period": "2024/25", "area_type": "England"}
    row |= {"area_code": "E92000001", "category_type": "all", "category": "all"}
    out = statistics(pd.DataFrame([{**row, "age_band": None, "numerator": x, "denominator": n}]),
                     catalogue)  # fmt: skip
    # Wilson score interval, z = 1.959964 (95%): (x + z²/2 ± z·√(x(n−x)/n + z²/4)) / (n + z²)
    z = 1.959964
    centre, half = 4 + z**2 / 2, z * math.sqrt(4 * 3 / 7 + z**2 / 4)
    assert out["value"].iloc[0] == pytest.approx(100 * 4 / 7)  # 57.14%
    assert out["lowercl"].iloc[0] == pytest.approx(100 * (centre - half) / (7 + z**2), rel=1e-5)
    assert out["uppercl"].iloc[0] == pytest.approx(100 * (centre + half) / (7 + z**2), rel=1e-5)
    assert round(out["lowercl"].iloc[0], 2) == 25.05 and round(out["uppercl"].iloc[0], 2) == 84.18


@pytest.mark.parametrize("engine", ["reference", "duckdb"])
def test_two_readmission_windows_in_one_query(engine):
    thirty = load_catalogue(ids=[READMISSIONS])[READMISSIONS]
    followed = thirty.numerator.all_of[0]
    assert followed.followed_by is not None
    week = replace(
        thirty,
        id="emergency_readmissions_7_days",
        numerator=replace(
            thirty.numerator,
            all_of=(replace(followed, followed_by=replace(followed.followed_by, to_days=7)),),
        ),
    )
    both = {thirty.id: thirty, week.id: week}
    if engine == "reference":
        fine = reference_finest(both, readmissions.PEOPLE, readmissions.EVENTS)
    else:
        fine = execute_finest(connect("duckdb"), both, readmissions.PEOPLE, readmissions.EVENTS)
    # 30 days (days 1-29): r1 1 of 3, r2 0 of 2, r3 1 of 1, r4 1 of 1, r5 1 of 2.
    assert counts(fine, indicator_id=thirty.id, period="2024/25") == (4, 9)
    # 7 days (days 1-7): only r5's discharge of 2024-06-01, readmitted the next day; r1's
    # (29 days), r3's (29) and r4's (29) are too late.
    assert counts(fine, indicator_id=week.id, period="2024/25") == (1, 9)
    # 2023/24: r4 discharged 2024-03-31, readmitted 2024-04-05 (5 days): both count it.
    assert counts(fine, indicator_id=week.id, period="2023/24") == (1, 1)


def test_monthly_series_counts_each_months_discharges():
    from healthgap.indicators.series import series_indicators, series_periods

    monthly = series_indicators(
        load_catalogue(ids=[READMISSIONS]), series_periods("2024-05", "2025-03")
    )
    fine = execute_finest(connect("duckdb"), monthly, readmissions.PEOPLE, readmissions.EVENTS)
    # May 2024: r1 discharged 1 May, readmitted 30 May (29 days); r6 is not registered on 31
    # May. 1 of 1.
    assert counts(fine, period="2024-05") == (1, 1)
    # June: r1 5 June (next emergency admission 6 July, 31 days later: no), r5 1 June
    # (readmitted 2 June) and 25 June (none). 1 of 3.
    assert counts(fine, period="2024-06") == (1, 3)
    # March 2025: r4 discharged 31 March, readmitted 29 April, in the next month. 1 of 1.
    assert counts(fine, period="2025-03") == (1, 1)
