"""Public-health statistics: PHEindicatormethods 2.1.0 and WHO HEAT (healthequal) methods.

One module per statistic family; every function takes a pandas or polars data frame and column
names, an optional `group_by`, and returns the same kind of frame with `value`, confidence
limits, `confidence`, `statistic`, `method` and `reason` (why a value is NA). Methods, formulas
and references: docs/methods.md.

The functions are imported eagerly: several share their module's name (`dsr`, `isr`,
`life_expectancy`), and binding the function after the submodule import keeps
`healthgap.stats.dsr` the function whatever else imports the module first.
"""

from __future__ import annotations

from healthgap.stats.compare import compare_with_benchmark
from healthgap.stats.dsr import ESP2013, dsr
from healthgap.stats.funnels import funnel_limits, funnel_points, funnel_significance
from healthgap.stats.heat import inequality_summary
from healthgap.stats.isr import isr, isratio
from healthgap.stats.life_expectancy import life_expectancy
from healthgap.stats.means import mean
from healthgap.stats.proportions import proportion
from healthgap.stats.quantiles import quantiles
from healthgap.stats.rates import rate
from healthgap.stats.sii import sii

__all__ = [
    "ESP2013",
    "compare_with_benchmark",
    "dsr",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "inequality_summary",
    "isr",
    "isratio",
    "life_expectancy",
    "mean",
    "proportion",
    "quantiles",
    "rate",
    "sii",
]
