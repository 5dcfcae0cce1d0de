"""Reading the aggregate inputs: the WRES counts CSV and the Staff Survey CSV.

Counts CSV: `indicator, ethnicity, numerator, denominator`, optionally `year`, `band` and
`staff_group`. `ethnicity` is White, BME or Unknown. Per indicator:
- 1: `band` (AfC 1-9, 8a-8d, VSM or a medical grade) and `staff_group` (clinical or
  non-clinical); numerator = headcount of the group in the band, denominator = the band's
  headcount (the same on every row of the band);
- 2: appointed (numerator) of shortlisted (denominator); 3: entered a formal disciplinary
  investigation of headcount; 4: accessed non-mandatory training or CPD of headcount;
  2-4 need a White and a BME row;
- 9: board members of the group of all board members; `staff_group` `voting` (the default),
  `executive` or `all`; the workforce share comes from indicator 1's rows.

Survey CSV: `indicator` (5-8), `ethnicity` (White or BME), `percentage` (0-100), optionally
`respondents` (for confidence limits) and `year`.

Every problem is collected and the file rejected whole with `ExtractError`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from healthgap.equality.errors import ExtractError, Problem
from healthgap.equality.wres.ethnicity import BME, GROUPS, WHITE
from healthgap.equality.wres.extract import (
    COUNTS_COLUMNS,
    STAFF_GROUPS,
    normalise_band,
    read_table,
)

COUNT_INDICATORS = ("1", "2", "3", "4", "9")
SURVEY_INDICATORS = ("5", "6", "7", "8")
BOARD_GROUPS = ("voting", "executive", "all")


def _load(source: str | Path | pd.DataFrame, required: tuple[str, ...], kind: str) -> pd.DataFrame:
    frame, what = read_table(source, required, kind)
    for column in ("year", "band", "staff_group"):
        if column not in frame.columns:
            frame[column] = ""
    for column in ("year", "indicator", "ethnicity", "band", "staff_group"):
        frame[column] = frame[column].str.strip()
    frame.attrs["what"] = what
    return frame


def _number(value: object, row: int, column: str, problems: list[Problem]) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        problems.append(Problem(row, column, f"{value!r} is not a count of zero or more."))
        return math.nan
    return number


def read_counts(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Validate a counts CSV (or frame); returns `COUNTS_COLUMNS` with float counts."""
    frame = _load(source, ("indicator", "ethnicity", "numerator", "denominator"), "counts file")
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    numerators, denominators, bands, staff_groups = [], [], [], []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        ind, eth = row["indicator"], row["ethnicity"]
        if ind not in COUNT_INDICATORS:
            problems.append(Problem(i, "indicator", f"{ind!r} is not one of 1, 2, 3, 4, 9."))
        if eth not in GROUPS:
            problems.append(Problem(i, "ethnicity", f"{eth!r} is not White, BME or Unknown."))
        x = _number(row["numerator"], i, "numerator", problems)
        n = _number(row["denominator"], i, "denominator", problems)
        if x > n:
            problems.append(Problem(i, "numerator", f"{x:g} is more than the denominator {n:g}."))
        band, group = row["band"], row["staff_group"].lower()
        if ind == "1":
            canonical = normalise_band(band)
            if canonical is None:
                problems.append(
                    Problem(i, "band", f"{band!r} is not an AfC band, VSM or medical grade.")
                )
            band = canonical or band
            if group not in STAFF_GROUPS:
                problems.append(
                    Problem(i, "staff_group", f"{group!r} is not clinical or non-clinical.")
                )
        elif ind == "9":
            group = group or "voting"
            if group not in BOARD_GROUPS:
                problems.append(
                    Problem(i, "staff_group", f"{group!r} is not voting, executive or all.")
                )
        key = (row["year"], ind, band, group, eth)
        if key in seen:
            problems.append(Problem(i, "ethnicity", f"This row repeats row {seen[key]}."))
        seen.setdefault(key, i)
        numerators.append(x)
        denominators.append(n)
        bands.append(band)
        staff_groups.append(group)
    frame["numerator"], frame["denominator"] = numerators, denominators
    frame["band"], frame["staff_group"] = bands, staff_groups
    _check_completeness(frame, problems)
    if problems:
        raise ExtractError(frame.attrs["what"], problems)
    return frame[list(COUNTS_COLUMNS)]


def _check_completeness(frame: pd.DataFrame, problems: list[Problem]) -> None:
    for (year, ind), part in frame.groupby(["year", "indicator"], sort=False):
        label = f"indicator {ind}" + (f" in {year}" if year else "")
        if ind in ("2", "3", "4") and not {WHITE, BME} <= set(part["ethnicity"]):
            problems.append(Problem(None, "ethnicity", f"{label} needs a White and a BME row."))
        if ind == "1":
            for (group, band), cell in part.groupby(["staff_group", "band"], sort=False):
                if cell["denominator"].nunique() > 1:
                    problems.append(
                        Problem(None, "denominator", f"{label}, {group} band {band}: the band's "
                                "headcount differs between rows.")
                    )  # fmt: skip
                elif cell["numerator"].sum() > cell["denominator"].iloc[0]:
                    problems.append(
                        Problem(None, "numerator", f"{label}, {group} band {band}: the groups "
                                "add up to more than the band's headcount.")
                    )  # fmt: skip


def read_survey(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Validate a Staff Survey CSV for indicators 5-8; returns `year, indicator, ethnicity,
    percentage, respondents` (respondents NaN when not given)."""
    frame = _load(source, ("indicator", "ethnicity", "percentage"), "survey file")
    if "respondents" not in frame.columns:
        frame["respondents"] = ""
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    percentages, respondents = [], []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["indicator"] not in SURVEY_INDICATORS:
            problems.append(Problem(i, "indicator", f"{row['indicator']!r} is not 5, 6, 7 or 8."))
        if row["ethnicity"] not in (WHITE, BME):
            problems.append(Problem(i, "ethnicity", f"{row['ethnicity']!r} is not White or BME."))
        pct = _number(row["percentage"], i, "percentage", problems)
        if pct > 100:
            problems.append(Problem(i, "percentage", f"{pct:g} is more than 100."))
        text = str(row["respondents"]).strip()
        resp = _number(text, i, "respondents", problems) if text else math.nan
        key = (row["year"], row["indicator"], row["ethnicity"])
        if key in seen:
            problems.append(Problem(i, "ethnicity", f"This row repeats row {seen[key]}."))
        seen.setdefault(key, i)
        percentages.append(pct)
        respondents.append(resp)
    frame["percentage"], frame["respondents"] = percentages, respondents
    if problems:
        raise ExtractError(frame.attrs["what"], problems)
    return frame[["year", "indicator", "ethnicity", "percentage", "respondents"]]
