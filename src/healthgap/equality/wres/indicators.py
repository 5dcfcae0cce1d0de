"""The nine WRES indicators from the counts table, trends over years, the non-adverse range.

Definitions (WRES technical guidance; standards.md section 4). BME is every group but White;
Unknown (not stated, not known) is left out of the relative likelihoods and kept in the
denominators of the representation percentages (indicators 1 and 9: shares of everyone).

- 1: % BME in each staff group and band (Wilson limits); `comparator` = % BME in the whole
  workforce.
- 2: relative likelihood of White shortlisted applicants being appointed compared with BME.
- 3: relative likelihood of BME staff entering a formal disciplinary investigation compared
  with White.
- 4: relative likelihood of White staff accessing non-mandatory training or CPD compared with
  BME. (2-4: Katz log limits.)
- 5-8: BME % minus White % (percentage points) from the Staff Survey; Newcombe hybrid score
  limits when the numbers of respondents are given.
- 9: % BME of the board minus % BME of the workforce (percentage points); Newcombe limits,
  treating board and workforce as independent samples (an approximation).

For 2-4 a ratio above 1 is adverse; `non_adverse` says whether the value lies in the
non-adverse range, ends included (default 0.80-1.25, the "four-fifths" rule and its
reciprocal). NHS England uses that range for indicator 3 (NHS England and NHS Improvement, "A
fair experience for all", 2019, as summarised by capsticks.com: the 2018 national 1.24 "is
within the recommended acceptable or 'non-adverse' range"); applying it to 2 and 4 is our
extension, not yet confirmed (docs/equality.md, "Sources"). For 5, 6 and 8 a positive gap is
adverse; for 7 a negative gap; for 1 and 9 a BME share below the workforce's. Indicator 3's
numerator is taken as given: where a two-year rolling average of entries is wanted, average
before writing it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.equality.wres.counts import read_counts, read_survey
from healthgap.equality.wres.ethnicity import BME, GROUPS, UNKNOWN, WHITE
from healthgap.equality.wres.extract import BANDS
from healthgap.equality.wres.ratios import proportion_difference, relative_likelihood
from healthgap.stats import proportion

NON_ADVERSE_RANGE = (0.80, 1.25)

STATISTICS = {
    "1": ("percentage BME in band", "BME share of the band; adverse below the workforce share"),
    "2": ("relative likelihood", "White relative to BME; adverse above 1"),
    "3": ("relative likelihood", "BME relative to White; adverse above 1"),
    "4": ("relative likelihood", "White relative to BME; adverse above 1"),
    "5": ("percentage point gap", "BME minus White; adverse above 0"),
    "6": ("percentage point gap", "BME minus White; adverse above 0"),
    "7": ("percentage point gap", "BME minus White; adverse below 0"),
    "8": ("percentage point gap", "BME minus White; adverse above 0"),
    "9": ("percentage point gap", "BME share of board minus of workforce; adverse below 0"),
}
RESULT_COLUMNS = [
    "year", "indicator", "band", "staff_group", "statistic", "direction", "value", "lowercl",
    "uppercl", "white_numerator", "white_denominator", "bme_numerator", "bme_denominator",
    "unknown_numerator", "unknown_denominator", "white_value", "bme_value", "comparator",
    "non_adverse", "reason",
]  # fmt: skip
_RATIO_ORDER = {"2": (WHITE, BME), "3": (BME, WHITE), "4": (WHITE, BME)}


def _counts(part: pd.DataFrame) -> dict[str, tuple[float, float]]:
    out = {g: (math.nan, math.nan) for g in GROUPS}
    for row in part.itertuples():
        out[row.ethnicity] = (float(row.numerator), float(row.denominator))
    return out


def _row(year: str, indicator: str, band: str, staff_group: str, counts: dict, **values) -> dict:
    statistic, direction = STATISTICS[indicator]
    row = {
        "year": year, "indicator": indicator, "band": band, "staff_group": staff_group,
        "statistic": statistic, "direction": direction, "value": math.nan,
        "lowercl": math.nan, "uppercl": math.nan, "white_value": math.nan,
        "bme_value": math.nan, "comparator": math.nan, "non_adverse": None, "reason": "",
    }  # fmt: skip
    for group, prefix in ((WHITE, "white"), (BME, "bme"), (UNKNOWN, "unknown")):
        x, n = counts.get(group, (math.nan, math.nan))
        row[f"{prefix}_numerator"], row[f"{prefix}_denominator"] = x, n
    row.update(values)
    return row


def _percent(x: float, n: float) -> float:
    return 100 * x / n if n > 0 else math.nan


def _representation(year: str, part: pd.DataFrame, confidence: float) -> tuple[list[dict], tuple]:
    cells = part.groupby(["staff_group", "band"], sort=False)
    bme_total = float(part.loc[part["ethnicity"] == BME, "numerator"].sum())
    headcount = float(sum(cell["denominator"].iloc[0] for _, cell in cells))
    workforce = _percent(bme_total, headcount)
    order = {b: i for i, b in enumerate(BANDS)}
    rows = []
    for (group, band), cell in sorted(cells, key=lambda kv: (kv[0][0], order[kv[0][1]])):
        counts = _counts(cell)
        n = float(cell["denominator"].iloc[0])
        bme = counts[BME][0] if not math.isnan(counts[BME][0]) else 0.0
        white = counts[WHITE][0] if not math.isnan(counts[WHITE][0]) else 0.0
        values = {"comparator": workforce, "white_value": _percent(white, n)}
        if n > 0:
            ci = proportion(pd.DataFrame({"x": [bme], "n": [n]}), "x", "n",
                            confidence=confidence, multiplier=100)  # fmt: skip
            values |= {
                "value": float(ci["value"].iloc[0]),
                "lowercl": float(ci["lowercl"].iloc[0]),
                "uppercl": float(ci["uppercl"].iloc[0]),
                "bme_value": 100 * bme / n,
            }
        else:
            values["reason"] = "the band has no staff"
        rows.append(_row(year, "1", band, group, counts, **values))
    return rows, (bme_total, headcount)


def _ratio(year: str, ind: str, part: pd.DataFrame, confidence: float, limits: tuple) -> dict:
    counts = _counts(part)
    first, second = _RATIO_ORDER[ind]
    (a, n1), (b, n2) = counts[first], counts[second]
    rl = relative_likelihood(a, n1, b, n2, confidence)
    inside = None if math.isnan(rl.value) else bool(limits[0] <= rl.value <= limits[1])
    return _row(
        year, ind, "", "", counts, value=rl.value, lowercl=rl.lowercl, uppercl=rl.uppercl,
        white_value=_percent(*counts[WHITE]), bme_value=_percent(*counts[BME]),
        non_adverse=inside, reason=rl.reason,
    )  # fmt: skip


def _board(year: str, part: pd.DataFrame, workforce: tuple | None, confidence: float) -> list:
    rows = []
    for group, cell in part.groupby("staff_group", sort=False):
        counts = _counts(cell)
        n = next((c[1] for c in counts.values() if not math.isnan(c[1])), math.nan)
        bme = 0.0 if math.isnan(counts[BME][0]) else counts[BME][0]
        if workforce is None:
            reason = "indicator 9 needs indicator 1's rows for the workforce's share"
            rows.append(_row(year, "9", "", group, counts, reason=reason))
            continue
        diff = proportion_difference(bme, n, workforce[0], workforce[1], confidence)
        rows.append(
            _row(year, "9", "", group, counts, value=100 * diff.value,
                 lowercl=100 * diff.lowercl, uppercl=100 * diff.uppercl,
                 bme_value=_percent(bme, n), white_value=_percent(counts[WHITE][0], n),
                 comparator=_percent(*workforce), reason=diff.reason)
        )  # fmt: skip
    return rows


def _survey(year: str, ind: str, part: pd.DataFrame, confidence: float) -> dict:
    got = {r.ethnicity: (r.percentage, r.respondents) for r in part.itertuples()}
    if WHITE not in got or BME not in got:
        return _row(year, ind, "", "", {}, reason="the survey file needs a White and a BME row")
    (pw, nw), (pb, nb) = got[WHITE], got[BME]
    values = {"value": pb - pw, "white_value": pw, "bme_value": pb}
    counts = {WHITE: (pw * nw / 100, nw), BME: (pb * nb / 100, nb)}
    if math.isnan(nw) or math.isnan(nb):
        values["reason"] = "no confidence limits without the number of respondents"
    else:
        diff = proportion_difference(pb * nb / 100, nb, pw * nw / 100, nw, confidence)
        values |= {"lowercl": 100 * diff.lowercl, "uppercl": 100 * diff.uppercl,
                   "reason": diff.reason}  # fmt: skip
    return _row(year, ind, "", "", counts, **values)


def wres_indicators(
    counts: pd.DataFrame | str | Path | None = None,
    survey: pd.DataFrame | str | Path | None = None,
    *,
    confidence: float = 0.95,
    non_adverse: tuple[float, float] = NON_ADVERSE_RANGE,
) -> pd.DataFrame:
    """The WRES indicators, one row per year × indicator (× staff group and band for 1, ×
    board group for 9), with `value`, `lowercl`, `uppercl` and the counts behind each value.

    `counts` is the counts table (a frame from `counts_from_extracts`, or a counts CSV path);
    `survey` the Staff Survey table or CSV path. Both are validated (`read_counts`,
    `read_survey`). Either may be None. Columns: `RESULT_COLUMNS`.
    """
    rows: list[dict] = []
    if counts is not None:
        counts = read_counts(counts)
        for year, by_year in counts.groupby("year", sort=True):
            workforce = None
            ones = by_year[by_year["indicator"] == "1"]
            if len(ones):
                band_rows, workforce = _representation(str(year), ones, confidence)
                rows += band_rows
            for ind in ("2", "3", "4"):
                part = by_year[by_year["indicator"] == ind]
                if len(part):
                    rows.append(_ratio(str(year), ind, part, confidence, non_adverse))
            nines = by_year[by_year["indicator"] == "9"]
            if len(nines):
                rows += _board(str(year), nines, workforce, confidence)
    if survey is not None:
        survey = read_survey(survey)
        for (year, ind), part in survey.groupby(["year", "indicator"], sort=True):
            rows.append(_survey(str(year), str(ind), part, confidence))
    out = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    out["_ind"] = out["indicator"].astype(int)
    out = out.sort_values(["year", "_ind"], kind="stable").drop(columns="_ind")
    return out.reset_index(drop=True)


def _distance(row: pd.Series) -> float:
    """How far a value is from parity: |ln RL| for 2-4, |value - comparator| for 1 and the
    absolute gap for 5-9."""
    if row["indicator"] in ("2", "3", "4"):
        return abs(math.log(row["value"])) if row["value"] > 0 else math.nan
    if row["indicator"] == "1":
        return abs(row["value"] - row["comparator"])
    return abs(row["value"])


def trends(results: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change for each indicator series in `wres_indicators` output.

    Adds `previous`, `change` (value - previous) and `trend`: "closer to parity", "further from
    parity" or "no change" by the distance from parity (|ln RL| for relative likelihoods, the
    gap from the workforce share for indicator 1, the absolute gap for 5-9); blank for a
    series' first year or where a value is missing. Years sort as text ("2023" < "2024").
    """
    keys = ["indicator", "band", "staff_group"]
    out = results.sort_values([*keys, "year"], kind="stable").copy()
    out["distance"] = out.apply(_distance, axis=1) if len(out) else []
    out["previous"] = out.groupby(keys, sort=False)["value"].shift(1)
    previous_distance = out.groupby(keys, sort=False)["distance"].shift(1)
    out["change"] = out["value"] - out["previous"]
    delta = out["distance"] - previous_distance
    out["trend"] = np.select(
        [delta.isna(), np.isclose(delta.fillna(0), 0), delta < 0],
        ["", "no change", "closer to parity"],
        default="further from parity",
    )
    columns = ["year", *keys, "value", "previous", "change", "trend"]
    return out[columns].reset_index(drop=True)
