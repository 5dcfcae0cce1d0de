"""Every breakdown at every area level from the fine table, in one DuckDB GROUPING SETS pass.

The fine table (indicator × period × lsoa21 × ethnicity code × sex × age band, from any backend)
is aggregate data, so the roll-up runs in an in-process DuckDB whatever engine made it: one
scan computes all (area level × breakdown) combinations with `GROUPING SETS`, instead of one
query per indicator and breakdown. DSR indicators keep their age bands in every set (a DSR
needs the age-specific counts); other indicators carry the band "all" unless the breakdown is
the age band itself. `healthgap.indicators.rollup` is the plain-pandas equivalent used by the
spec tests; the two are compared in tests/indicators/test_aggregate.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pandas as pd

from healthgap.indicators.definitions import Indicator
from healthgap.population.ethnicity import ethnic_groups

NOT_KNOWN = "Not stated or not known"
LEVELS = ("england", "region24", "icb24", "lad24", "msoa21", "lsoa21")
"""Area levels, widest first; `england` is the code E92000001 for every LSOA."""
CATEGORY_TYPES = (
    "all", "imd_decile", "imd_quintile", "core20", "ethnicity5", "ethnicity19", "sex", "age_band",
)  # fmt: skip
AREA_CATEGORIES = ("imd_decile", "imd_quintile", "core20")
"""Breakdowns that are constant within an LSOA (left out at LSOA level)."""


def aggregate(
    finest: pd.DataFrame,
    indicators: Mapping[str, Indicator],
    areas: pd.DataFrame,
    *,
    levels: Sequence[str] = LEVELS,
) -> pd.DataFrame:
    """Sum numerators and denominators for every level × breakdown.

    `areas` has one row per LSOA: `lsoa21` plus the level columns (`msoa21`, `lad24`, `icb24`,
    `region24`) and `imd_decile`, `imd_quintile`, `core20` (bool). Returns columns
    indicator_id, period, area_type, area_code, category_type, category, age_band, numerator,
    denominator. Breakdowns an indicator does not declare are left out (plus imd_quintile and
    core20, which follow imd_decile).
    """
    codes = pd.Series(finest["ethnicity"].fillna("99").unique())
    groups = ethnic_groups(codes)
    ethnicity = pd.DataFrame(
        {
            "ethnicity": codes,
            "ethnicity5": groups["census_2021_high_level"].fillna(NOT_KNOWN).to_numpy(),
            "ethnicity19": groups["census_2021_group"].fillna(NOT_KNOWN).to_numpy(),
        }
    )
    wanted = pd.DataFrame(
        [
            (ind.id, ind.method == "dsr", category)
            for ind in indicators.values()
            for category in _declared(ind)
        ],
        columns=["indicator_id", "is_dsr", "category_type"],
    )
    con = duckdb.connect()
    try:
        for name, frame in (("finest", finest), ("areas", areas), ("eth", ethnicity)):
            con.register(name, frame)
        con.register("wanted", wanted)
        con.execute(_JOINED)
        con.execute(_lsoa_query())
        parts = [con.sql(_level_query(level)).df() for level in levels]
    finally:
        con.close()
    out = pd.concat(parts, ignore_index=True)
    out = out.merge(wanted, on=["indicator_id", "category_type"], how="inner")
    drop = (out["area_type"] == "lsoa21") & out["category_type"].isin(AREA_CATEGORIES)
    drop |= out["is_dsr"] & (out["category_type"] == "age_band")
    out = out.loc[~drop].drop(columns="is_dsr")
    out["category"] = out["category"].fillna("Not known")  # e.g. an LSOA with no IMD
    return out.astype({"numerator": "int64", "denominator": "int64"}).reset_index(drop=True)


def _declared(indicator: Indicator) -> list[str]:
    declared = {"all", *indicator.breakdowns}
    if "imd_decile" in declared:
        declared |= {"imd_quintile", "core20"}
    return [c for c in CATEGORY_TYPES if c in declared]


_LSOA_SETS = ("all", "ethnicity5", "ethnicity19", "sex", "age_band")
"""Breakdowns that vary within an LSOA; area breakdowns (IMD, Core20) are LSOA attributes."""

_JOINED = """
CREATE TEMP TABLE joined AS
SELECT f.indicator_id, f.period, f.lsoa21, f.numerator, f.denominator,
       CASE f.sex WHEN '1' THEN 'Male' WHEN '2' THEN 'Female' WHEN '9' THEN 'Indeterminate'
                  ELSE 'Not known' END AS sex,
       COALESCE(f.age_band, 'unknown') AS age_band,
       CASE WHEN w.is_dsr THEN COALESCE(f.age_band, 'unknown') ELSE 'all' END AS dsr_band,
       COALESCE(e.ethnicity5, 'Not stated or not known') AS ethnicity5,
       COALESCE(e.ethnicity19, 'Not stated or not known') AS ethnicity19
