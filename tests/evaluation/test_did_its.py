"""DiD and ITS on small panels whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import InputDataError
from healthgap.evaluation.did import baseline, did, event_study, match_comparators, pre_trend
from healthgap.evaluation.its import its

# Four treated and four comparison areas, periods 0 and 1 before the start, 2 after.
# Means by arm and period (hand):
#   treated:    period 0 (9+11+10+12)/4 = 10.5, period 1 (10+12+11+13)/4 = 11.5,
#               period 2 (15+16+14+17)/4 = 15.5
#   comparison: period 0 (19+21+19+21)/4 = 20.0, period 1 (20+21+19+22)/4 = 20.5,
#               period 2 (21+22+21+22)/4 = 21.5
TREATED = {0: [9, 11, 10, 12], 1: [10, 12, 11, 13], 2: [15, 16, 14, 17]}
COMPARISON = {0: [19, 21, 19, 21], 1: [20, 21, 19, 22], 2: [21, 22, 21, 22]}


def panel(periods: tuple[int, ...] = (0, 1, 2)) -> pd.DataFrame:
    rows = []
    for arm, values in ((True, TREATED), (False, COMPARISON)):
        for t in periods:
            for i, y in enumerate(values[t]):
                rows.append({"area": f"{'T' if arm else 'C'}{i}", "year": t, "y": float(y),
                             "treated": arm, "post": t >= 2})  # fmt: skip
    return pd.DataFrame(rows)


def test_two_by_two_estimate_is_the_difference_of_changes() -> None:
    # periods 1 and 2: (15.5 − 11.5) − (21.5 − 20.5) = 4 − 1 = 3
    effect = did(panel((1, 2)), "y", "area", "year", "treated", "post", what="uptake")
    assert effect.estimate == pytest.approx(3.0)
    assert effect.lowercl < 3.0 < effect.uppercl
    assert effect.estimate - effect.lowercl == pytest.approx(effect.uppercl - effect.estimate)
    assert effect.sentence.startswith("uptake rose 3.0 points (95% CI ")
    assert "more than in the comparison areas" in effect.sentence
    assert effect.checks[0].passed is None  # one pre period: no trend check possible


def test_three_periods_use_the_two_way_fixed_effects() -> None:
    # TWFE with both pre periods: β = (15.5 − (10.5 + 11.5)/2) − (21.5 − (20 + 20.5)/2)
    #                                = (15.5 − 11) − (21.5 − 20.25) = 4.5 − 1.25 = 3.25
    assert did(panel(), "y", "area", "year", "treated", "post").estimate == pytest.approx(3.25)


def test_event_study_coefficients_are_differences_of_mean_changes() -> None:
    # relative to period 1: lead (10.5 − 11.5) − (20 − 20.5) = −0.5; effect 3.0 at period 2
    es = event_study(panel(), "y", "area", "year", "treated", "post")
    assert list(es["relative"]) == [-2, -1, 0]
    np.testing.assert_allclose(es["estimate"], [-0.5, 0.0, 3.0], atol=1e-9)


def test_pre_trend_flags_diverging_areas() -> None:
    rng = np.random.default_rng(4)
    rows = []
    for i in range(12):
        treated = i < 6
        for t in range(8):
            drift = 1.0 * t if treated else 0.0  # treated areas already rising 1 a period
            rows.append({"area": i, "t": t, "treated": treated, "post": t >= 6,
                         "y": 50 + drift + rng.normal(0, 0.3)})  # fmt: skip
    check = pre_trend(pd.DataFrame(rows), "y", "area", "t", "treated", "post")
    assert check.passed is False and check.p_value < 0.001
    assert "already diverging" in check.detail


def test_did_refuses_too_few_areas_and_non_boolean_flags() -> None:
    small = panel()
    small = small[small["area"].isin(["T0", "T1", "T2", "C0", "C1", "C2", "C3"])]
    with pytest.raises(InputDataError, match="at least 4 treated"):
        did(small, "y", "area", "year", "treated", "post")
    with pytest.raises(InputDataError, match="boolean"):
        did(panel().assign(post=1), "y", "area", "year", "treated", "post")


def test_baseline_and_matching() -> None:
    # baseline over periods 0–1: T0 level (9 + 10)/2 = 9.5, trend 1; C2 level 19, trend 0
    base = baseline(panel(), "y", "area", "year", "post").set_index("area")
    assert base.loc["T0", "baseline_level"] == 9.5 and base.loc["T0", "baseline_trend"] == 1.0
    assert base.loc["C2", "baseline_trend"] == 0.0
    units = pd.DataFrame({"u": ["a", "b", "x", "y", "z"], "t": [True, True, False, False, False],
                          "imd": [1.0, 5.0, 4.8, 1.1, 9.0]})  # fmt: skip
    pairs = match_comparators(units, "u", "t", ["imd"])
    assert dict(zip(pairs["treated_unit"], pairs["comparator"], strict=True)) == {
        "a": "y",
        "b": "x",
    }


def blocks(n: int) -> np.ndarray:
    # [1, −1, −1, 1] repeated: sums to 0 and is orthogonal to t over every block of 4
    return np.tile([1.0, -1.0, -1.0, 1.0], n // 4) * 0.2


def test_its_recovers_level_and_slope_exactly() -> None:
    # y = 1 + 0.5 t + 3 post + 0.25 (t − 16) post + e, 16 points each side; e is orthogonal to
    # every column of the design, so OLS (Newey–West errors) returns 3 and 0.25 exactly.
    t = np.arange(32)
    post = t >= 16
    y = 1 + 0.5 * t + 3 * post + 0.25 * np.where(post, t - 16, 0) + blocks(32)
    df = pd.DataFrame({"m": pd.date_range("2021-01-01", periods=32, freq="MS"), "y": y})
    s = its(df, "y", "m", "2022-05-01", what="uptake", units="points", errors="newey-west")
    assert (s.n_before, s.n_after) == (16, 16)
    assert s.level_change.estimate == pytest.approx(3.0)
    assert s.slope_change.estimate == pytest.approx(0.25)
    assert s.pre_slope == pytest.approx(0.5)
    assert s.level_change.sentence.startswith("At the start, uptake rose 3.0 points (95% CI")
    assert s.maxlags == 3  # ⌊4 × 0.32^(2/9)⌋ = ⌊3.10⌋
    assert s.fitted["counterfactual"].iloc[-1] == pytest.approx(1 + 0.5 * 31)
    assert s.level_change.checks[1].passed is False  # 32 points: a short series
    # the default AR(1) errors re-weight the points but still find the same change here
    ar1 = its(df, "y", "m", "2022-05-01")
    assert ar1.level_change.lowercl < 3.0 < ar1.level_change.uppercl


def test_its_refuses_short_segments() -> None:
    df = pd.DataFrame({"m": pd.date_range("2021-01-01", periods=20, freq="MS"), "y": range(20)})
    with pytest.raises(InputDataError, match="at least 8 points before and after"):
        its(df, "y", "m", "2022-03-01")  # 14 before, 6 after
    with pytest.raises(InputDataError, match="24 monthly"):
        its(df, "y", "m", "2021-10-01", seasonality="month")
