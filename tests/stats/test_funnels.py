"""Funnel plot parity: PHEindicatormethods' published funnel sheets (reference_data/phe/funnel)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import funnel_limits, funnel_points, funnel_significance
from healthgap.stats._funnel_limits import poisson_funnel, r_nchar
from tests.stats.reference_cases import assert_frame_matches, cases

CASES = cases("funnel")

# The keyword arguments of each case's R call (cases.csv, column `call`), in healthgap's names.
LIMIT_CALLS = {
    "prop_limits_m100_standard": (
        ["numerator", "denominator"],
        {"statistic": "proportion", "multiplier": 100, "type": "standard"},
    ),
    "prop_limits_axis_variation_m100": (
        ["numerator", "denominator"],
        {"statistic": "proportion", "multiplier": 100},
    ),
    "ratio_count_limits_full": (
        ["obs", "expected"],
        {"statistic": "ratio", "multiplier": 100, "ratio_type": "count", "type": "full"},
    ),
    "ratio_isr_limits_standard": (
        ["obs", "expected"],
        {"statistic": "ratio", "multiplier": 100, "ratio_type": "isr", "type": "standard"},
    ),
    "rate_dsr_limits_m1e5_3y": (
        ["ev"],
        {"rate": "rate", "multiplier": 1e5, "statistic": "rate", "rate_type": "dsr",
         "years_of_data": 3},
    ),
    "rate_crude_limits_m1e5_3y_ev5": (
        ["ev"],
        {"rate": "rate", "multiplier": 1e5, "statistic": "rate", "rate_type": "crude",
         "years_of_data": 3},
    ),
    "rate_crude_limits_m1e5_3y_zero_event": (
        ["ev", "pop"],
        {"rate": "rate", "multiplier": 1e5, "statistic": "rate", "rate_type": "crude",
         "years_of_data": 3},
    ),
}  # fmt: skip

RATE_SIGNIFICANCE_CALLS = {
    # case: (rate column, rate_type, multiplier, expected column)
    "rate_significance_dsr_per_100000_with_0": ("rate_dsr", "dsr", 1e5, "dsr_per_100000_with_0"),
    "rate_significance_dsr_per_100000_without_0": (
        "rate_dsr", "dsr", 1e5, "dsr_per_100000_without_0",
    ),
    "rate_significance_dsr_per_100_without_0": ("rate_dsr", "dsr", 100, "dsr_per_100_without_0"),
    "rate_significance_crude_per_100000_with_0": (
        "rate_crude_per_100000", "crude", 1e5, "crude_per_100000_with_0",
    ),
    "rate_significance_crude_per_100000_without_0": (
        "rate_crude_per_100000", "crude", 1e5, "crude_per_100000_without_0",
    ),
    "rate_significance_crude_per_100_with_0": (
        "rate_crude_per_100", "crude", 100, "crude_per_100_with_0",
    ),
    "rate_significance_crude_per_100_without_0": (
        "rate_crude_per_100", "crude", 100, "crude_per_100_without_0",
    ),
}  # fmt: skip


def test_every_funnel_case_is_covered() -> None:
    covered = {*LIMIT_CALLS, *RATE_SIGNIFICANCE_CALLS}
    covered |= {"prop_significance", "ratio_significance", "rate_points_crude_m1e5_3y"}
    assert covered == set(CASES)


@pytest.mark.parametrize("name", sorted(LIMIT_CALLS))
def test_limits_match_phe_sheets(name: str) -> None:
    case = CASES[name]
    columns, kwargs = LIMIT_CALLS[name]
    data = case.input()
    if name == "rate_dsr_limits_m1e5_3y":
        data = data[["ev", "rate"]]  # the R call selects ev and rate
    got = funnel_limits(data, *columns, **kwargs)
    expected = case.expected_frame()
    assert len(got) == 100
    assert_frame_matches(got, expected, case.keys, rtol=case.rtol, atol=case.atol)
    if kwargs.get("type") == "standard":
        assert "statistic" not in got.columns and "method" not in got.columns


def test_proportion_significance_matches_phe_sheet() -> None:
    case = CASES["prop_significance"]
    got = funnel_significance(case.input(), "numerator", "denominator", statistic="proportion")
    assert list(got.columns) == ["Area", "numerator", "denominator", "significance", "reason"]
    assert list(got["significance"].cat.categories) == [
        "High (0.001)",
        "High (0.025)",
        "Low (0.001)",
        "Low (0.025)",
        "Not significant",
    ]
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=0, columns=["significance"])


def test_ratio_significance_matches_phe_sheet() -> None:
    case = CASES["ratio_significance"]
    got = funnel_significance(case.input(), "obs", "expected", statistic="ratio")
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=0, columns=["significance"])


@pytest.mark.parametrize("name", sorted(RATE_SIGNIFICANCE_CALLS))
def test_rate_significance_matches_phe_sheet(name: str) -> None:
    case = CASES[name]
    rate, rate_type, multiplier, column = RATE_SIGNIFICANCE_CALLS[name]
    data = case.input()
    expected = case.expected_frame().rename(columns={column: "significance"})
    if name.endswith("without_0"):
        data = data[data["count"] != 0]
        expected = expected[expected["count"] != 0]
    got = funnel_significance(
        data,
        numerator="count",
        denominator="pop",
        rate=rate,
        statistic="rate",
        rate_type=rate_type,
        multiplier=multiplier,
    )
    assert len(got["significance"].cat.categories) == 6
    assert_frame_matches(got, expected, case.keys, rtol=0, columns=["significance"])


def _points_expected(chart: str, derived: str, ev: int | None = None) -> pd.DataFrame:
    expected = CASES["rate_points_crude_m1e5_3y"].expected_frame()
    if ev is not None:  # the package test replaces the largest event count
        expected.loc[expected["ev"] == expected["ev"].max(), "ev"] = ev
    return expected[["ev", "rate", chart, derived]].rename(
        columns={chart: "rate_chart", derived: "denominator_derived"}
    )


def test_points_crude_match_phe_sheet() -> None:
    case = CASES["rate_points_crude_m1e5_3y"]
    got = funnel_points(
        case.input()[["ev", "rate"]],
        "ev",
        "rate",
        rate_type="crude",
        years_of_data=3,
        multiplier=1e5,
    )
    expected = _points_expected("rate_chart_crude", "denominator_derived_crude")
    assert_frame_matches(got, expected, case.keys, rtol=case.rtol)


def test_points_dsr_with_few_events_are_not_plotted() -> None:
    # PHE's package test: the largest event count (988) replaced by 5 -> no point for that row.
    case = CASES["rate_points_crude_m1e5_3y"]
    data = case.input()[["ev", "rate"]].copy()
    data.loc[data["ev"] == data["ev"].max(), "ev"] = 5
    got = funnel_points(data, "ev", "rate", rate_type="dsr", years_of_data=3, multiplier=1e5)
    assert_frame_matches(got, _points_expected("rate_chart", "denominator_derived", 5), case.keys,
                         rtol=case.rtol)  # fmt: skip
    assert got.loc[data["ev"] == 5, "reason"].tolist() == [
        "fewer than 10 events: dsrs are not plotted"
    ]


def test_points_crude_zero_events_use_the_denominator() -> None:
    # PHE's package test: largest event count set to 0, denominator pop, 5 years of data.
    case = CASES["rate_points_crude_m1e5_3y"]
    data = case.input().copy()
    data.loc[data["ev"] == data["ev"].max(), "ev"] = 0
    got = funnel_points(
        data, "ev", "rate", denominator="pop", rate_type="crude", years_of_data=5, multiplier=1e5
    )
    expected = _points_expected(
        "rate_chart_crude_with_denom", "denominator_derived_crude_with_denom", 0
    )
    assert_frame_matches(got, expected, case.keys, rtol=case.rtol)


def test_proportion_limit_by_hand() -> None:
    # x = 40 of 50 and 160 of 200: p̄ = 200/250 = 0.8. max 200 > 2·50, so the axis starts at 1;
    # axis max = 1.05·200 = 210 rounded up to two leading digits = 210, the last of the 100 points.
    data = pd.DataFrame({"x": [40, 160], "n": [50, 200]})
    got = funnel_limits(data, "x", "n", statistic="proportion", multiplier=1)
    assert got["Population"].iloc[[0, -1]].tolist() == [1, 210]
    n, av, z = 210, 0.8, 1.959963984540054  # z = Φ⁻¹(0.975)
    b = av * (n / z**2 + 1)  # 0.8 · 55.666... = 44.53...
    c = 1 / z**2 + 1 / n
    d = (8 * b) ** 2 - 64 * c * av * (n * (av * (n / z**2 + 2) - 1) + z**2 * (av - 1))
    lower = (b - d**0.5 / 8) / c / n
    upper = (b + d**0.5 / 8) / c / n
    last = got.iloc[-1]
    assert last["lower_2s_limit"] == pytest.approx(lower, rel=1e-12)
    assert last["upper_2s_limit"] == pytest.approx(upper, rel=1e-12)
    assert last["baseline"] == pytest.approx(0.8)
    # Check the meaning: the Wilson interval of the limit proportion at n just reaches p̄.
    for limit, sign in ((lower, +1), (upper, -1)):
        x = limit * n
        bound = (2 * x + z**2 + sign * z * (z**2 + 4 * x * (1 - x / n)) ** 0.5) / (2 * (n + z**2))
        assert bound == pytest.approx(av, rel=1e-9)


def test_poisson_funnel_inverts_the_chi_square_limits() -> None:
    # P(K ≤ O | μ) = 0.025 at μ = χ²_0.975(2O + 2)/2 and P(K ≥ O | μ) = 0.025 at χ²_0.025(2O)/2.
    # The bisection is on v = μ/(1 + O + μ), from 0.5 in 23 halving steps, so v is found to
    # within the last step, 0.5/2²³ = 5.96e-8.
    observed = np.array([1, 2, 9, 10, 57, 328, 4000])
    for side, exact in (
        ("high", sps.chi2.ppf(0.975, 2 * observed + 2) / 2),
        ("low", sps.chi2.ppf(0.025, 2 * observed) / 2),
    ):
        mean = poisson_funnel(observed, 0.025, side)  # type: ignore[arg-type]
        v, v_exact = mean / (1 + observed + mean), exact / (1 + observed + exact)
        np.testing.assert_array_less(np.abs(v - v_exact), 0.5 / 2**23 + 1e-15)


def test_r_nchar_counts_characters_as_r_writes_doubles() -> None:
    # R: nchar(123456) = 6, nchar(700000) = 5 ("7e+05"), nchar(10000) = 5 ("10000", a tie keeps
    # fixed notation), nchar(123000000) = 8 ("1.23e+08"), nchar(0) = 1.
    got = r_nchar(np.array([123456, 700000, 10000, 123000000, 0, 9]))
    assert got.tolist() == [6, 5, 5, 8, 1, 1]


def test_grouped_limits_equal_limits_of_each_group() -> None:
    data = CASES["prop_significance"].input()
    data["region"] = np.where(np.arange(len(data)) % 3 == 0, "north", "south")
    kwargs = {"statistic": "proportion", "multiplier": 100}
    got = funnel_limits(data, "numerator", "denominator", group_by="region", **kwargs)
    assert got["region"].tolist() == ["north"] * 100 + ["south"] * 100
    for region, part in got.groupby("region"):
        alone = funnel_limits(data[data["region"] == region], "numerator", "denominator", **kwargs)
        pd.testing.assert_frame_equal(
            part.drop(columns="region").reset_index(drop=True), alone, check_exact=True
        )


def test_grouped_significance_uses_each_group_average() -> None:
    data = CASES["prop_significance"].input()
    data["g"] = np.arange(len(data)) % 2
    got = funnel_significance(
        data, "numerator", "denominator", statistic="proportion", group_by="g"
    )
    for g in (0, 1):
        part = data[data["g"] == g]
        alone = funnel_significance(part, "numerator", "denominator", statistic="proportion")
        assert got.loc[part.index, "significance"].tolist() == alone["significance"].tolist()


def test_polars_in_polars_out() -> None:
    data = pl.DataFrame({"x": [40, 160, 30], "n": [50, 200, 60]})
    limits = funnel_limits(data, "x", "n", statistic="proportion", multiplier=100)
    flags = funnel_significance(data, "x", "n", statistic="proportion")
    assert isinstance(limits, pl.DataFrame) and limits.height == 100
    assert isinstance(flags, pl.DataFrame)
    assert flags["significance"].cast(pl.String).to_list()[2] == "Low (0.001)"


def test_missing_input_gives_na_significance_for_its_group() -> None:
    data = pd.DataFrame({"g": ["a", "a", "b", "b"], "x": [5, None, 30, 40], "n": [50, 50, 60, 60]})
    got = funnel_significance(data, "x", "n", statistic="proportion", group_by="g")
    assert got["significance"].isna().tolist() == [True, True, False, False]
    assert got["reason"].tolist()[:2] == [
        "group average missing: a numerator, denominator or rate in the group is missing",
        "numerator, denominator or rate missing",
    ]
    assert got["reason"].tolist()[2:] == [None, None]


def test_zero_denominator_gives_na_significance() -> None:
    data = pd.DataFrame({"x": [0, 30, 40], "n": [0, 60, 60]})
    got = funnel_significance(data, "x", "n", statistic="proportion")
    assert pd.isna(got.loc[0, "significance"]) and got.loc[0, "reason"] == "denominator is zero"


# ---------------------------------------------------------------------------- errors

PROPORTIONS = pd.DataFrame({"x": [5, 8, 3], "n": [10, 10, 10]})


@pytest.mark.parametrize("function", [funnel_limits, funnel_significance])
def test_unknown_statistic_lists_the_allowed_values(function: object) -> None:
    with pytest.raises(
        ArgumentError,
        match="statistic must be one of 'proportion', 'ratio', 'rate' \\(got 'pop'\\)",
    ):
        function(PROPORTIONS, "x", "n", statistic="pop", multiplier=100)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"statistic": "ratio", "multiplier": 100, "ratio_type": "smr"},
            "ratio_type must be one of",
        ),
        ({"statistic": "proportion", "multiplier": 100, "type": "srtd"}, "type must be one of"),
        ({"statistic": "proportion"}, "required for proportions.*missing: multiplier"),
        ({"statistic": "ratio", "multiplier": 100}, "required for ratios.*missing: ratio_type"),
        ({"statistic": "proportion", "multiplier": -1}, "multiplier must be a positive number"),
    ],
)
def test_bad_limit_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        funnel_limits(PROPORTIONS, "x", "n", **kwargs)  # type: ignore[arg-type]


def test_rate_limits_need_rate_arguments() -> None:
    data = pd.DataFrame({"ev": [5, 8], "rate": [10.0, 12.0]})
    with pytest.raises(ArgumentError, match=r"required for rates.*missing: years_of_data"):
        funnel_limits(data, "ev", rate="rate", statistic="rate", rate_type="dsr", multiplier=1e5)
    with pytest.raises(ArgumentError, match="rate_type must be one of 'dsr', 'crude'"):
        funnel_significance(data, "ev", rate="rate", statistic="rate", rate_type="x", multiplier=1)


def test_missing_column_is_named() -> None:
    with pytest.raises(ArgumentError, match="column 'nmerator' is not in the data"):
        funnel_significance(PROPORTIONS, "nmerator", "n", statistic="proportion")
    with pytest.raises(ArgumentError, match="column 'area' is not in the data"):
        funnel_limits(PROPORTIONS, "x", "n", statistic="proportion", multiplier=1, group_by="area")


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        ([5, -1], [10, 10], "numerators must be greater than or equal to zero.*row 1"),
        ([5, 1], [10, -3], "denominators must be greater than or equal to zero.*row 1"),
        ([11, 1], [10, 3], "less than or equal to denominator for a proportion.*row 0"),
    ],
)
@pytest.mark.parametrize("function", [funnel_limits, funnel_significance])
def test_bad_counts_are_named(function: object, x: list[int], n: list[int], message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        function(  # type: ignore[operator]
            pd.DataFrame({"x": x, "n": n}), "x", "n", statistic="proportion", multiplier=100
        )


def test_crude_rate_with_zero_events_needs_a_denominator() -> None:
    data = pd.DataFrame({"ev": [0, 8], "rate": [0.0, 12.0]})
    with pytest.raises(InputDataError, match=r"denominator field needs to be provided.*row 0"):
        funnel_points(data, "ev", "rate", rate_type="crude", years_of_data=1, multiplier=1e5)


def test_limits_reject_missing_values() -> None:
    data = pd.DataFrame({"x": [5, None], "n": [10, 10]})
    with pytest.raises(InputDataError, match=r"must not be missing.*row 1"):
        funnel_limits(data, "x", "n", statistic="proportion", multiplier=100)


def test_non_numeric_values_are_named() -> None:
    with pytest.raises(InputDataError, match=r"must be numeric.*row 1: '1o'"):
        funnel_significance(
            pd.DataFrame({"x": ["3", "1o"], "n": [10, 10]}), "x", "n", statistic="ratio"
        )


# ---------------------------------------------------------------------------- properties

proportion_rows = st.lists(
    st.integers(min_value=1, max_value=10**6).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    min_size=1,
    max_size=8,
).filter(lambda rows: sum(x for x, _ in rows) > 0)
ratio_rows = st.lists(
    st.tuples(st.integers(min_value=0, max_value=5000), st.floats(min_value=0.5, max_value=5000)),
    min_size=1,
    max_size=8,
).filter(lambda rows: sum(o for o, _ in rows) > 0)


def _bands_nest(got: pd.DataFrame) -> None:
    eps = 1e-9
    assert (got["lower_3s_limit"] <= got["lower_2s_limit"] + eps).all()
    assert (got["lower_2s_limit"] <= got["upper_2s_limit"] + eps).all()
    assert (got["upper_2s_limit"] <= got["upper_3s_limit"] + eps).all()


@given(proportion_rows)
def test_proportion_998_limits_lie_outside_95_and_narrow(rows: list[tuple[int, int]]) -> None:
    data = pd.DataFrame(rows, columns=["x", "n"])
    got = funnel_limits(data, "x", "n", statistic="proportion", multiplier=100)
    _bands_nest(got)
    assert (got["lower_2s_limit"] <= got["baseline"] + 1e-9).all()
    assert (got["baseline"] <= got["upper_2s_limit"] + 1e-9).all()
    eps = 1e-9  # limits narrow (never widen) as the denominator grows
    assert (np.diff(got["upper_2s_limit"]) <= eps).all()
    assert (np.diff(got["lower_2s_limit"]) >= -eps).all()
    assert (np.diff(got["upper_3s_limit"]) <= eps).all()
    assert (np.diff(got["lower_3s_limit"]) >= -eps).all()


@settings(max_examples=40, deadline=None)
@given(ratio_rows, st.sampled_from(["count", "isr"]))
def test_ratio_998_limits_lie_outside_95_and_narrow(
    rows: list[tuple[int, float]], ratio_type: str
) -> None:
    data = pd.DataFrame(rows, columns=["obs", "expected"])
    got = funnel_limits(
        data, "obs", "expected", statistic="ratio", multiplier=100, ratio_type=ratio_type
    )
    _bands_nest(got)
    eps = 1e-9
    assert (np.diff(got["upper_2s_limit"]) <= eps).all()
    assert (np.diff(got["lower_2s_limit"]) >= -eps).all()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=5000), st.floats(min_value=1, max_value=900)),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["dsr", "crude"]),
)
def test_rate_998_limits_lie_outside_95(rows: list[tuple[int, float]], rate_type: str) -> None:
    data = pd.DataFrame(rows, columns=["ev", "rate"])
    got = funnel_limits(
        data,
        "ev",
        rate="rate",
        statistic="rate",
        rate_type=rate_type,
        multiplier=1e5,
        years_of_data=3,
    )
    _bands_nest(got)
    assert (got["lower_2s_limit"] <= got["baseline"]).all()
    assert (got["baseline"] <= got["upper_2s_limit"]).all()


@given(proportion_rows)
def test_a_proportion_at_the_average_is_not_significant(rows: list[tuple[int, int]]) -> None:
    # Add the totals as a row: its proportion Σx/Σn equals the new average 2Σx/2Σn exactly.
    data = pd.DataFrame(rows, columns=["x", "n"])
    data = pd.concat([data, data.sum().to_frame().T], ignore_index=True)
    got = funnel_significance(data, "x", "n", statistic="proportion")
    assert got["significance"].iloc[-1] == "Not significant"


@given(st.integers(min_value=1, max_value=10**5))
def test_a_ratio_of_one_is_not_significant(observed: int) -> None:
    data = pd.DataFrame({"obs": [observed, 7], "expected": [float(observed), 3.0]})
    got = funnel_significance(data, "obs", "expected", statistic="ratio")
    assert got["significance"].iloc[0] == "Not significant"


@given(
    st.lists(
        st.tuples(st.integers(min_value=10, max_value=5000), st.floats(min_value=1, max_value=900)),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["dsr", "crude"]),
)
def test_a_rate_at_the_average_is_not_significant(
    rows: list[tuple[int, float]], rate_type: str
) -> None:
    data = pd.DataFrame(rows, columns=["ev", "rate"])
    population = 1e5 * data["ev"] / data["rate"]
    total = pd.DataFrame(
        {"ev": [data["ev"].sum()], "rate": [1e5 * data["ev"].sum() / population.sum()]}
    )
    data = pd.concat([data, total], ignore_index=True)
    got = funnel_significance(
        data, "ev", rate="rate", statistic="rate", rate_type=rate_type, multiplier=1e5
    )
    assert got["significance"].iloc[-1] == "Not significant"
