"""Compare a value with a benchmark as OHID Fingertips does: by where the benchmark's value
lies against the value's confidence interval.

Rule (Fingertips' "confidence intervals overlapping reference value" method, at 95% or
99.8%):

    NA value, NA limit or NA benchmark        -> "Not compared"
    lower <= benchmark <= upper               -> "Similar"
    lower > benchmark (whole CI above it)     -> "Higher"
    upper < benchmark (whole CI below it)     -> "Lower"

With a polarity, "Higher"/"Lower" become "Better"/"Worse": for "higher_is_better" higher is
better, for "lower_is_better" lower is better; "no_judgement" (or no polarity) keeps
"Higher"/"Lower". The confidence level is that of the limits passed in: give the 95% limits
for the 95% comparison, the 99.8% limits for the 99.8% one. A benchmark on a limit is
"Similar" (Fingertips' test is inclusive at both ends).

References
----------
Public Health England, *Technical Guide: Confidence intervals* and *Technical Guide: Spine
charts* (fingertips.phe.org.uk/profile/guidance): an area is significantly different from the
benchmark when the benchmark value lies outside the area's confidence interval.
Fingertips source, ukhsa-collaboration/fingertips-open, `PholioVisualisation.Analysis.
SingleOverlappingCIsComparer`: "Same" when `LowerCI <= comparator <= UpperCI`, otherwise
worse/better by the side of the comparator, then adjusted for polarity; no comparison
("None") when the confidence intervals are not valid.
"""

from __future__ import annotations

import math
from typing import Final

from healthgap.errors import ArgumentError

HIGHER_IS_BETTER: Final = "higher_is_better"
LOWER_IS_BETTER: Final = "lower_is_better"
NO_JUDGEMENT: Final = "no_judgement"
POLARITIES: Final = (HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT)

BETTER, SIMILAR, WORSE = "Better", "Similar", "Worse"
HIGHER, LOWER = "Higher", "Lower"
NOT_COMPARED: Final = "Not compared"
OUTCOMES: Final = (BETTER, SIMILAR, WORSE, HIGHER, LOWER, NOT_COMPARED)


def compare_with_benchmark(
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    polarity: str | None = NO_JUDGEMENT,
) -> str:
    """ "Better", "Similar", "Worse", "Higher", "Lower" or "Not compared" (module docstring).

    `lower`, `upper`: the value's confidence limits (95% or 99.8%), in the value's unit;
    `benchmark`: the comparator's value (e.g. England's), same unit; `polarity`: one of
    `POLARITIES`, or None for no judgement. A missing (None or NaN) limit or benchmark gives
    "Not compared". Raises ArgumentError for an unknown polarity.
    """
    if polarity is not None and polarity not in POLARITIES:
        raise ArgumentError(
            f"Unknown polarity {polarity!r}; expected one of {', '.join(POLARITIES)}."
        )
    if _missing(lower) or _missing(upper) or _missing(benchmark):
        return NOT_COMPARED
    if lower > benchmark:  # type: ignore[operator]
        side = HIGHER
    elif upper < benchmark:  # type: ignore[operator]
        side = LOWER
    else:
        return SIMILAR
    if polarity in (None, NO_JUDGEMENT):
        return side
    good = (side == HIGHER) == (polarity == HIGHER_IS_BETTER)
    return BETTER if good else WORSE


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)
