"""Programme evaluation: SPC monitoring, difference-in-differences, interrupted time series and
equity impact (docs/evaluation.md). Imports only `healthgap.stats`, numpy, scipy, pandas and
statsmodels.
"""

from __future__ import annotations

from healthgap.evaluation.spc import spc, spc_summary

__all__ = ["spc", "spc_summary"]
