"""Properties of the estimators that hold for any data: fixed effects absorb area and period
shifts, and effects scale with the outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.evaluation import did, its

shifts = st.lists(st.floats(-100, 100), min_size=8, max_size=8)
period_shifts = st.lists(st.floats(-100, 100), min_size=6, max_size=6)


def panel(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    area, year = np.repeat(np.arange(8), 6), np.tile(np.arange(6), 8)
    treated, post = area < 4, year >= 3
    y = 20 + 2.0 * (treated & post) + rng.normal(0, 1, 48)
    return pd.DataFrame({"y": y, "area": area, "year": year, "treated": treated, "post": post})


@settings(max_examples=25)
@given(seed=st.integers(0, 10_000), a=shifts, t=period_shifts, scale=st.floats(0.1, 10))
def test_did_ignores_area_and_period_shifts_and_scales(
    seed: int, a: list[float], t: list[float], scale: float
) -> None:
    base = panel(seed)
    e0 = did(base, "y", "area", "year", "treated", "post")
    moved = base.assign(y=base["y"] + np.asarray(a)[base["area"]] + np.asarray(t)[base["year"]])
    e1 = did(moved, "y", "area", "year", "treated", "post")
    assert e1.estimate == pytest.approx(e0.estimate, abs=1e-6)
    assert e1.se == pytest.approx(e0.se, rel=1e-5)
    e2 = did(base.assign(y=scale * base["y"]), "y", "area", "year", "treated", "post")
    assert e2.estimate == pytest.approx(scale * e0.estimate, rel=1e-6, abs=1e-9)
    assert e2.p_value == pytest.approx(e0.p_value, rel=1e-6, abs=1e-12)


@settings(max_examples=25)
@given(seed=st.integers(0, 10_000), a=st.floats(-50, 50), b=st.floats(-5, 5))
def test_its_changes_ignore_an_added_line(seed: int, a: float, b: float) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    df = pd.DataFrame(
        {"t": np.arange(n), "y": 5 + 2.0 * (np.arange(n) >= 15) + rng.normal(0, 1, n)}
    )
    s0 = its(df, "y", "t", 15, errors="newey-west")
    s1 = its(df.assign(y=df["y"] + a + b * df["t"]), "y", "t", 15, errors="newey-west")
    assert s1.level_change.estimate == pytest.approx(s0.level_change.estimate, abs=1e-6)
    assert s1.slope_change.estimate == pytest.approx(s0.slope_change.estimate, abs=1e-6)
    assert s1.pre_slope == pytest.approx(s0.pre_slope + b, abs=1e-6)
    assert s1.level_change.se == pytest.approx(s0.level_change.se, rel=1e-5)
