"""Empirical-Bayes smoothing: priors by the method of moments worked out by hand, posteriors,
the frame API, the not-smoothed rules and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from healthgap.errors import ArgumentError, InputDataError
from healthgap.priorities import smooth
from healthgap.priorities.smoothing import (
    beta_binomial_prior,
    beta_posterior,
    gamma_posterior,
    poisson_gamma_prior,
)

# Three areas: 1 of 10, 8 of 10, 9 of 20.
X, N = np.array([1.0, 8.0, 9.0]), np.array([10.0, 10.0, 20.0])
# mu = 18/40; s2 = (10*(0.1-0.45)**2 + 10*(0.8-0.45)**2 + 20*(0.45-0.45)**2)/40
MU = 18 / 40
S2 = (10 * 0.35**2 + 10 * 0.35**2 + 20 * 0.0**2) / 40
N_BAR = 40 / 3
TAU2 = (S2 - MU * (1 - MU) / N_BAR) / (1 - 1 / N_BAR)
M = MU * (1 - MU) / TAU2 - 1  # about 4.363


def test_beta_binomial_prior_by_hand() -> None:
    prior = beta_binomial_prior(X, N, np.zeros(3, dtype=int), min_areas=3)
    assert abs(M - 4.3631) < 1e-4
    np.testing.assert_allclose(prior.a, [MU * M] * 3)
    np.testing.assert_allclose(prior.b, [(1 - MU) * M] * 3)
    np.testing.assert_allclose(prior.mean, [MU] * 3)
    assert list(prior.reason) == [None, None, None]


def test_beta_posterior_is_the_weighted_mean_and_beta_quantiles() -> None:
    mean, low, high = beta_posterior(X, N, np.full(3, MU * M), np.full(3, (1 - MU) * M))
    np.testing.assert_allclose(mean, (X + MU * M) / (N + M))
    # the same as n/(n+M) * raw + M/(n+M) * mu
    np.testing.assert_allclose(mean, N / (N + M) * X / N + M / (N + M) * MU)
    a, b = 1 + MU * M, 10 - 1 + (1 - MU) * M
    assert low[0] == pytest.approx(sps.beta.ppf(0.025, a, b))
    assert high[0] == pytest.approx(sps.beta.ppf(0.975, a, b))


def test_poisson_gamma_prior_by_hand() -> None:
    x, e = np.array([2.0, 10.0, 3.0]), np.array([100.0, 100.0, 200.0])
    m = 15 / 400
    s2 = (100 * (0.02 - m) ** 2 + 100 * (0.1 - m) ** 2 + 200 * (0.015 - m) ** 2) / 400
    a_var = s2 - m / (400 / 3)  # 0.001025
    prior = poisson_gamma_prior(x, e, np.zeros(3, dtype=int), min_areas=3)
    assert a_var == pytest.approx(0.001025)
    np.testing.assert_allclose(prior.b, [m / a_var] * 3)
    np.testing.assert_allclose(prior.a, [m * m / a_var] * 3)
    mean, low, high = gamma_posterior(x, e, prior.a, prior.b)
    assert mean[0] == pytest.approx((2 + m * m / a_var) / (100 + m / a_var))
    shape, rate = 2 + m * m / a_var, 100 + m / a_var
    assert low[0] == pytest.approx(sps.gamma.ppf(0.025, shape) / rate)
    assert high[0] == pytest.approx(sps.gamma.ppf(0.975, shape) / rate)


def test_prior_strength_is_capped_at_the_pool_total() -> None:
    # Five areas at exactly 30%: no excess variation, tau2 = 0 -> M capped at N = 50.
    x, n = np.full(5, 3.0), np.full(5, 10.0)
    prior = beta_binomial_prior(x, n, np.zeros(5, dtype=int))
    np.testing.assert_allclose(prior.a + prior.b, 50.0)
    np.testing.assert_allclose(prior.a, 0.3 * 50)


def test_pools_are_separate() -> None:
    x = np.concatenate([X, X * 0 + 5])
    n = np.concatenate([N, N])
    pool = np.array([0, 0, 0, 1, 1, 1])
    prior = beta_binomial_prior(x, n, pool, min_areas=3)
    assert prior.mean[0] == pytest.approx(18 / 40)
    assert prior.mean[3] == pytest.approx(15 / 40)


def test_smooth_frame_api_by_hand() -> None:
    data = pd.DataFrame({"area": ["a", "b", "c"], "x": X, "n": N})
    got = smooth(data, "x", "n", multiplier=100, min_areas=3)
    assert list(got.columns) == [
        "area", "x", "n", "smoothed_value", "smoothed_lowercl", "smoothed_uppercl",
        "prior_mean", "prior_strength", "shrinkage", "reason",
    ]  # fmt: skip
    np.testing.assert_allclose(got["smoothed_value"], (X + MU * M) / (N + M) * 100)
    np.testing.assert_allclose(got["prior_mean"], MU * 100)
    np.testing.assert_allclose(got["prior_strength"], M)
    np.testing.assert_allclose(got["shrinkage"], M / (N + M))


def test_smooth_groups_and_polars_round_trip() -> None:
    data = pl.DataFrame({"pool": ["p"] * 3 + ["q"] * 3, "x": [*X, 1, 2, 3], "n": [*N, 10, 10, 10]})
    got = smooth(data, "x", "n", group_by="pool", min_areas=3)
    assert isinstance(got, pl.DataFrame)
    assert got["prior_mean"].to_list() == pytest.approx([MU] * 3 + [6 / 30] * 3)


def test_poisson_gamma_model_in_the_frame_api() -> None:
    data = pd.DataFrame({"x": [2.0, 10.0, 3.0], "e": [100.0, 100.0, 200.0]})
    got = smooth(data, "x", "e", model="poisson_gamma", multiplier=1000, min_areas=3)
    m = 15 / 400
    assert got["prior_mean"].iloc[0] == pytest.approx(m * 1000)
    assert got["prior_strength"].iloc[0] == pytest.approx(m / 0.001025)


@pytest.mark.parametrize(
    ("x", "n", "min_areas", "reason"),
    [
        (X, N, 5, "fewer than 5 areas with data in the pool; not smoothed"),
        ([0.0] * 5, [10.0] * 5, 5, "the pool's value is 0% or 100% (no variation); not smoothed"),
        (
            [0.0, 10.0, 0.0, 10.0, 0.0],
            [10.0] * 5,
            5,
            "the areas vary so much that the prior is worth less than one person; not smoothed",
        ),
    ],
)
def test_pools_that_are_not_smoothed_say_why(
    x: list[float], n: list[float], min_areas: int, reason: str
) -> None:
    got = smooth(pd.DataFrame({"x": x, "n": n}), "x", "n", min_areas=min_areas)
    assert got["smoothed_value"].isna().all()
    assert set(got["reason"]) == {reason}


def test_missing_counts_and_empty_pools() -> None:
    got = smooth(pd.DataFrame({"x": [np.nan, *X], "n": [10.0, *N]}), "x", "n", min_areas=3)
    assert np.isnan(got["smoothed_value"].iloc[0])
    assert got["reason"].iloc[0] == "numerator or denominator missing"
    no_events = smooth(pd.DataFrame({"x": [0.0] * 5, "e": [9.0] * 5}), "x", "e",
                       model="poisson_gamma")  # fmt: skip
    assert set(no_events["reason"]) == {"the pool has no events (no variation); not smoothed"}


def test_an_area_with_no_people_gets_the_prior() -> None:
    got = smooth(pd.DataFrame({"x": [0.0, *X], "n": [0.0, *N]}), "x", "n", min_areas=3)
    assert got["smoothed_value"].iloc[0] == pytest.approx(MU)
    assert got["shrinkage"].iloc[0] == 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"model": "normal"}, ArgumentError, "model must be one of beta_binomial, poisson_gamma"),
        ({"min_areas": 1}, ArgumentError, "min_areas must be a whole number of at least 2"),
        ({"confidence": 0.5}, ArgumentError, "confidence level must be between 90 and 100"),
        ({"group_by": "pol"}, ArgumentError, "column 'pol' is not in the data; did you mean"),
    ],
)
def test_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    data = pd.DataFrame({"pool": ["a"] * 3, "x": X, "n": N})
    with pytest.raises(error, match=match):
        smooth(data, "x", "n", **kwargs)


@pytest.mark.parametrize(
    ("x", "n", "match"),
    [
        ([-1.0, 2.0], [10.0, 10.0], "numerators must be greater than or equal to zero"),
        ([1.0, 2.0], [-10.0, 10.0], "denominators must be greater than or equal to zero"),
        ([11.0, 2.0], [10.0, 10.0], "numerators must not exceed denominators for proportions"),
        (["a", 2.0], [10.0, 10.0], "column 'x' must be numeric"),
    ],
)
def test_bad_counts_name_the_rows(x: list, n: list, match: str) -> None:
    with pytest.raises(InputDataError, match=match):
        smooth(pd.DataFrame({"x": x, "n": n}), "x", "n")


def test_rates_may_exceed_their_exposure() -> None:
    got = smooth(pd.DataFrame({"x": [12.0, 3, 4, 5, 6], "e": [10.0] * 5}), "x", "e",
                 model="poisson_gamma")  # fmt: skip
    assert got["smoothed_value"].notna().all()


counts = st.integers(min_value=0, max_value=200)


@given(
    x=counts,
    extra=st.integers(min_value=1, max_value=200),
    a=st.floats(min_value=0.1, max_value=200),
    b=st.floats(min_value=0.1, max_value=200),
)
def test_beta_posterior_lies_between_raw_and_prior_mean(
    x: int, extra: int, a: float, b: float
) -> None:
    n = x + extra
    mean, low, high = beta_posterior(np.array([x]), np.array([n]), np.array([a]), np.array([b]))
    raw, prior = x / n, a / (a + b)
    assert min(raw, prior) - 1e-12 <= mean[0] <= max(raw, prior) + 1e-12
    assert low[0] <= mean[0] <= high[0]


@given(
    x=counts,
    e=st.floats(min_value=1, max_value=1e5),
    a=st.floats(min_value=0.1, max_value=200),
    b=st.floats(min_value=0.1, max_value=1e5),
)
def test_gamma_posterior_lies_between_raw_and_prior_mean(
    x: int, e: float, a: float, b: float
) -> None:
    mean, low, high = gamma_posterior(np.array([x]), np.array([e]), np.array([a]), np.array([b]))
    raw, prior = x / e, a / b
    assert min(raw, prior) * (1 - 1e-12) <= mean[0] <= max(raw, prior) * (1 + 1e-12)
    assert low[0] <= mean[0] <= high[0]


@given(
    p=st.floats(min_value=0.0, max_value=1.0),
    n=st.integers(min_value=1, max_value=500),
    factor=st.integers(min_value=2, max_value=20),
    a=st.floats(min_value=0.5, max_value=50),
    b=st.floats(min_value=0.5, max_value=50),
)
def test_more_data_moves_the_estimate_closer_to_the_raw_value(
    p: float, n: int, factor: int, a: float, b: float
) -> None:
    x = round(p * n)
    raw = x / n
    small, *_ = beta_posterior(np.array([x]), np.array([n]), np.array([a]), np.array([b]))
    big, *_ = beta_posterior(
        np.array([x * factor]), np.array([n * factor]), np.array([a]), np.array([b])
    )
    assert abs(big[0] - raw) <= abs(small[0] - raw) + 1e-12


@given(
    st.lists(st.tuples(counts, st.integers(min_value=1, max_value=300)), min_size=5, max_size=12)
)
def test_estimated_prior_shrinks_every_area_towards_the_pool_mean(
    areas: list[tuple[int, int]],
) -> None:
    x = np.array([float(min(a, n)) for a, n in areas])
    n = np.array([float(n) for _, n in areas])
    got = smooth(pd.DataFrame({"x": x, "n": n}), "x", "n")
    ok = got["reason"].isna().to_numpy()
    raw, mean = x / n, x.sum() / n.sum()
    est = got["smoothed_value"].to_numpy()
    assert np.all(est[ok] >= np.minimum(raw, mean)[ok] - 1e-9)
    assert np.all(est[ok] <= np.maximum(raw, mean)[ok] + 1e-9)
    assert np.all(got["smoothed_lowercl"][ok] <= est[ok] + 1e-12)
    assert np.all(got["smoothed_uppercl"][ok] >= est[ok] - 1e-12)
