"""Public-health statistics: PHEindicatormethods 2.1.0 and WHO HEAT (healthequal) methods.

One module per statistic family; every function takes a pandas or polars data frame and column
names, an optional `group_by`, and returns the same kind of frame with `value`, confidence
limits, `confidence`, `statistic`, `method` and `reason` (why a value is NA). Methods, formulas
and references: docs/methods.md.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "proportion": "proportions",
    "rate": "rates",
    "mean": "means",
    "dsr": "dsr",
    "ESP2013": "dsr",
    "isratio": "isr",
    "isr": "isr",
    "life_expectancy": "life_expectancy",
    "quantiles": "quantiles",
    "sii": "sii",
    "funnel_limits": "funnels",
    "funnel_significance": "funnels",
    "funnel_points": "funnels",
    "inequality_summary": "heat",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import statistic families lazily, so `import healthgap.stats` stays fast."""
    if name in _EXPORTS:
        module = importlib.import_module(f"healthgap.stats.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'healthgap.stats' has no attribute {name!r}")
