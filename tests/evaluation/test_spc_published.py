"""Parity with NHSRplotthedots' own published outputs (its testthat snapshots).

Provenance: nhs-r-community/NHSRplotthedots, `tests/testthat/test-ptd_spc.R` ("it outputs
expected content", "summary with a target") and its snapshot `tests/testthat/_snaps/ptd_spc.md`
(the 0.2.x summary with `mean_col` and `variation_type`). The data are
`set.seed(123); data.frame(x = as.Date("2020-01-01") + 1:20, y = rnorm(20))`, with
`facet = rep(c(0, 1), each = 10)`. The 20 values of R's `set.seed(123); rnorm(20)` are the
widely published ones (e.g. knitr output "[1] -0.56047565 -0.23017749 1.55870831 …"; the
11th–20th as elements 11–20 of `set.seed(123); c(rnorm(10, -1), rnorm(10), …)`).
Expected numbers are as R printed them (3 significant figures); the tolerance is half a unit in
the last printed digit.
"""

from __future__ import annotations

import pandas as pd
import pytest

from healthgap.errors import ArgumentError
from healthgap.evaluation import spc, spc_summary

RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip
DATA = pd.DataFrame(
    {"x": pd.date_range("2020-01-02", periods=20), "y": RNORM_123, "facet": [0] * 10 + [1] * 10}
)


def printed(value: float, digits: int) -> object:
    """pytest.approx within half a unit of the last digit R printed."""
    return pytest.approx(value, abs=0.5 * 10.0**-digits)


def test_summary_without_facet() -> None:
    # snapshot: mean_col 0.142, lpl -3.01, upl 3.29, n 20, common_cause 20, improvement 0,
    # concern 0 (variation_type not printed); the same row with target = 0.5
    for kwargs in ({}, {"target": 0.5}):
        s = spc_summary(spc(DATA, "y", "x", **kwargs))
        row = s.iloc[0]
        assert row["mean_col"] == printed(0.142, 3)
        assert row["lpl"] == printed(-3.01, 2) and row["upl"] == printed(3.29, 2)
        assert (row["n"], row["common_cause"], row["special_cause_improvement"]) == (20, 20, 0)
        assert row["special_cause_concern"] == 0


def test_summary_by_facet() -> None:
    # snapshot: f 0: 0.0746, -2.60, 2.75, n 10, common cause 10; f 1: 0.209, -3.28, 3.70
    s = spc_summary(spc(DATA, "y", "x", facet_field="facet")).set_index("f")
    assert s.loc[0, "mean_col"] == printed(0.0746, 4)
    assert s.loc[0, "lpl"] == printed(-2.60, 2) and s.loc[0, "upl"] == printed(2.75, 2)
    assert s.loc[1, "mean_col"] == printed(0.209, 3)
    assert s.loc[1, "lpl"] == printed(-3.28, 2) and s.loc[1, "upl"] == printed(3.70, 2)
    assert list(s["n"]) == [10, 10] and list(s["common_cause"]) == [10, 10]
    # 10 points per facet (< 13): R warns "Some groups have 'n < 12' observations"
    assert spc(DATA, "y", "x", facet_field="facet")["short_group_warning"].all()


def test_rebase_date_outside_the_data_is_refused() -> None:
    # R's snapshot rebases at 2020-01-01, which is not one of the dates (they start on
    # 2020-01-02), and silently prints one group 0 with the un-rebased limits. healthgap
    # refuses such a date (a deliberate difference, docs/evaluation.md).
    with pytest.raises(ArgumentError, match="not among"):
        spc(DATA, "y", "x", rebase=pd.Timestamp("2020-01-01"))
