"""Input checks and data-frame plumbing of the statistics functions, public for packages above.

Packages that take data frames the way `stats` does (a pandas or polars frame, column names,
an optional `group_by`, a confidence level) check them with the same rules and messages by
importing these names, rather than the private `_validate` and `_frame` modules:

- `parse_confidence(confidence, function, ...)` -> `Confidence` levels (0.95 or 95; PHE's rule
  of at most two levels, 95% and 99.8%); `z_value(confidence)`: the two-sided normal quantile
  (1.959964 for 0.95);
- `require_columns`, `require_numeric` (`ArgumentError` naming the function and the column),
  `reject_rows(mask, df, message)` (`InputDataError` listing the offending rows);
- `Frame`, `as_pandas(data, function)` (pandas work frame and a function converting the result
  back to the caller's kind), `normalise_group_by`, `float_array`, `reasons(*(mask, text))`
  (the `reason` column: why a value is NA).
"""

from __future__ import annotations

from healthgap.stats._frame import Frame, as_pandas, float_array, normalise_group_by, reasons
from healthgap.stats._validate import (
    Confidence,
    parse_confidence,
    reject_rows,
    require_columns,
    require_numeric,
    z_value,
)

__all__ = [
    "Confidence",
    "Frame",
    "as_pandas",
    "float_array",
    "normalise_group_by",
    "parse_confidence",
    "reasons",
    "reject_rows",
    "require_columns",
    "require_numeric",
    "z_value",
]
