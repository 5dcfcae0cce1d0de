"""Priorities: which neighbourhoods and groups have the greatest potential to benefit.

`prioritise(results)` ranks indicator × area × group rows of a results store by headroom (the
people who would be reached, or events avoided, if the group matched its benchmark), computed on
empirical-Bayes stabilised values so the ranking does not chase noise, with Core20PLUS5 flags
and a one-sentence explanation per row. `cold_spots` finds priority neighbourhoods with no
active partner. Method: docs/priorities.md.
"""

from __future__ import annotations

from healthgap.priorities.rank import COLUMNS, prioritise
from healthgap.priorities.segments import CLINICAL_AREAS, cold_spots, core20_flags
from healthgap.priorities.smoothing import smooth

__all__ = ["CLINICAL_AREAS", "COLUMNS", "cold_spots", "core20_flags", "prioritise", "smooth"]
