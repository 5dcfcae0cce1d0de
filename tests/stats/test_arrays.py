"""The array cores (`healthgap.stats.arrays`): PHE's published reference cases, hand
calculations, and bit-for-bit agreement with the frame functions that call them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.stats import dsr, proportion, rate
from healthgap.stats.arrays import dsr_arrays, rate_arrays, wilson_arrays
from tests.stats.reference_cases import cases

LEVELS = (0.95, 0.998)
LIMITS = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


def _columns(est: object) -> dict[str, np.ndarray]:
    lower, upper = est.lower, est.upper  # type: ignore[attr-defined]
    limits = dict(zip(LIMITS, [lower[0], upper[0], lower[1], upper[1]], strict=True))
    return {"value": est.value, **limits}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("method", "name", "arrays", "multiplier"),
    [
        ("proportion", "rows_m1_c95c998", wilson_arrays, 1),
        ("rate", "rows_m1e5_c95c998", rate_arrays, 100_000),
    ],
)
def test_rows_match_phe_workbook(method: str, name: str, arrays: object, multiplier: int) -> None:
    case = cases(method)[name]
    data, expected = case.input(), case.expected_frame()
    est = arrays(data["Numerator"].to_numpy(), data["Denominator"].to_numpy(), LEVELS, multiplier)  # type: ignore[operator]
    for column, got in _columns(est).items():
        np.testing.assert_allclose(got, expected[column].to_numpy(), rtol=case.rtol)


def test_dsr_multiarea_matches_phe_workbook() -> None:
    case = cases("dsr")["multiarea_m1e5_c95c998"]
    data = case.input()
    group, areas = pd.factorize(data["area"], sort=True)
    x = data["count"].fillna(0).to_numpy()  # a missing count is no events, as in calculate_dsr
    est = dsr_arrays(x, data["pop"].to_numpy(), data["esp2013"].to_numpy(), group, levels=LEVELS)
    expected = case.expected_frame().set_index("area").loc[list(areas)]
    np.testing.assert_array_equal(est.count, expected["total_count"].to_numpy())
    np.testing.assert_array_equal(est.pop, expected["total_pop"].to_numpy())
    for column, got in _columns(est).items():
        want = expected[column].to_numpy(dtype="float64")
        np.testing.assert_allclose(got, want, rtol=case.rtol, equal_nan=True)
    assert est.small.tolist() == [a == "testdata_tiny" for a in areas]


def test_wilson_multiplier_per_row_and_zero_denominator() -> None:
    # 8 of 100: (2·8 + z² ∓ z·√(z² + 4·8·(1 − 8/100))) / (2·(100 + z²)); × 100 on row 2.
    z = 1.959963984540054
    root = z * (z**2 + 4 * 8 * (1 - 8 / 100)) ** 0.5
    lower = (16 + z**2 - root) / (2 * (100 + z**2))
    est = wilson_arrays(
        np.array([8, 8, 0]), np.array([100, 100, 0]), (0.95,), np.array([1, 100, 1])
    )
    assert est.value[:2] == pytest.approx([0.08, 8.0])
    assert est.lower[0][:2] == pytest.approx([lower, lower * 100], rel=1e-12)
    assert np.isnan(est.value[2]) and np.isnan(est.lower[0][2])
    assert est.zero.tolist() == [False, False, True] and not est.missing.any()


def test_rate_byars_hand_calculation_and_missing() -> None:
    # 20 events in 100: Byar's lower 20·(1 − 1/180 − z/(3√20))³ / 100 · 100,000.
    z = 1.959963984540054
    lower = 20 * (1 - 1 / (9 * 20) - z / (3 * 20**0.5)) ** 3 / 100 * 100_000
    est = rate_arrays(np.array([20.0, np.nan]), np.array([100.0, 5.0]), (0.95,))
    assert est.value[0] == pytest.approx(20_000)
    assert est.lower[0][0] == pytest.approx(lower, rel=1e-12)
    assert est.missing.tolist() == [False, True] and np.isnan(est.value[1])


def test_dsr_standard_total_keeps_the_weight_of_bands_left_out() -> None:
    # Bands (x, n, w) = (20, 1000, 600), (30, 2000, 400) and an empty band of weight 500, left
    # out of the rows: (20·600/1000 + 30·400/2000) / (600 + 400 + 500) · 100,000 = 1200.
    est = dsr_arrays(
        np.array([20, 30]), np.array([1000, 2000]), np.array([600, 400]), np.array([0, 0]),
        standard_total=np.array([1500.0]),
    )  # fmt: skip
    assert est.value[0] == pytest.approx(1200)
    assert (est.count[0], est.pop[0]) == (50, 3000)
    # Without it, W = 600 + 400 = 1000: (12 + 6) / 1000 · 100,000 = 1800.
    est = dsr_arrays(np.array([20, 30]), np.array([1000, 2000]), np.array([600, 400]), [0, 0])
    assert est.value[0] == pytest.approx(1800)


counts = st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=30).map(
    lambda rows: [(min(x, n), n) for x, n in rows]
)


@given(counts, st.sampled_from([1, 100, 1000]))
def test_wilson_is_the_frame_function_bit_for_bit(rows: list[tuple[int, int]], m: int) -> None:
    frame = pd.DataFrame(rows, columns=["x", "n"])
    want = proportion(frame, "x", "n", confidence=LEVELS, multiplier=m)
    est = wilson_arrays(frame["x"].to_numpy(), frame["n"].to_numpy(), LEVELS, m)
    for column, got in _columns(est).items():
        np.testing.assert_array_equal(got, want[column].to_numpy(dtype="float64"))


@given(counts, st.sampled_from([1000, 100_000]))
def test_rate_is_the_frame_function_bit_for_bit(rows: list[tuple[int, int]], m: int) -> None:
    frame = pd.DataFrame(rows, columns=["x", "n"])
    want = rate(frame, "x", "n", confidence=LEVELS, multiplier=m)
    est = rate_arrays(frame["x"].to_numpy(), frame["n"].to_numpy(), LEVELS, m)
    for column, got in _columns(est).items():
        np.testing.assert_array_equal(got, want[column].to_numpy(dtype="float64"))


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 80), st.integers(1, 900), st.integers(0, 9)),
        min_size=1, max_size=40,
    )
)  # fmt: skip
def test_dsr_is_the_frame_function_bit_for_bit(rows: list[tuple[int, int, int, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["area", "x", "n", "w"]).sort_values("area", kind="stable")
    want = dsr(frame, "x", "n", group_by="area", stdpop="w", confidence=LEVELS)
    group = pd.factorize(frame["area"], sort=True)[0]
    est = dsr_arrays(frame["x"], frame["n"], frame["w"], group, levels=LEVELS)
    np.testing.assert_array_equal(est.count, want["total_count"].to_numpy())
    np.testing.assert_array_equal(est.pop, want["total_pop"].to_numpy())
    for column, got in _columns(est).items():
        np.testing.assert_array_equal(got, want[column].to_numpy(dtype="float64"))
