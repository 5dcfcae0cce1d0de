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
SEX_LABELS = {"1": "Male", "2": "Female", "9": "Indeterminate", "0": "Not known"}


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
        parts = [con.execute(_set_query(level)).df() for level in levels]
    finally:
        con.close()
    out = pd.concat(parts, ignore_index=True)
    out = out.merge(wanted, on=["indicator_id", "category_type"], how="inner")
    drop = (out["area_type"] == "lsoa21") & out["category_type"].isin(AREA_CATEGORIES)
    drop |= out["is_dsr"] & (out["category_type"] == "age_band")
    out = out.loc[~drop].drop(columns="is_dsr")
    out["category"] = out["category"].where(out["category_type"] != "sex", out["category"].map(
        lambda s: SEX_LABELS.get(s, s)))  # fmt: skip
    return out.astype({"numerator": "int64", "denominator": "int64"}).reset_index(drop=True)


def _declared(indicator: Indicator) -> list[str]:
    declared = {"all", *indicator.breakdowns}
    if "imd_decile" in declared:
        declared |= {"imd_quintile", "core20"}
    return [c for c in CATEGORY_TYPES if c in declared]


_JOINED = """
CREATE TEMP TABLE joined AS
SELECT f.indicator_id, f.period, f.numerator, f.denominator,
       COALESCE(f.sex, '0') AS sex,
       COALESCE(f.age_band, 'unknown') AS age_band,
       CASE WHEN w.is_dsr THEN COALESCE(f.age_band, 'unknown') ELSE 'all' END AS dsr_band,
       COALESCE(e.ethnicity5, 'Not stated or not known') AS ethnicity5,
       COALESCE(e.ethnicity19, 'Not stated or not known') AS ethnicity19,
       'E92000001' AS england, a.region24, a.icb24, a.lad24, a.msoa21, f.lsoa21,
       CAST(a.imd_decile AS VARCHAR) AS imd_decile, CAST(a.imd_quintile AS VARCHAR) AS imd_quintile,
       CASE WHEN a.core20 THEN 'Core20' WHEN a.core20 IS NULL THEN NULL ELSE 'Not Core20' END
           AS core20
FROM finest f
JOIN (SELECT DISTINCT indicator_id, is_dsr FROM wanted) w USING (indicator_id)
LEFT JOIN areas a ON a.lsoa21 = f.lsoa21
LEFT JOIN eth e ON e.ethnicity = COALESCE(f.ethnicity, '99')
"""


def _set_query(level: str) -> str:
    sets = []
    selects = []
    for category in CATEGORY_TYPES:
        extra = "" if category == "all" else f", {category}"
        band = "age_band" if category == "age_band" else "dsr_band"
        if category == "age_band":
            sets.append(f"(indicator_id, period, {level}, age_band, dsr_band)")
        else:
            sets.append(f"(indicator_id, period, {level}, {band}{extra})")
        selects.append(category)
    categories = [c for c in CATEGORY_TYPES if c != "all"]
    # GROUPING(col) is 1 when the column is rolled up in that set: it identifies the set even
    # when a grouped value is itself NULL (an LSOA with no IMD, say).
    case = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in categories if c != "age_band")
    label = " ".join(
        f"WHEN GROUPING({c}) = 0 THEN CAST({c} AS VARCHAR)" for c in categories if c != "age_band"
    )
    return f"""
SELECT indicator_id, period, '{level}' AS area_type, {level} AS area_code,
       CASE WHEN GROUPING(age_band) = 0 THEN 'age_band' {case} ELSE 'all' END AS category_type,
       CASE WHEN GROUPING(age_band) = 0 THEN age_band {label} ELSE 'All' END AS category,
       CASE WHEN GROUPING(age_band) = 0 THEN age_band ELSE dsr_band END AS age_band,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM joined
GROUP BY GROUPING SETS ({", ".join(sets)})
"""