FROM finest f
JOIN (SELECT DISTINCT indicator_id, is_dsr FROM wanted) w USING (indicator_id)
LEFT JOIN eth e ON e.ethnicity = COALESCE(f.ethnicity, '99')
"""


def _lsoa_query() -> str:
    """Stage 1, the only pass over the fine table: per LSOA, every within-LSOA breakdown."""
    sets, labels, types = [], [], []
    for category in _LSOA_SETS:
        if category == "all":
            sets.append("(indicator_id, period, lsoa21, dsr_band)")
        elif category == "age_band":
            sets.append("(indicator_id, period, lsoa21, dsr_band, age_band)")
        else:
            sets.append(f"(indicator_id, period, lsoa21, dsr_band, {category})")
            types.append(f"WHEN GROUPING({category}) = 0 THEN '{category}'")
            labels.append(f"WHEN GROUPING({category}) = 0 THEN {category}")
    return f"""
CREATE TEMP TABLE by_lsoa AS
SELECT indicator_id, period, lsoa21,
       CASE WHEN GROUPING(age_band) = 0 THEN 'age_band' {" ".join(types)} ELSE 'all' END
           AS category_type,
       CASE WHEN GROUPING(age_band) = 0 THEN age_band {" ".join(labels)} ELSE 'All' END
           AS category,
       CASE WHEN GROUPING(age_band) = 0 THEN age_band ELSE dsr_band END AS age_band,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM joined
GROUP BY GROUPING SETS ({", ".join(sets)})
"""


def _level_query(level: str) -> str:
    """Stage 2, on the small per-LSOA table: one area level, every breakdown (IMD deciles,
    quintiles and Core20 come from the LSOA's attributes, applied to its `all` rows)."""
    area_parts = " UNION ALL ".join(
        f"""SELECT b.indicator_id, b.period, {_code(level)} AS area_code,
                   '{c}' AS category_type, {_label(c)} AS category, b.age_band,
                   b.numerator, b.denominator
            FROM by_lsoa b LEFT JOIN areas a ON a.lsoa21 = b.lsoa21
            WHERE b.category_type = 'all'"""
        for c in AREA_CATEGORIES
    )
    return f"""
SELECT indicator_id, period, '{level}' AS area_type, area_code, category_type, category,
       age_band, SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM (
    SELECT b.indicator_id, b.period, {_code(level)} AS area_code, b.category_type, b.category,
           b.age_band, b.numerator, b.denominator
    FROM by_lsoa b LEFT JOIN areas a ON a.lsoa21 = b.lsoa21
    UNION ALL {area_parts}
)
GROUP BY ALL
"""


def _code(level: str) -> str:
    if level == "england":
        return "'E92000001'"
    return "b.lsoa21" if level == "lsoa21" else f"a.{level}"


def _label(category: str) -> str:
    if category == "core20":
        return (
            "CASE WHEN a.core20 THEN 'Core20' WHEN a.core20 IS NULL THEN NULL ELSE 'Not Core20' END"
        )
    return f"CAST(a.{category} AS VARCHAR)"
