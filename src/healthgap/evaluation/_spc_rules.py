"""The XmR arithmetic and the special-cause rules of NHSRplotthedots 0.2.2, vectorised over groups.

Every function takes flat arrays sorted by group and then by date, with `g` the group number of
each point (0, 1, 2, … in runs, one group per facet × rebase group), and works on all groups at
once with numpy: no Python loop over groups. The rules (R sources `ptd_spc_standard.R` and
`ptd_calculate_point_type.R`; summary in docs/evaluation.md):

* centre line: the mean of the group's first `fix_after_n_points` values (all when None);
* moving ranges MR_i = |y_i − y_{i−1}| over the same points; AMR = mean(MR);
* one outlier screen: MRs with MR ≥ 3.267 × AMR are dropped and AMR recomputed (R keeps
  `mr < 3.267 * amr`, so an MR exactly at 3.267 × AMR is dropped);
* process limits mean ± 2.66 × AMR; "close to limits" beyond mean ± 2 × (2.66 / 3) × AMR but not
  outside the limits;
* labels in priority order: outside the limits, a 7-point trend, 2 in 3 close to the limits on
  one side of the mean, 7 points on one side of the mean, else common cause.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LIMIT = 2.66  # 3 / d2 with d2 = 1.128 (rounded as in the package)
LIMIT_CLOSE = 2 * (LIMIT / 3)  # the 2-sigma line, computed as R does
OUTLIER_SCREEN = 3.267  # D4 for moving ranges of two points
RUN = 7  # points in a shift (one side of the mean) or a trend

LABELS = np.array(
    [
        "Common Cause",
        "Above UCL",
        "Below LCL",
        "7 Point Trend (Increasing)",
        "7 Point Trend (Decreasing)",
        "2 in 3 Above CL",
        "2 in 3 Below CL",
        "7 Points Above CL",
        "7 Points Below CL",
    ],
    dtype=object,
)
# +1 for labels that say "Above"/"Increasing", −1 for "Below"/"Decreasing" (R's ptd_point_type).
LABEL_SIGN = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int8)


@dataclass(frozen=True)
class Limits:
    """Per-point XmR columns (arrays aligned with the input points)."""

    fix_y: np.ndarray
    mean_col: np.ndarray
    lpl: np.ndarray
    upl: np.ndarray
    outside_limits: np.ndarray
    relative_to_mean: np.ndarray
    close_to_limits: np.ndarray


def group_layout(g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(same, rank, size): i in the same group as i − 1; its 0-based rank; its group size."""
    n = g.size
    same = np.zeros(n, dtype=bool)
    same[1:] = g[1:] == g[:-1]
    starts = np.flatnonzero(~same)
    sizes = np.diff(np.append(starts, n))
    rank = np.arange(n) - np.repeat(starts, sizes)
    return same, rank, np.repeat(sizes, sizes)


