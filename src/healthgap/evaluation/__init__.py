"""Programme evaluation: SPC monitoring, difference-in-differences, interrupted time series and
equity impact (docs/evaluation.md). Imports only `healthgap.stats`, numpy, scipy, pandas and
statsmodels.
"""

from __future__ import annotations

from healthgap.evaluation.did import baseline, did, event_study, match_comparators, pre_trend
from healthgap.evaluation.effect import Check, Effect
from healthgap.evaluation.equity import Gap, equity_impact, gap_change
from healthgap.evaluation.its import Segmented, its
from healthgap.evaluation.spc import spc, spc_summary

__all__ = [
    "Check",
    "Effect",
    "Gap",
    "Segmented",
    "baseline",
    "did",
    "equity_impact",
    "event_study",
    "gap_change",
    "its",
    "match_comparators",
    "pre_trend",
    "spc",
    "spc_summary",
]
