"""Relative likelihoods (Katz log limits) and proportion differences (Newcombe), checked by hand
arithmetic and published figures."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.equality.wres import proportion_difference, relative_likelihood
from healthgap.errors import ArgumentError

Z95 = 1.959963985  # standard normal 97.5th percentile


def test_katz_worked_example_appointments():
    # White: 100 appointed of 400 shortlisted (0.25); BME: 50 of 400 (0.125).
    # RL = 0.25 / 0.125 = 2.0
    # SE(ln RL) = sqrt(1/100 - 1/400 + 1/50 - 1/400) = sqrt(0.025) = 0.158113883
    # limits = 2 * exp(-/+ 1.959963985 * 0.158113883) = 2 * exp(-/+ 0.309897) = 1.46704, 2.72657
    got = relative_likelihood(100, 400, 50, 400)
    se = math.sqrt(1 / 100 - 1 / 400 + 1 / 50 - 1 / 400)
    assert got.value == pytest.approx(2.0)
    assert got.lowercl == pytest.approx(2 * math.exp(-Z95 * se), rel=1e-9)
    assert got.uppercl == pytest.approx(2 * math.exp(Z95 * se), rel=1e-9)
    assert (got.lowercl, got.uppercl) == pytest.approx((1.46704, 2.72657), abs=1e-5)


def test_katz_worked_example_disciplinary():
    # BME: 6 of 300 entered a formal disciplinary investigation (0.02); White: 10 of 1000 (0.01).
    # RL = 0.02 / 0.01 = 2.0; SE^2 = 1/6 - 1/300 + 1/10 - 1/1000 = 0.2623333; SE = 0.5121849
    # limits = 2 * exp(-/+ 1.959963985 * 0.5121849) = 2 * exp(-/+ 1.003864) = 0.73292, 5.45761
    got = relative_likelihood(6, 300, 10, 1000)
    assert got.value == pytest.approx(2.0)
    assert (got.lowercl, got.uppercl) == pytest.approx((0.73292, 5.45761), abs=1e-5)


def test_published_trust_ratio_from_its_percentages():
    # The Christie NHS FT, WRES action plan 2022-23, metric 2: "White staff are 3.2 times more
    # likely to be appointed from shortlisting compared to BAME staff ... BAME candidates have a
    # 14.65% chance ... white candidates have a 46.99% chance" (thechristie.cld.bz, page 3).
    # Counts were not published; 4699 of 10000 and 1465 of 10000 carry the same percentages.
    # 46.99 / 14.65 = 3.2075, published to one decimal as 3.2.
    got = relative_likelihood(4699, 10000, 1465, 10000)
    assert round(got.value, 1) == 3.2
    assert got.value == pytest.approx(46.99 / 14.65)


def test_zero_counts_give_reasons_not_errors():
    none_appointed = relative_likelihood(0, 50, 5, 50)
    assert none_appointed.value == 0.0
    assert math.isnan(none_appointed.lowercl) and "Katz" in none_appointed.reason
    no_comparator = relative_likelihood(5, 50, 0, 50)
    assert math.isnan(no_comparator.value) and no_comparator.reason
    empty = relative_likelihood(0, 0, 1, 10)
    assert math.isnan(empty.value) and "denominator" in empty.reason


def test_bad_counts_are_user_errors():
    with pytest.raises(ArgumentError, match="numerator <= denominator"):
        relative_likelihood(5, 4, 1, 10)
    with pytest.raises(ArgumentError, match="confidence"):
        relative_likelihood(1, 4, 1, 10, confidence=95)


def test_newcombe_published_example():
    # Newcombe (1998) Stat Med 17:873-890, table II example (a): 56/70 - 48/80, method 10
    # (hybrid score): 0.2000 with limits 0.0524 to 0.3339.
    got = proportion_difference(56, 70, 48, 80)
    assert got.value == pytest.approx(0.2)
    assert (got.lowercl, got.uppercl) == pytest.approx((0.0524, 0.3339), abs=5e-5)


counts = st.integers(min_value=1, max_value=5000)


@st.composite
def two_groups(draw):
    n1, n2 = draw(counts), draw(counts)
    return draw(st.integers(1, n1)), n1, draw(st.integers(1, n2)), n2


@given(two_groups())
def test_ratio_reverses_and_limits_invert(groups):
    a, n1, b, n2 = groups
    forward, backward = relative_likelihood(a, n1, b, n2), relative_likelihood(b, n2, a, n1)
    assert forward.value * backward.value == pytest.approx(1.0)
    assert forward.lowercl * backward.uppercl == pytest.approx(1.0)
    assert forward.lowercl <= forward.value * (1 + 1e-12)
    assert forward.value <= forward.uppercl * (1 + 1e-12)


@given(two_groups())
def test_difference_limits_bracket_value_within_bounds(groups):
    a, n1, b, n2 = groups
    got = proportion_difference(a, n1, b, n2)
    assert -1 - 1e-9 <= got.lowercl <= got.value + 1e-12
    assert got.value - 1e-12 <= got.uppercl <= 1 + 1e-9
