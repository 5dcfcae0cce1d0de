"""Interval helpers (_intervals.py) against PHE's Byar/Wilson test sheet and hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from healthgap.stats._intervals import (
    byars_lower,
    byars_upper,
    exact_lower,
    exact_upper,
    poisson_limits,
    wilson_limits,
)
from tests.stats.reference_cases import cases

CASES = cases("byars_wilson")


def test_byars_limits_match_phe_sheet() -> None:
    case = CASES["byars"]
    table = case.input()
    for confidence, rows in table.groupby("confidence"):
        x = rows["x"].to_numpy()
        np.testing.assert_allclose(
            byars_lower(x, confidence), rows["lowercl"], rtol=case.rtol, equal_nan=True
        )
        np.testing.assert_allclose(byars_upper(x, confidence), rows["uppercl"], rtol=case.rtol)
    # the sheet's x = 1 at 99.8%: the cube goes negative, so the lower limit is NA
    assert table.query("x == 1 and confidence == 0.998")["lowercl"].isna().all()


def test_wilson_limits_match_phe_sheet_including_confidence_one() -> None:
    case = CASES["wilson"]
    table = case.input()
    for confidence, rows in table.groupby("confidence"):
        lower, upper = wilson_limits(rows["x"].to_numpy(), rows["n"].to_numpy(), confidence)
        np.testing.assert_allclose(lower, rows["lowercl"], rtol=case.rtol)
        np.testing.assert_allclose(upper, rows["uppercl"], rtol=case.rtol)
    lower, upper = wilson_limits(np.array([65.0]), np.array([100.0]), 1.0)
    assert (lower[0], upper[0]) == (0.0, 1.0)


def test_byars_hand_calculation_x_20() -> None:
    # z = 1.959964; 20·(1 − 1/180 − z/(3√20))³ and 21·(1 − 1/189 + z/(3√21))³
    z = 1.959963984540054
    lower = 20 * (1 - 1 / 180 - z / (3 * math.sqrt(20))) ** 3
    upper = 21 * (1 - 1 / 189 + z / (3 * math.sqrt(21))) ** 3
    assert byars_lower(np.array([20.0]), 0.95)[0] == pytest.approx(lower, rel=1e-12)
    assert byars_upper(np.array([20.0]), 0.95)[0] == pytest.approx(upper, rel=1e-12)


def test_byars_lower_of_zero_is_na() -> None:
    assert np.isnan(byars_lower(np.array([0.0]), 0.95)[0])


def test_exact_limits_for_zero_and_one_event() -> None:
    # χ²(2)/2 is the unit exponential: upper(0) = −ln(α/2); lower(1) = −ln(1 − α/2); lower(0) = 0
    assert exact_lower(np.array([0.0]), 0.95)[0] == 0.0
    assert exact_upper(np.array([0.0]), 0.95)[0] == pytest.approx(-math.log(0.025), rel=1e-12)
    assert exact_lower(np.array([1.0]), 0.95)[0] == pytest.approx(-math.log(0.975), rel=1e-12)
    assert exact_upper(np.array([0.0]), 0.998)[0] == pytest.approx(-math.log(0.001), rel=1e-12)


def _poisson_cdf(k: int, mu: float) -> float:
    return sum(math.exp(-mu) * mu**i / math.factorial(i) for i in range(k + 1))


@pytest.mark.parametrize("x", range(1, 10))
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_limits_solve_the_poisson_tail_equations(x: int, confidence: float) -> None:
    # Garwood's definition: P(X ≥ x | lower) = α/2 and P(X ≤ x | upper) = α/2
    half = (1 - confidence) / 2
    lower = brentq(lambda mu: 1 - _poisson_cdf(x - 1, mu) - half, 1e-9, 100, xtol=1e-14)
    upper = brentq(lambda mu: _poisson_cdf(x, mu) - half, 1e-9, 100, xtol=1e-14)
    assert exact_lower(np.array([float(x)]), confidence)[0] == pytest.approx(lower, rel=1e-9)
    assert exact_upper(np.array([float(x)]), confidence)[0] == pytest.approx(upper, rel=1e-9)


def test_poisson_limits_switch_from_exact_to_byars_at_ten() -> None:
    x = np.array([0.0, 9.0, 10.0, np.nan])
    lower, upper = poisson_limits(x, 0.95)
    assert lower[0] == 0.0 and upper[0] == pytest.approx(-math.log(0.025))
    assert lower[1] == pytest.approx(exact_lower(np.array([9.0]), 0.95)[0], rel=1e-15)
    assert upper[1] == pytest.approx(exact_upper(np.array([9.0]), 0.95)[0], rel=1e-15)
    assert lower[2] == pytest.approx(byars_lower(np.array([10.0]), 0.95)[0], rel=1e-15)
    assert upper[2] == pytest.approx(byars_upper(np.array([10.0]), 0.95)[0], rel=1e-15)
    assert np.isnan(lower[3]) and np.isnan(upper[3])


levels = st.floats(min_value=0.9, max_value=0.9999)


@given(levels)
def test_limits_do_not_fall_across_the_exact_to_byars_switch(confidence: float) -> None:
    lower, upper = poisson_limits(np.array([9.0, 10.0]), confidence)
    assert lower[0] <= lower[1]
    assert upper[0] <= upper[1]


@given(st.integers(min_value=0, max_value=10**6), levels)
def test_poisson_limits_contain_the_count(x: int, confidence: float) -> None:
    lower, upper = poisson_limits(np.array([float(x)]), confidence)
    assert lower[0] <= x <= upper[0]


@given(
    st.integers(min_value=1, max_value=10**6).flatmap(
        lambda n: st.tuples(st.floats(min_value=0, max_value=n), st.just(n))
    )
)
def test_wilson_limits_nest_and_stay_in_unit_interval(xn: tuple[float, int]) -> None:
    x, n = np.array([xn[0]]), np.array([float(xn[1])])
    lo95, hi95 = wilson_limits(x, n, 0.95)
    lo998, hi998 = wilson_limits(x, n, 0.998)
    eps = 1e-12
    assert -eps <= lo998[0] <= lo95[0] + eps
    assert lo95[0] <= x[0] / n[0] + eps and x[0] / n[0] <= hi95[0] + eps
    assert hi95[0] <= hi998[0] + eps and hi998[0] <= 1 + eps
