"""A short, obvious one-group XmR engine that the vectorised rules are checked against.

It follows the rule text window by window, with Python loops, for one facet × rebase group at a
time (as the R package does with `vapply`). The property tests compare `spc` with it on random
series, and the benchmark uses it, run per facet through pandas, as the baseline.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from healthgap.evaluation._spc_rules import LIMIT, LIMIT_CLOSE, OUTLIER_SCREEN, RUN


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def one_group(
    y: Sequence[float], *, fix_after_n_points: int | None = None, screen_outliers: bool = True
) -> tuple[float, float, float, list[str]]:
    """(mean, lpl, upl, special-cause label per point) for one group's values in date order."""
    base = list(y[:fix_after_n_points]) if fix_after_n_points else list(y)
    mean = _mean(base)
    ranges = [abs(b - a) for a, b in itertools.pairwise(base)]
    amr = _mean(ranges)
    if screen_outliers and amr > 0:
        amr = _mean([r for r in ranges if r < OUTLIER_SCREEN * amr])
    lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
    near_low, near_high = mean - LIMIT_CLOSE * amr, mean + LIMIT_CLOSE * amr
    n = len(y)
    side = [(v > mean) - (v < mean) for v in y]
    outside = [v > upl or v < lpl for v in y]
    close = [not o and (v < near_low or v > near_high) for v, o in zip(y, outside, strict=True)]

    in_trend = [False] * n
    for end in range(RUN - 1, n):
        steps = [y[k] - y[k - 1] for k in range(end - RUN + 2, end + 1)]
        if all(s > 0 for s in steps) or all(s < 0 for s in steps):
            for k in range(end - RUN + 1, end + 1):
                in_trend[k] = True
    in_shift = [False] * n
    for end in range(RUN - 1, n):
        window = side[end - RUN + 1 : end + 1]
        if window[0] != 0 and all(s == window[0] for s in window):
            for k in range(end - RUN + 1, end + 1):
                in_shift[k] = True
    in_two = [False] * n
    for start in range(n - 2):
        ks = range(start, start + 3)
        if sum(close[k] for k in ks) >= 2 and abs(sum(side[k] for k in ks)) == 3:
            for k in ks:
                in_two[k] = in_two[k] or close[k]

    labels = []
    for i in range(n):
        word = "Above" if side[i] > 0 else "Below"
        if outside[i]:
            labels.append("Above UCL" if side[i] == 1 else "Below LCL")
        elif in_trend[i]:
            if i + 1 < n and in_trend[i + 1]:
                step = y[i + 1] - y[i]
            else:
                step = y[i] - y[i - 1] if i > 0 else 0.0
            labels.append(f"7 Point Trend ({'In' if step > 0 else 'De'}creasing)")
        elif in_two[i]:
            labels.append(f"2 in 3 {word} CL")
        elif in_shift[i]:
            labels.append(f"7 Points {word} CL")
        else:
            labels.append("Common Cause")
    return mean, lpl, upl, labels
