"""Equity impact: differences of independent estimates (Altman & Bland 2003), by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import InputDataError
from healthgap.evaluation.equity import Gap, equity_impact, gap_change

Z = 1.959963984540054


def test_sii_narrowed() -> None:
    # 12.0 (SE 1.5) -> 8.0 (SE 2.0): change −4.0, SE √(2.25 + 4) = 2.5,
    # CI −4 ± 1.96 × 2.5 = −8.90 to 0.90: includes 0, so no clear change
    e = gap_change(Gap(12.0, 1.5), Gap(8.0, 2.0), what="The SII")
    assert e.estimate == -4.0 and e.se == 2.5
    assert e.lowercl == pytest.approx(-4 - Z * 2.5) and e.uppercl == pytest.approx(-4 + Z * 2.5)
    assert e.p_value == pytest.approx(2 * (1 - 0.945201), abs=1e-5)  # z = 1.6: Φ(1.6) = 0.945201
    assert e.sentence.endswith("it showed no clear change")
    # 12.0 (SE 0.6) -> 8.0 (SE 0.8): SE 1.0, CI −5.96 to −2.04: narrowed
    e = gap_change(Gap(12.0, 0.6), Gap(8.0, 0.8), what="The SII")
    assert e.sentence == (
        "The SII went from 12.0 to 8.0, a change of −4.0 (95% CI −6.0 to −2.0): it narrowed"
    )
    # a negative gap moving further from 0 widened: −5 -> −9
    assert gap_change(Gap(-5.0, 0.6), Gap(-9.0, 0.8)).sentence.endswith("widened")


def test_ratio_on_log_scale() -> None:
    # RII 2.0 (95% CI 1.6 to 2.5) -> 1.5 (1.2 to 1.875): se_log = ln(2.5/1.6)/(2 × 1.96) = 0.113843
    # for both (1.875/1.2 = 2.5/1.6 = 1.5625); ratio 0.75, SE_log 0.113843 × √2 = 0.160997,
    # CI 0.75 × exp(∓1.96 × 0.160997) = 0.5470 to 1.0283
    e = gap_change(Gap(2.0, 0.23, 1.6, 2.5), Gap(1.5, 0.17, 1.2, 1.875), ratio=True)
    assert e.estimate == pytest.approx(0.75)
    assert e.se == pytest.approx(math.log(1.5625) / (2 * Z) * math.sqrt(2))
    assert e.lowercl == pytest.approx(0.75 * math.exp(-Z * e.se))
    assert e.uppercl == pytest.approx(0.75 * math.exp(Z * e.se))
    assert e.sentence.endswith("no clear change")


def test_equity_impact_table() -> None:
    keys = {"indicator_id": "x", "area_type": "icb24", "area_code": "E54000062"}
    rows = [
        keys | {"period": "2023", "dimension": "imd_decile", "measure": "sii", "value": 12.0,
                "se": 0.6, "lowercl": float("nan"), "uppercl": float("nan")},
        keys | {"period": "2025", "dimension": "imd_decile", "measure": "sii", "value": 8.0,
                "se": 0.8, "lowercl": float("nan"), "uppercl": float("nan")},
        keys | {"period": "2023", "dimension": "core20", "measure": "d", "value": 3.0,
                "se": 0.5, "lowercl": 2.0, "uppercl": 4.0},
        keys | {"period": "2025", "dimension": "core20", "measure": "d", "value": 6.0,
                "se": 0.5, "lowercl": 5.0, "uppercl": 7.0},
        keys | {"period": "2023", "dimension": "ethnicity5", "measure": "d", "value": 3.0,
                "se": float("nan"), "lowercl": 2.0, "uppercl": 4.0},
    ]  # fmt: skip
    out = equity_impact(pd.DataFrame(rows), "2023", "2025").set_index("dimension")
    assert list(out.index) == ["imd_decile", "core20"]  # ethnicity has no SE or no 2025 row
    assert out.loc["imd_decile", "change"] == -4.0 and out.loc["imd_decile", "narrowed"]
    # Core20 gap 3 -> 6: change 3, SE √0.5 = 0.7071, CI 1.61 to 4.39: widened
    assert out.loc["core20", "change"] == 3.0 and out.loc["core20", "narrowed"] in (False,)
    assert out.loc["core20", "scale"] == "difference"
    with pytest.raises(InputDataError, match="no rows for period"):
        equity_impact(pd.DataFrame(rows), "2023", "2030")


@given(b=st.floats(-50, 50), a=st.floats(-50, 50), sb=st.floats(0.01, 10), sa=st.floats(0.01, 10))
def test_interval_is_symmetric_and_contains_the_change(
    b: float, a: float, sb: float, sa: float
) -> None:
    e = gap_change(Gap(b, sb), Gap(a, sa))
    assert e.lowercl <= e.estimate <= e.uppercl
    assert e.uppercl - e.estimate == pytest.approx(e.estimate - e.lowercl)
    assert e.se == pytest.approx(math.hypot(sb, sa))
    assert (e.p_value < 0.05) == (e.lowercl > 0 or e.uppercl < 0) or abs(e.p_value - 0.05) < 1e-9