def _group_mean(g: np.ndarray, values: np.ndarray, mask: np.ndarray, groups: int) -> np.ndarray:
    """Mean of `values[mask]` per group (NaN for a group with nothing in the mask)."""
    total = np.bincount(g, weights=np.where(mask, values, 0.0), minlength=groups)
    count = np.bincount(g, weights=mask.astype(float), minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count


def limits(
    y: np.ndarray, g: np.ndarray, *, fix_after_n_points: int | None, screen_outliers: bool
) -> Limits:
    """Centre line, process limits and the per-point position flags.

    Deliberate difference from R: when every moving range of a group is zero (a constant
    series), R's screen drops them all (`0 < 3.267 × 0` is false) and its limits are NaN; here
    nothing is dropped and both limits equal the mean.
    """
    groups = int(g[-1]) + 1 if g.size else 0
    same, rank, _ = group_layout(g)
    fixed = rank < fix_after_n_points if fix_after_n_points is not None else np.ones_like(same)
    mean = _group_mean(g, y, fixed, groups)
    has_mr = same & fixed  # a fixed point's predecessor in the group is fixed too
    mr = np.zeros_like(y)
    mr[1:] = np.abs(np.diff(y))
    amr = _group_mean(g, mr, has_mr, groups)
    if screen_outliers:
        cut = (OUTLIER_SCREEN * amr)[g]
        keep = has_mr & ((mr < cut) | (cut == 0))
        amr = _group_mean(g, mr, keep, groups)
    mean_col = mean[g]
    spread = amr[g]
    lpl = mean_col - LIMIT * spread
    upl = mean_col + LIMIT * spread
    near_low = mean_col - LIMIT_CLOSE * spread
    near_high = mean_col + LIMIT_CLOSE * spread
    outside = (y > upl) | (y < lpl)
    close = ~outside & ((y < near_low) | (y > near_high))
    return Limits(
        fix_y=np.where(fixed, y, np.nan),
        mean_col=mean_col,
        lpl=lpl,
        upl=upl,
        outside_limits=outside,
        relative_to_mean=np.sign(y - mean_col).astype(np.int8),
        close_to_limits=close,
    )


def _run_length(new_run: np.ndarray) -> np.ndarray:
    """Length of the run each position belongs to, given the positions where a run starts."""
    run = np.cumsum(new_run) - 1
    return np.bincount(run)[run]


def _shift(rtm: np.ndarray, same: np.ndarray) -> np.ndarray:
    """Part of 7 or more consecutive points on the same side of the mean (0 breaks a run)."""
    new_run = ~same.copy()
    new_run[1:] |= rtm[1:] != rtm[:-1]
    return (rtm != 0) & (_run_length(new_run) >= RUN)


def _trend(y: np.ndarray, same: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(part of a 7-point trend, direction used for its label).

    A trend is RUN points whose RUN − 1 differences are all > 0 or all < 0 (a tie breaks it);
    every point of it is flagged. The label direction follows R: the difference to the next
    point when that point is also part of a trend, else the difference from the previous one
    (0 for a group's first point); a direction that is not +1 reads "Decreasing".
    """
    step = np.zeros(y.size, dtype=np.int8)
    step[1:] = np.sign(np.diff(y))
    step[~same] = 0
    new_run = np.ones(y.size, dtype=bool)
    new_run[1:] = (step[1:] != step[:-1]) | (step[1:] == 0)
    in_trend_step = (step != 0) & (_run_length(new_run) >= RUN - 1)
    next_step = np.append(step[1:], 0)
    next_in_trend = np.append(in_trend_step[1:], False)
    part = in_trend_step | next_in_trend  # the step into i, or the step out of i
    next_part = np.append(part[1:], False) & np.append(same[1:], False)
    direction = np.where(part & next_part, next_step, step)
    return part, direction


def _two_in_three(close: np.ndarray, rtm: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Close points in a window of 3 (in one group) with ≥ 2 close and all 3 on one side."""
    n = close.size
    window = np.zeros(n, dtype=bool)  # window starting at s flagged
    if n >= 3:
        c = close.astype(np.int8)
        r = rtm.astype(np.int8)
        window[: n - 2] = (
            (g[:-2] == g[2:])
            & (c[:-2] + c[1:-1] + c[2:] >= 2)
            & (np.abs(r[:-2] + r[1:-1] + r[2:]) == 3)
        )
    covered = window.copy()
    covered[1:] |= window[:-1]
    covered[2:] |= window[:-2]
    return close & covered


def special_cause(y: np.ndarray, g: np.ndarray, lim: Limits) -> np.ndarray:
    """Index into `LABELS` for every point (R's `ptd_special_cause_type`, in priority order)."""
    same, _, _ = group_layout(g)
    rtm = lim.relative_to_mean
    trend, direction = _trend(y, same)
    two = _two_in_three(lim.close_to_limits, rtm, g)
    shift = _shift(rtm, same)
    above = rtm > 0
    return np.select(
        [lim.outside_limits, trend, two, shift],
        [
            np.where(rtm == 1, 1, 2),
            np.where(direction == 1, 3, 4),
            np.where(above, 5, 6),
            np.where(above, 7, 8),
        ],
        default=0,
    ).astype(np.intp)


POINT_TYPES = {
    1: np.array(["special_cause_concern", "common_cause", "special_cause_improvement"]),
    -1: np.array(["special_cause_improvement", "common_cause", "special_cause_concern"]),
    0: np.array(["special_cause_neutral_low", "common_cause", "special_cause_neutral_high"]),
}


def point_type(code: np.ndarray, direction: int) -> pd.Categorical:
    """R's `ptd_point_type`: the label's sign times the improvement direction (+1, 0, −1)."""
    names = POINT_TYPES[direction]
    return pd.Categorical.from_codes(LABEL_SIGN[code] + 1, categories=names)
