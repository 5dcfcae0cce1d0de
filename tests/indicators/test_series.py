"""Series periods and the series table (`healthgap.indicators.series`); the windows themselves
are pinned on every engine by tests/spec/series/test_monthly_windows.py."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, DataSourceError
from healthgap.indicators.loading import load_catalogue
from healthgap.indicators.series import (
    compute_series,
    series_indicators,
    series_periods,
    series_table,
)


def test_months_and_quarters():
    months = series_periods("2023-12", "2024-03")
    assert [(p.label, p.start, p.end) for p in months] == [
        ("2023-12", date(2023, 12, 1), date(2023, 12, 31)),
        ("2024-01", date(2024, 1, 1), date(2024, 1, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
        ("2024-03", date(2024, 3, 1), date(2024, 3, 31)),
    ]
    quarters = series_periods("2023-04", "2024-03", by="quarter")
    assert [(p.label, p.start, p.end) for p in quarters] == [
        ("2023-04", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023-07", date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-10", date(2023, 10, 1), date(2023, 12, 31)),
        ("2024-01", date(2024, 1, 1), date(2024, 3, 31)),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2023-4", "2024-03"), "--from must be a month written YYYY-MM"),
        (("2023-04", "2024-13"), "--to must be a month written YYYY-MM"),
        (("2024-04", "2024-03"), "must not be before --from"),
        (("2023-04", "2023-08", "quarter"), "5 months, not a whole number of quarters"),
        (("2023-04", "2023-06", "week"), "--by must be one of month, quarter"),
    ],
)
def test_bad_periods_are_refused(args, message):
    with pytest.raises(ArgumentError, match=message):
        series_periods(*args)


@given(
    year=st.integers(1990, 2040),
    month=st.integers(1, 12),
    count=st.integers(1, 40),
    by=st.sampled_from(["month", "quarter"]),
)
def test_periods_tile_the_months_without_gaps(year, month, count, by):
    step = {"month": 1, "quarter": 3}[by]
    last_index = year * 12 + month - 1 + count * step - 1
    last = f"{last_index // 12}-{last_index % 12 + 1:02d}"
    periods = series_periods(f"{year}-{month:02d}", last, by)
    assert len(periods) == count
    assert periods[0].start == date(year, month, 1)
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    for p in periods:
        assert p.start.day == 1 and (p.end + timedelta(days=1)).day == 1
        assert p.label == f"{p.start:%Y-%m}"


def test_series_indicators_take_the_cohort_on_the_period_end():
    catalogue = load_catalogue(ids=["emergency_admissions_acsc_dsr"])
    monthly = series_indicators(catalogue, series_periods("2024-04", "2024-05"))
    cohort = monthly["emergency_admissions_acsc_dsr"].cohort
    assert str(cohort.age.at) == "period_end"
    assert cohort.registration is not None
    assert (str(cohort.registration.start), str(cohort.registration.end)) == (
        "period_end",
        "period_end",
    )
    assert [p.label for p in monthly["emergency_admissions_acsc_dsr"].periods] == [
        "2024-04",
        "2024-05",
    ]


AREAS = pd.DataFrame(
    {
        "lsoa21": ["E01000001", "E01000002", "E01000003"],
        "lad24": ["E08000030", "E08000030", "E08000027"],
    }
)


def _fine(rows: list[tuple[str, str, str, int, int]]) -> pd.DataFrame:
    columns = ["indicator_id", "period", "lsoa21", "numerator", "denominator"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(ethnicity="A", sex="1", age_band="65-74")


def test_series_table_sums_each_area_and_adds_the_statistic():
    catalogue = load_catalogue(ids=["emergency_admissions_care_home_residents"])
    monthly = series_indicators(catalogue, series_periods("2024-04", "2024-05"))
    ident = "emergency_admissions_care_home_residents"
    fine = _fine(
        [
            (ident, "2024-04", "E01000001", 3, 100),
            (ident, "2024-04", "E01000002", 1, 300),
            (ident, "2024-04", "E01000003", 9, 50),
            (ident, "2024-05", "E01000001", 0, 100),
        ]
    )
    table = series_table(fine, monthly, AREAS, ["E08000030", "E01000003"])
    walsall = table[table["area_code"] == "E08000030"].set_index("period")
    assert walsall["area_type"].unique().tolist() == ["lad24"]
    # April: (3 + 1) admissions of (100 + 300) residents, per 1,000: 4 / 400 x 1000 = 10
    assert (walsall.loc["2024-04", "numerator"], walsall.loc["2024-04", "denominator"]) == (4, 400)
    assert walsall.loc["2024-04", "value"] == pytest.approx(10.0)
    assert walsall.loc["2024-04", "lowercl"] < 10 < walsall.loc["2024-04", "uppercl"]
    assert walsall.loc["2024-05", "value"] == 0
    assert walsall.loc["2024-04", "period_end"] == date(2024, 4, 30)
    dudley = table[table["area_code"] == "E01000003"]
    assert dudley[["period", "numerator", "denominator"]].values.tolist() == [["2024-04", 9, 50]]


def test_unknown_areas_and_missing_populations_are_user_errors(tmp_path):
    catalogue = load_catalogue(ids=["emergency_admissions_care_home_residents"])
    monthly = series_indicators(catalogue, series_periods("2024-04", "2024-04"))
    with pytest.raises(ArgumentError, match="Area 'E08999999' is not an LSOA"):
        series_table(_fine([]), monthly, AREAS, ["E08999999"])
    with pytest.raises(DataSourceError, match=r"people\.parquet not found"):
        compute_series(
            tmp_path, ["nhs_health_check_uptake"], ["E01000001"], first="2024-04", last="2024-04"
        )
