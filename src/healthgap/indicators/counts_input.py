"""Aggregate inputs: counts by area and group (e.g. a Fingertips-style CSV) -> tidy results.

Partnerships often hold counts, not person-level records: a Fingertips download, a practice
extract, a council's spreadsheet. `load_counts` reads such a file, checks it, and returns the
same tidy results table as a person-level run (docs/results.md), computed with each
indicator's catalogue method (Wilson proportions, Byar/exact rates, Dobson DSRs — a DSR needs
one row per standard age band in `age_band`). LSOA-level rows are also summed up the area
hierarchy (MSOA, local authority, ICB, region, England) where every LSOA of the wider area is
present, as in a person-level run.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from healthgap.errors import InputDataError
from healthgap.indicators.aggregate import LEVELS
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.loading import load_catalogue
from healthgap.indicators.tidy import KEYS, statistics, with_areas

FINGERTIPS_NAMES = {
    "Indicator ID": "indicator_id", "Time period": "period", "Area Code": "area_code",
    "Area Type": "area_type", "Category Type": "category_type", "Category": "category",
    "Count": "numerator", "Denominator": "denominator", "Age": "age_band",
}  # fmt: skip
REQUIRED = ("indicator_id", "period", "area_code", "numerator", "denominator")


def read_counts(path: str | Path) -> pd.DataFrame:
    """Read a counts CSV with healthgap's or Fingertips' column names (see module docstring)."""
    try:
        frame = pd.read_csv(path, dtype={"Indicator ID": str, "indicator_id": str})
    except UnicodeDecodeError as error:
        raise InputDataError(f"{path} cannot be read: it is not UTF-8 text ({error})") from error
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputDataError(f"{path} cannot be read as a CSV file: {error}") from error
    frame = frame.rename(columns=FINGERTIPS_NAMES)
    twice = sorted(set(frame.columns[frame.columns.duplicated()]))
    if twice:
        raise InputDataError(
            f"{path}: column(s) {', '.join(twice)} given twice (healthgap's and Fingertips' name "
            "for the same column?); keep one of each"
        )
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"{path}: missing column(s) {', '.join(missing)}; a counts file needs"
            f" {', '.join(REQUIRED)} (or Fingertips' names), optionally area_type,"
            " category_type, category and age_band"
        )
    return frame


def load_counts(
    counts: pd.DataFrame,
    areas: pd.DataFrame,
    indicators: Mapping[str, Indicator] | None = None,
) -> pd.DataFrame:
    """Tidy results (docs/results.md) from counts, checked row by row (every problem named)."""
    indicators = load_catalogue() if indicators is None else indicators
    frame = counts.copy()
    frame["area_type"] = frame.get("area_type", pd.Series(index=frame.index, dtype=object))
    frame["area_type"] = frame["area_type"].fillna(frame["area_code"].map(_area_type))
    frame["category_type"] = frame.get("category_type", "all")
    frame["category"] = frame.get("category", "All")
    frame["category_type"] = frame["category_type"].fillna("all")
    frame["category"] = frame["category"].fillna("All")
    frame["age_band"] = frame.get("age_band", "all")
    _check(frame, indicators)
    frame = _roll_up(frame, areas)
    frame["age_band"] = frame["age_band"].fillna("all")
    return with_areas(statistics(frame, indicators), areas)


def _area_type(code: object) -> str | None:
    prefixes = {"E01": "lsoa21", "E02": "msoa21", "E06": "lad24", "E07": "lad24", "E08": "lad24",
                "E09": "lad24", "E54": "icb24", "E12": "region24", "E92": "england"}  # fmt: skip
    return prefixes.get(str(code)[:3])


def _check(frame: pd.DataFrame, indicators: Mapping[str, Indicator]) -> None:
    """Raise one InputDataError naming every bad row (nothing is computed from a bad file)."""
    problems: list[tuple[int, str]] = []

    def flag(mask: pd.Series, text: str) -> None:
        problems.extend((i, f"row {i}: {text.format(**row)}") for i, row in frame[mask].iterrows())

    flag(~frame["indicator_id"].isin(list(indicators)), "{indicator_id!r} is not in the catalogue")
    flag(~frame["area_type"].isin(LEVELS), "{area_code!r} is not a known area code")
    for column in ("numerator", "denominator"):
        values = pd.to_numeric(frame[column], errors="coerce")
        flag(values.isna() | (values < 0), f"{column} {{{column}!r}} is not a count >= 0")
    if problems:
        raise InputDataError(
            "the counts file has problems", offenders=[text for _, text in sorted(problems)]
        )
    frame["numerator"] = pd.to_numeric(frame["numerator"])
    frame["denominator"] = pd.to_numeric(frame["denominator"])


def _roll_up(frame: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Add wider areas made entirely of LSOAs present in the file (sums of their counts)."""
    lsoa = frame[frame["area_type"] == "lsoa21"]
    if lsoa.empty:
        return frame
    from healthgap.indicators.run import complete_areas  # run imports this package's modules

    complete = complete_areas(lsoa["area_code"], areas)
    joined = lsoa.merge(areas, left_on="area_code", right_on="lsoa21", how="inner")
    parts = [frame]
    for level in LEVELS[:-1]:
        codes = complete[level]
        if not codes:
            continue
        code = "E92000001" if level == "england" else joined[level]
        summed = (
            joined.assign(area_type=level, area_code=code)
            .query("area_code in @codes")
            .groupby([*KEYS, "age_band"], as_index=False)[["numerator", "denominator"]]
            .sum()
        )
        parts.append(summed)
    return pd.concat(parts, ignore_index=True)
