"""The statistics on NumPy arrays, for callers that keep their data columnar (no frames, no
Python object per row), such as `healthgap.indicators` at England scale.

Each is the core its frame function (`proportion`, `rate`, `dsr`) calls, so the two give the
same floating-point numbers for rows in the same order; `confidence` levels are fractions and
the multiplier may be an array (one per row or group). Formulas and references: the frame
functions' docstrings and docs/methods.md.

- `wilson_arrays(x, n, levels, multiplier)` -> `Estimates`: proportions, Wilson score limits.
- `rate_arrays(x, n, levels, multiplier)` -> `Estimates`: crude rates, exact/Byar's limits.
- `dsr_arrays(x, n, w, group, ...)` -> `DsrEstimates`: directly standardised rates, Dobson
  limits, summed per integer group number (`SMALL_COUNT`: its statistic and reason when
  there are fewer than 10 events).
- `fmt_number(multiplier)`: a multiplier as the statistic labels print it (100000, 0.5).
"""

from __future__ import annotations

from healthgap.stats._frame import fmt_number
from healthgap.stats._intervals import Estimates
from healthgap.stats.dsr import SMALL_COUNT, DsrEstimates, dsr_arrays
from healthgap.stats.proportions import wilson_arrays
from healthgap.stats.rates import rate_arrays

__all__ = [
    "SMALL_COUNT",
    "DsrEstimates",
    "Estimates",
    "dsr_arrays",
    "fmt_number",
    "rate_arrays",
    "wilson_arrays",
]
