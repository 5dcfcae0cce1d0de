"""protect_results on a hand-built results table: one MSOA, two LSOAs, a sex breakdown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthgap.disclosure import get_policy, information_loss, protect_results
from healthgap.disclosure.intruder import lp_bounds, prior, propagate
from healthgap.disclosure.results import disclosure_notes, result_cells
from healthgap.disclosure.suppress import PRIMARY


def row(area_type, area, parent, ctype, cat, num, den):
    return {
        "indicator_id": "smi_physical_health_checks", "indicator_name": "SMI checks",
        "period": "2025/26", "area_type": area_type, "area_code": area, "area_name": area,
        "parent_code": parent, "category_type": ctype, "category": cat, "numerator": num,
        "denominator": den, "value": 100 * num / den, "lowercl": 1.0, "uppercl": 99.0,
        "lower99_8cl": 0.5, "upper99_8cl": 99.5, "statistic": "percentage", "method": "Wilson",
        "reason": None, "multiplier": 100.0, "polarity": "higher_is_better", "target": 60.0,
    }  # fmt: skip


@pytest.fixture
def results() -> pd.DataFrame:
    # numerators: MSOA 4 of 8 (the "SMI health checks 4 of 8"): LSOA A 1 of 3,
    # LSOA B 3 of 5; by sex the MSOA is 2 + 2 of 4 + 4. The ICB row is large.
    rows = [
        row("icb24", "E54000062", "E12000005", "all", "All", 400, 900),
        row("msoa21", "E02000001", "E54000062", "all", "All", 4, 8),
        row("msoa21", "E02000001", "E54000062", "sex", "Female", 2, 4),
        row("msoa21", "E02000001", "E54000062", "sex", "Male", 2, 4),
        row("lsoa21", "E01000001", "E02000001", "all", "All", 1, 3),
        row("lsoa21", "E01000002", "E02000001", "all", "All", 3, 5),
        row("msoa21", "E02000002", "E54000062", "all", "All", 396, 892),
    ]
    return pd.DataFrame(rows)


def test_small_counts_are_hidden_with_their_values(results: pd.DataFrame) -> None:
    out = protect_results(results)
    msoa = out[(out["area_code"] == "E02000001") & (out["category_type"] == "all")].iloc[0]
    assert msoa["suppressed"] and msoa["suppression"] == "primary"
    assert np.isnan(msoa["numerator"]) and np.isnan(msoa["value"]) and np.isnan(msoa["lowercl"])
    assert out.loc[out["area_type"] == "lsoa21", "suppressed"].all()
    assert list(out.columns) == [*results.columns, "suppressed", "suppression"]


def test_shown_counts_are_rounded_and_percentages_recomputed(results: pd.DataFrame) -> None:
    out = protect_results(results)
    icb = out[out["area_type"] == "icb24"].iloc[0]
    assert (icb["numerator"], icb["denominator"]) == (400, 900)
    other = out[out["area_code"] == "E02000002"].iloc[0]
    # 396 -> 395 and 892 -> 890: the percentage is 395 / 890 = 44.382..%, not 396 / 892
    assert (other["numerator"], other["denominator"]) == (395, 890)
    assert other["value"] == pytest.approx(100 * 395 / 890)
    assert other["lowercl"] < other["value"] < other["uppercl"]
    assert disclosure_notes(out).tolist()[0] == "rounded to nearest 5"
    assert disclosure_notes(out).tolist()[1] == "suppressed: small number, or to protect one"


def test_msoa_minus_lsoas_and_all_minus_sexes_do_not_recover(results: pd.DataFrame) -> None:
    policy = get_policy("public")
    cells, links = result_cells(results, policy)
    know = prior(cells, policy)
    start = propagate(know, links)
    small = np.flatnonzero(cells.status == PRIMARY)
    low, high = lp_bounds(know, links, small, start=start)
    for lo, hi in zip(low, high, strict=True):
        assert min(hi, 7) - max(lo, 1) + 1 >= 5


def test_policy_none_changes_nothing(results: pd.DataFrame) -> None:
    out = protect_results(results, "none")
    pd.testing.assert_frame_equal(out.drop(columns=["suppressed", "suppression"]), results)
    assert not out["suppressed"].any() and (out["suppression"] == "").all()


def test_information_loss_by_area_level(results: pd.DataFrame) -> None:
    loss = information_loss(protect_results(results)).set_index("area_type")
    assert loss.loc["lsoa21", "cells"] == 2 and loss.loc["lsoa21", "share_hidden"] == 1.0
    assert loss.loc["icb24", "hidden"] == 0


def test_dsr_limits_use_the_rounded_count_and_reveal_only_a_lower_bound() -> None:
    # One DSR row worked by hand. O = 12 events, DSR 500 per 100,000, and a Dobson factor
    # k = sqrt(var/O) = 40 per 100,000 (var = 40^2 * 12 = 19,200). Published, O rounds to 10,
    # and the limits are value + k*sqrt(12/10)*(Byar(10) - 10) with Byar's limits of 10:
    #   lower 10*(1 - 1/90 - 1.959964/(3*sqrt(10)))^3 = 10 * 0.7822905^3 = 4.78745
    #   upper 11*(1 - 1/99 + 1.959964/(3*sqrt(11)))^3 = 11 * 1.1868828^3 = 18.39146
    # The true limits were 500 + 40*(Byar(12) - 12): the ratio of the half-widths gave O = 12.
    def byar_lower(o: float) -> float:
        return o * (1 - 1 / (9 * o) - 1.959964 / (3 * o**0.5)) ** 3

    def byar_upper(o: float) -> float:
        return (o + 1) * (1 - 1 / (9 * (o + 1)) + 1.959964 / (3 * (o + 1) ** 0.5)) ** 3

    dsr = row("icb24", "E54000062", "E12000005", "all", "All", 12, 20000)
    dsr.update(statistic="dsr per 100000", method="Dobson", multiplier=100000.0, value=500.0,
               lowercl=500 + 40 * (byar_lower(12) - 12), uppercl=500 + 40 * (byar_upper(12) - 12),
               lower99_8cl=np.nan, upper99_8cl=np.nan)  # fmt: skip
    table = pd.DataFrame([dsr])
    out = protect_results(table).iloc[0]
    scale = 40 * (12 / 10) ** 0.5
    assert out["numerator"] == 10
    assert out["value"] == 500.0
    assert out["lowercl"] == pytest.approx(500 + scale * (4.78745 - 10), abs=1e-2)
    assert out["uppercl"] == pytest.approx(500 + scale * (18.39146 - 10), abs=1e-2)
    # What the limits still tell: m = value^2 / var = 500^2 / 19,200 = 13.02 > 12 is capped at
    # O; the intruder's interval for the count is the rounding's 8..12 raised to 12.
    cells, _ = result_cells(table, get_policy("public"))
    assert (cells.low[0], cells.high[0]) == (12, 12)
    # With var 40^2 * 12 * 2 (events spread over age bands), m = 6.51: 8..12 stays.
    table.loc[0, "lowercl"] = 500 + 40 * 2**0.5 * (byar_lower(12) - 12)
    cells, _ = result_cells(table, get_policy("public"))
    assert (cells.low[0], cells.high[0]) == (8, 12)
