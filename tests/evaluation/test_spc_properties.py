"""Property tests: the vectorised SPC agrees with the one-group loop engine, whatever the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.evaluation import spc
from healthgap.evaluation._spc_reference import one_group
from healthgap.evaluation._spc_rules import _shift

# small integers make ties, runs, trends and points on the mean common
values = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=30)


@settings(max_examples=60)
@given(
    facets=st.lists(values, min_size=1, max_size=4),
    rebase_at=st.integers(min_value=1, max_value=20),
    screen=st.booleans(),
    fix=st.sampled_from([None, 12, 15]),
)
def test_matches_the_loop_engine_group_by_group(
    facets: list[list[int]], rebase_at: int, screen: bool, fix: int | None
) -> None:
    months = pd.date_range("2020-01-01", periods=40, freq="MS")
    frame = pd.concat(
        [
            pd.DataFrame({"m": months[: len(ys)], "v": np.asarray(ys, float), "k": f"F{i}"})
            for i, ys in enumerate(facets)
        ]
    ).sample(frac=1.0, random_state=1)
    rebase = {f"F{i}": months[rebase_at] for i, ys in enumerate(facets) if len(ys) > rebase_at}
    out = spc(frame, "v", "m", facet_field="k", rebase=rebase or None,
              screen_outliers=screen, fix_after_n_points=fix)  # fmt: skip
    for (_, _), group in out.groupby(["f", "rebase_group"]):
        mean, lpl, upl, labels = one_group(
            list(group["y"]), fix_after_n_points=fix, screen_outliers=screen
        )
        assert group["mean_col"].iloc[0] == pytest.approx(mean)
        np.testing.assert_allclose([group["lpl"].iloc[0], group["upl"].iloc[0]], [lpl, upl])
        assert list(group["special_cause_type"]) == labels


@given(ys=values)
def test_doubling_and_negating_keep_the_flags(ys: list[int]) -> None:
    data = pd.DataFrame(
        {"m": pd.date_range("2020-01-01", periods=len(ys), freq="MS"), "v": np.asarray(ys, float)}
    )
    base = spc(data, "v", "m")
    double = spc(data.assign(v=2 * data["v"]), "v", "m")
    flipped = spc(data.assign(v=-data["v"]), "v", "m", improvement_direction="decrease")
    # ×2 and ×−1 are exact in floating point, so every comparison is preserved
    np.testing.assert_array_equal(double["upl"], 2 * base["upl"])
    assert list(double["special_cause_type"]) == list(base["special_cause_type"])
    assert list(flipped["special_cause_flag"]) == list(base["special_cause_flag"])
    np.testing.assert_array_equal(flipped["relative_to_mean"], -base["relative_to_mean"])
    # outside limits, 2-in-3 and shifts are mirror images; improvement becomes concern only
    # through the label, so compare the non-trend points' point types
    trend = base["special_cause_type"].str.contains("Trend")
    assert list(flipped["point_type"][~trend]) == list(base["point_type"][~trend])


def test_a_point_on_the_mean_breaks_a_run() -> None:
    same = np.array([False] + [True] * 7)
    assert not _shift(np.array([-1, -1, -1, 0, -1, -1, -1, -1], np.int8), same).any()
    assert _shift(np.array([-1] * 7 + [1], np.int8), same).tolist() == [True] * 7 + [False]
