"""Benchmark comparison: Fingertips' rule (the benchmark inside the value's confidence interval
is "Similar"; outside it, higher/lower, turned into better/worse by polarity)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError
from healthgap.stats import compare_with_benchmark
from healthgap.stats.compare import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    NO_JUDGEMENT,
    NOT_COMPARED,
    OUTCOMES,
)


@pytest.mark.parametrize(
    ("lower", "upper", "benchmark", "polarity", "expected"),
    [
        # Vaccination 72.1% (95% CI 70.0 to 74.2) against England 68.0%: CI wholly above.
        (70.0, 74.2, 68.0, HIGHER_IS_BETTER, "Better"),
        (70.0, 74.2, 68.0, LOWER_IS_BETTER, "Worse"),
        (70.0, 74.2, 68.0, NO_JUDGEMENT, "Higher"),
        (70.0, 74.2, 68.0, None, "Higher"),
        # Mortality 540 per 100,000 (500 to 580) against England 600: CI wholly below.
        (500.0, 580.0, 600.0, LOWER_IS_BETTER, "Better"),
        (500.0, 580.0, 600.0, HIGHER_IS_BETTER, "Worse"),
        (500.0, 580.0, 600.0, NO_JUDGEMENT, "Lower"),
        # England inside the CI, and on either limit (Fingertips: LowerCI <= v <= UpperCI).
        (60.0, 70.0, 68.0, HIGHER_IS_BETTER, "Similar"),
        (68.0, 70.0, 68.0, HIGHER_IS_BETTER, "Similar"),
        (60.0, 68.0, 68.0, LOWER_IS_BETTER, "Similar"),
        # 99.8% limits are wider: 70.0-74.2 at 95% may be 68.9-75.3 at 99.8%, still above 68.
        (68.9, 75.3, 68.0, HIGHER_IS_BETTER, "Better"),
        (67.5, 75.8, 68.0, HIGHER_IS_BETTER, "Similar"),
    ],
)
def test_fingertips_rule(lower, upper, benchmark, polarity, expected):
    assert compare_with_benchmark(lower, upper, benchmark, polarity) == expected


@pytest.mark.parametrize(
    ("lower", "upper", "benchmark"),
    [(None, 2.0, 1.0), (0.0, None, 1.0), (0.0, 2.0, None), (math.nan, 2.0, 1.0),
     (0.0, 2.0, math.nan)],
)  # fmt: skip
def test_missing_values_are_not_compared(lower, upper, benchmark):
    assert compare_with_benchmark(lower, upper, benchmark, HIGHER_IS_BETTER) == NOT_COMPARED


def test_an_unknown_polarity_is_an_error():
    with pytest.raises(ArgumentError, match="Unknown polarity 'up'"):
        compare_with_benchmark(1.0, 2.0, 3.0, "up")


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
polarities = st.sampled_from([HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT, None])


@given(a=finite, b=finite, benchmark=finite, polarity=polarities)
def test_similar_exactly_when_the_benchmark_is_inside_the_interval(a, b, benchmark, polarity):
    lower, upper = min(a, b), max(a, b)
    outcome = compare_with_benchmark(lower, upper, benchmark, polarity)
    assert outcome in OUTCOMES
    assert (outcome == "Similar") == (lower <= benchmark <= upper)


@given(a=finite, b=finite, benchmark=finite)
def test_the_two_polarities_mirror_each_other(a, b, benchmark):
    lower, upper = min(a, b), max(a, b)
    up = compare_with_benchmark(lower, upper, benchmark, HIGHER_IS_BETTER)
    down = compare_with_benchmark(lower, upper, benchmark, LOWER_IS_BETTER)
    plain = compare_with_benchmark(lower, upper, benchmark, NO_JUDGEMENT)
    swap = {"Better": "Worse", "Worse": "Better", "Similar": "Similar"}
    assert down == swap[up]
    assert plain == {"Better": "Higher", "Worse": "Lower", "Similar": "Similar"}[up]


@given(a=finite, b=finite, benchmark=finite, shift=st.floats(min_value=1, max_value=1e9))
def test_moving_the_interval_up_never_makes_it_lower(a, b, benchmark, shift):
    lower, upper = min(a, b), max(a, b)
    order = {"Lower": 0, "Similar": 1, "Higher": 2}
    before = compare_with_benchmark(lower, upper, benchmark)
    after = compare_with_benchmark(lower + shift, upper + shift, benchmark)
    assert order[after] >= order[before]
