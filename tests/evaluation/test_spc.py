"""SPC parity with NHSRplotthedots 0.2.2: hand-worked series covering every rule and quirk.

Every expected number is worked out by hand in the comments (R rules: mean ± 2.66 × AMR, one
screen dropping moving ranges ≥ 3.267 × AMR, 2-sigma line at 2 × 2.66 / 3 = 1.77333 × AMR).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import ArgumentError, InputDataError
from healthgap.evaluation import spc, spc_summary
from healthgap.evaluation.spc import COLUMNS

CC, AUCL, BLCL = "Common Cause", "Above UCL", "Below LCL"
INC, DEC = "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"
A23, B23, A7, B7 = "2 in 3 Above CL", "2 in 3 Below CL", "7 Points Above CL", "7 Points Below CL"


def series(values: list[float], **columns: object) -> pd.DataFrame:
    return pd.DataFrame(
        {"month": pd.date_range("2024-01-01", periods=len(values), freq="MS"), "v": values}
        | columns
    )


def test_columns_and_no_facet() -> None:
    out = spc(series([1.0, 2.0, 3.0]), "v", "month")
    assert list(out.columns) == COLUMNS
    assert set(out["f"]) == {"no facet"}
    assert out["trajectory"].isna().all() and out["target"].isna().all()
    assert (out["rebase_group"] == 0).all()


def test_r_package_two_in_three_opposite_sides() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_spc_standard.R: 1, −1 eight times, then the last
    # two replaced by 5.5 and −5.5; both must stay common cause (issue #143).
    # mean = (7 × 0 + 5.5 − 5.5) / 16 = 0. MRs: 13 of 2, |5.5 − (−1)| = 6.5, |−5.5 − 5.5| = 11;
    # AMR = (26 + 6.5 + 11) / 15 = 2.9; screen at 3.267 × 2.9 = 9.4743 drops 11;
    # AMR = 32.5 / 14 = 2.32142857; limits ± 2.66 × 2.32142857 = ± 6.175;
    # near limits ± 1.773333 × 2.32142857 = ± 4.11667, so 5.5 and −5.5 are close to the limits.
    out = spc(series([1.0, -1.0] * 7 + [5.5, -5.5]), "v", "month")
    assert out["mean_col"].iloc[0] == pytest.approx(0.0)
    assert out["upl"].iloc[0] == pytest.approx(6.175)
    assert out["lpl"].iloc[0] == pytest.approx(-6.175)
    assert list(out["close_to_limits"].tail(2)) == [True, True]
    assert list(out["point_type"].tail(2)) == ["common_cause", "common_cause"]
    assert not out["special_cause_flag"].any()
    # without the screen: AMR = 2.9, limits ± 2.66 × 2.9 = ± 7.714
    raw = spc(series([1.0, -1.0] * 7 + [5.5, -5.5]), "v", "month", screen_outliers=False)
    assert raw["upl"].iloc[0] == pytest.approx(7.714)


def test_outside_two_in_three_and_shift_with_priority() -> None:
    # 10, 11 five times, 10, 30. mean = (6 × 10 + 5 × 11 + 30) / 12 = 145 / 12 = 12.083333.
    # MRs: ten of 1 and |30 − 10| = 20: AMR = 30 / 11 = 2.7273; 20 ≥ 3.267 × 2.7273 = 8.91 is
    # screened out, AMR = 10 / 10 = 1. Limits 12.083333 ± 2.66 = 9.423333 and 14.743333.
    # Near-lower line 12.083333 − 1.773333 = 10.31: every 10 is close to the limits.
    # 30 > UPL: "Above UCL". The eleven 10s and 11s are all below the mean (a run of 11):
    # 10s in windows (10, 11, 10) with two close points, all below -> "2 in 3 Below CL"
    # (2-in-3 outranks the shift); the 11s are not close -> "7 Points Below CL".
    y = [10.0, 11.0] * 5 + [10.0, 30.0]
    out = spc(series(y), "v", "month")
    assert out["mean_col"].iloc[0] == pytest.approx(145 / 12)
    assert out["lpl"].iloc[0] == pytest.approx(145 / 12 - 2.66)
    assert out["upl"].iloc[0] == pytest.approx(145 / 12 + 2.66)
    expected = [B23, B7] * 5 + [B23, AUCL]
    assert list(out["special_cause_type"]) == expected
    assert list(out["relative_to_mean"]) == [-1] * 11 + [1]
    assert list(out["outside_limits"]) == [False] * 11 + [True]
    assert list(out["close_to_limits"]) == [True, False] * 5 + [True, False]
    improve = ["special_cause_concern"] * 11 + ["special_cause_improvement"]
    assert list(out["point_type"]) == improve
    down = spc(series(y), "v", "month", improvement_direction="decrease")
    assert list(down["point_type"]) == ["special_cause_improvement"] * 11 + [
        "special_cause_concern"
    ]
    flat = spc(series(y), "v", "month", improvement_direction="neutral")
    assert list(flat["point_type"]) == ["special_cause_neutral_low"] * 11 + [
        "special_cause_neutral_high"
    ]
    assert out["short_group_warning"].all()  # 12 points < 13

    s = spc_summary(out)
    assert list(s.columns) == [
        "mean_col", "lpl", "upl", "n", "common_cause", "special_cause_improvement",
        "special_cause_concern", "variation_type",
    ]  # fmt: skip
    row = s.iloc[0]
    assert (row["n"], row["common_cause"]) == (12, 0)
    assert (row["special_cause_improvement"], row["special_cause_concern"]) == (1, 11)
    assert row["variation_type"] == "special_cause_improvement"


def test_seven_point_trend_outranked_by_limits() -> None:
    # 1..7: mean 4, every MR 1 so AMR 1, limits 4 ± 2.66 = 1.34 and 6.66: 1 is below the LCL
    # and 7 above the UCL, which outrank the trend; 2..6 are "Increasing".
    out = spc(series([1.0, 2, 3, 4, 5, 6, 7]), "v", "month")
    assert list(out["special_cause_type"]) == [BLCL] + [INC] * 5 + [AUCL]
    # 6 rising points are no trend: mean 3.5, limits 3.5 ± 2.66 = 0.84 and 6.16, nothing
    # outside; 2 (< 3.5 − 1.7733 = 1.7267? no) so only 1 is close, alone: all common cause.
    six = spc(series([1.0, 2, 3, 4, 5, 6]), "v", "month")
    assert list(six["special_cause_type"]) == [CC] * 6


def test_trend_label_quirk_at_a_tie() -> None:
    # 0, 8, 0, 8, then 1..7, 7..1 (18 points). mean = (16 + 28 + 28) / 18 = 4.
    # MRs: 8, 8, 8, 7, six 1s, 0, six 1s: AMR = 43 / 17 = 2.5294; cut 8.26 keeps all;
    # limits 4 ± 6.728, near lines 4 ± 4.4855: nothing outside or close.
    # Trends: points 5..11 (1..7) rise, points 12..18 (7..1) fall; the tie 7 -> 7 ends the first.
    # R labels point 11 (the last 7 of the rising run) by the step to point 12, which is 0, so
    # it reads "Decreasing". Sides: 4s sit on the mean, so no 7-point run on one side.
    y = [0.0, 8, 0, 8, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1]
    out = spc(series(y), "v", "month")
    assert out["upl"].iloc[0] == pytest.approx(4 + 2.66 * 43 / 17)
    assert list(out["special_cause_type"]) == [CC] * 4 + [INC] * 6 + [DEC] * 8
    assert out["point_type"].iloc[10] == "special_cause_concern"


def test_two_in_three_needs_same_side_and_the_band() -> None:
    # 2, 3 three times, 5, then 8, 7 three times, 5. mean = (15 + 5 + 45 + 5) / 14 = 5.
    # MRs: 1 ×5, 2, 3, 1 ×5, 2 = 17 / 13 = 1.307692; limits 5 ± 3.478462 (1.5215, 8.4785),
    # near lines 5 ± 2.318974 (2.6810, 7.3190): every 2 and 8 is close, the 3s and 7s are not.
    # The 5s sit on the mean (no run of 7 on one side; no trend).
    y = [2.0, 3, 2, 3, 2, 3, 5, 8, 7, 8, 7, 8, 7, 5]
    out = spc(series(y), "v", "month")
    assert out["mean_col"].iloc[0] == pytest.approx(5)
    assert out["upl"].iloc[0] == pytest.approx(5 + 2.66 * 17 / 13)
    assert list(out["special_cause_type"]) == (
        [B23, CC, B23, CC, B23, CC, CC, A23, CC, A23, CC, A23, CC, CC]
    )


def test_rebase_groups_have_their_own_limits() -> None:
    # 1, 2 six times then 11, 12 six times; rebase at point 13. Each group: mean 1.5 or 11.5,
    # MR 1, limits mean ± 2.66; each group has 12 points (< 13): short-group warnings.
    data = series([1.0, 2.0] * 6 + [11.0, 12.0] * 6)
    out = spc(data, "v", "month", rebase=data["month"].iloc[12])
    assert list(out["rebase_group"]) == [0] * 12 + [1] * 12
    assert list(out["mean_col"]) == [1.5] * 12 + [11.5] * 12
    assert out["upl"].iloc[12] == pytest.approx(14.16)
    assert not out["special_cause_flag"].any()
    assert out["short_group_warning"].all()
    s = spc_summary(out)
    assert list(s["rebase_group"]) == [0, 1] and "f" not in s.columns
    # a list of dates, and dates as strings
    again = spc(data, "v", "month", rebase=["2025-01-01"])
    assert list(again["rebase_group"]) == [0] * 12 + [1] * 12
    # without the rebase: one group, mean 6.5; MRs 1 (×22) and 9: AMR 31 / 23 = 1.3478, the 9
    # is screened (≥ 4.403), AMR 1, limits 3.84 and 9.16: every point is outside.
    one = spc(data, "v", "month")
    assert list(one["special_cause_type"]) == [BLCL] * 12 + [AUCL] * 12


def test_rebase_per_facet() -> None:
    a = series([1.0, 2.0] * 7, area="A")
    b = series([1.0, 2.0] * 7, area="B")
    out = spc(pd.concat([b, a]), "v", "month", facet_field="area", rebase={"B": "2024-08-01"})
    assert list(out["f"]) == ["A"] * 14 + ["B"] * 14  # sorted by facet then date
    assert list(out["rebase_group"]) == [0] * 14 + [0] * 7 + [1] * 7


def test_fix_after_n_points() -> None:
    # 1, 2 six times then 5, 6 three times; fixed after 12: mean 1.5, AMR 1 (11 MRs of 1; the
    # 2 -> 5 jump is after the fix), limits -1.16 and 4.16: the 5s and 6s are above the UCL.
    out = spc(series([1.0, 2.0] * 6 + [5.0, 6.0] * 3), "v", "month", fix_after_n_points=12)
    assert out["mean_col"].iloc[0] == 1.5
    assert out["upl"].iloc[0] == pytest.approx(4.16)
    assert out["fix_y"].iloc[11] == 2.0 and np.isnan(out["fix_y"].iloc[12])
    assert list(out["special_cause_type"].iloc[12:]) == [AUCL] * 6
    with pytest.raises(ArgumentError, match="at least 12"):
        spc(series([1.0] * 20), "v", "month", fix_after_n_points=11)


def test_constant_series_limits_equal_the_mean() -> None:
    # Deliberate difference: R's screen drops every zero MR and returns NaN limits.
    out = spc(series([3.0] * 14), "v", "month")
    assert list(out["lpl"]) == [3.0] * 14 and list(out["upl"]) == [3.0] * 14
    assert not out["special_cause_flag"].any()


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        # 1, 2 seven times: mean 1.5, AMR 1, limits -1.16 and 4.16
        ("increase", 5.0, "consistent_fail"),
        ("increase", -2.0, "consistent_pass"),
        ("increase", 2.0, "inconsistent"),
        ("decrease", 5.0, "consistent_pass"),
        ("decrease", -2.0, "consistent_fail"),
        ("neutral", 5.0, None),
    ],
)
def test_assurance(direction: str, target: float, expected: str | None) -> None:
    out = spc(series([1.0, 2.0] * 7), "v", "month", improvement_direction=direction, target=target)
    assert (out["target"] == target).all()
    got = spc_summary(out)["assurance_type"].iloc[0]
    assert got == expected if expected else pd.isna(got)


def test_targets_per_facet_and_assurance_on_last_group() -> None:
    data = pd.concat([series([1.0, 2.0] * 7, area="A"), series([1.0, 2.0] * 7, area="B")])
    out = spc(data, "v", "month", facet_field="area", target={"A": 5.0},
              rebase={"A": "2024-08-01"})  # fmt: skip
    assert out.loc[out["f"] == "A", "target"].eq(5.0).all()
    assert out.loc[out["f"] == "B", "target"].isna().all()
    s = spc_summary(out)
    assert list(s["f"]) == ["A", "A", "B"]
    # A's last group (2, 1, 2, 1, 2, 1, 2: mean 11/7, AMR 1, UPL 1.5714 + 2.66 = 4.2314) is
    # below the target of 5: consistent fail; only the facet's last group is assessed.
    assert pd.isna(s["assurance_type"].iloc[0])
    assert s["assurance_type"].iloc[1] == "consistent_fail"
    assert pd.isna(s["assurance_type"].iloc[2])  # no target for B (R says "inconsistent")


def test_trajectory_and_unsorted_input() -> None:
    data = series([1.0, 2.0, 3.0], t=[4.0, 5.0, 6.0]).iloc[::-1]
    out = spc(data, "v", "month", trajectory="t")
    assert list(out["y"]) == [1.0, 2.0, 3.0] and list(out["trajectory"]) == [4.0, 5.0, 6.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"improvement_direction": "up"}, ArgumentError, "improvement_direction"),
        ({"rebase": {"x": "2024-01-01"}}, ArgumentError, "no facet"),
        ({"target": {"x": 1.0}}, ArgumentError, "no facet"),
        ({"rebase": "2030-01-01"}, ArgumentError, "not among"),
        ({"target": "high"}, ArgumentError, "target"),
        ({"value_field": "nope"}, ArgumentError, "not a column"),
    ],
)
def test_argument_errors(kwargs: dict, error: type, words: str) -> None:
    args = {"value_field": "v", "date_field": "month"} | kwargs
    with pytest.raises(error, match=words):
        spc(series([1.0, 2.0, 3.0]), **args)


def test_input_errors_name_rows() -> None:
    with pytest.raises(InputDataError, match="missing"):
        spc(series([1.0, np.nan, 3.0]), "v", "month")
    twice = pd.DataFrame({"month": ["2024-01-01", "2024-01-01"], "v": [1.0, 2.0]})
    with pytest.raises(InputDataError, match="same date"):
        spc(twice, "v", "month")
    with pytest.raises(ArgumentError, match="returned by spc"):
        spc_summary(pd.DataFrame())


def test_unknown_target_facet_is_refused() -> None:
    data = pd.concat([series([1.0, 2.0] * 7, area="A"), series([1.0, 2.0] * 7, area="B")])
    with pytest.raises(ArgumentError, match="not in the data"):
        spc(data, "v", "month", facet_field="area", target={"C": 1.0})
