"""Every breakdown at every area level from the fine table, in one DuckDB pass over it.

The fine table (indicator × period × lsoa21 × ethnicity code × sex × age band, from any backend)
is aggregate data, so the roll-up runs in DuckDB whatever engine made it. At England scale the
fine table has about as many rows as there are people (62 million for 56.5 million), so it is
read exactly once:

1. **Per LSOA, one pass** (`Rollup(...)`): a `GROUPING SETS` aggregation by indicator, period,
   LSOA and (for a DSR) age band, plus the ethnicity *code*, the sex code or the age band. Keys
   are short codes (an integer per indicator; codes, not labels), so hashing stays cheap.
2. **Labels, on the per-LSOA table** (`Rollup.counts`): ethnicity codes become Census 2021
   groups (19 and 5) and sex codes words, summed per LSOA; then one `GROUPING SETS` pass gives
   every wider area level (MSOA, LAD, ICB, region, England) and another gives the IMD decile,
   quintile and Core20 breakdowns (LSOA attributes, applied to each LSOA's totals).

DSR indicators keep their age bands in every set (a DSR needs the age-specific counts); other
indicators carry the band "all" unless the breakdown is the age band itself. With the DuckDB
engine (`Rollup.from_engine`) the fine rows stay in the engine's connection (a temporary table
that spills to disk under its memory limit) and never reach Python. The plain-pandas
`healthgap.indicators.rollup` is what the tests compare this with
(tests/indicators/test_run_pipeline.py, test_aggregate.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

import duckdb
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from healthgap.indicators.backends import _duckdb_deprecations, execute
from healthgap.indicators.definitions import Indicator
from healthgap.population.ethnicity import ethnic_groups

__all__ = ["AREA_CATEGORIES", "CATEGORY_TYPES", "LEVELS", "Rollup", "aggregate"]

NOT_KNOWN = "Not stated or not known"
LEVELS = ("england", "region24", "icb24", "lad24", "msoa21", "lsoa21")
"""Area levels, widest first; `england` is the code E92000001 for every LSOA."""
CATEGORY_TYPES = (
    "all", "imd_decile", "imd_quintile", "core20", "ethnicity5", "ethnicity19", "sex", "age_band",
)  # fmt: skip
AREA_CATEGORIES = ("imd_decile", "imd_quintile", "core20")
"""Breakdowns that are constant within an LSOA (left out at LSOA level)."""
SEXES = {"1": "Male", "2": "Female", "9": "Indeterminate", "0": "Not known"}
"""Sex codes (any other code, or none, is "0") and their labels."""
_WITHIN = {"ethnicity5": "ethnicity", "ethnicity19": "ethnicity", "sex": "sex"}
"""Breakdowns that vary within an LSOA -> the fine-table column step 1 groups them by."""

Fine = pd.DataFrame | pa.Table | pa.RecordBatchReader


def aggregate(
    finest: Fine,
    indicators: Mapping[str, Indicator],
    areas: pd.DataFrame,
    *,
    levels: Sequence[str] = LEVELS,
) -> pd.DataFrame:
    """Sum numerators and denominators for every level × breakdown (see `Rollup.counts`).

    `finest` is the fine table as a frame, Arrow table or Arrow stream (read once).
    """
    with Rollup(finest, indicators, areas) as rollup:
        return rollup.counts(levels)


class Rollup:
    """Step 1 (the one pass over the fine table) on construction; `counts()` does step 2.

    `finest` is a frame, Arrow table or Arrow stream; or, with `con` (a DuckDB connection), the
    name of a table or view of that connection. `areas` has one row per LSOA: `lsoa21` plus the
    level columns (`msoa21`, `lad24`, `icb24`, `region24`) and `imd_decile`, `imd_quintile`,
    `core20` (bool). After construction `fine_rows` is the number of fine rows read and
    `lsoas` the LSOA codes present.
    """

    def __init__(
        self,
        finest: Fine | str,
        indicators: Mapping[str, Indicator],
        areas: pd.DataFrame,
        *,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        self._owned = con is None
        self._con = duckdb.connect() if con is None else con
        self._tag = f"hg_rollup_{uuid.uuid4().hex[:8]}"
        self._registered: list[str] = []
        self._created: list[tuple[str, str]] = []
        self.indicators = indicators
        ids = list(indicators)
        self._register("ind", pd.DataFrame({
            "indicator_id": ids, "ind": range(len(ids)),
            "is_dsr": [indicators[i].method == "dsr" for i in ids],
        }))  # fmt: skip
        self._register("areas", areas)
        source = finest if isinstance(finest, str) else self._register("finest", finest)
        declared = {c for i in indicators.values() for c in _declared(i)}
        self._table("by_lsoa", _lsoa_query(source, self._name("ind"), declared))
        self.fine_rows, self.lsoas = self._summary()

    @classmethod
    def from_engine(
        cls,
        con: Any,
        expr: ir.Table,
        indicators: Mapping[str, Indicator],
        areas: pd.DataFrame,
    ) -> Rollup:
        """Step 1 on the fine table `expr` of an Ibis connection: on DuckDB, in the same
        connection as a view (the engine's rows stream into the pass); elsewhere fetched
        through Arrow (`backends.execute`)."""
        if con.name == "duckdb":
            # A temporary table, not a view: streamed straight into step 1, the engine's last
            # aggregation and step 1's would hold their hash tables at once; stored, the rows
            # spill to disk under the memory limit instead, and are dropped after step 1.
            name = f"hg_fine_{uuid.uuid4().hex[:8]}"
            with _duckdb_deprecations():
                con.create_table(name, expr, temp=True)
            try:
                return cls(name, indicators, areas, con=con.con)
            finally:
                con.con.execute(f'DROP TABLE IF EXISTS "{name}"')
        return cls(execute(con, expr), indicators, areas)

    def counts(
        self, levels: Sequence[str] = LEVELS, *, keep: Mapping[str, Iterable[str]] | None = None
    ) -> pd.DataFrame:
        """Columns indicator_id, period, area_type, area_code, category_type, category,
        age_band, numerator, denominator (int64) for each of `levels`; with `keep`, only the
        area codes it lists for each level. Breakdowns an indicator does not declare are left
        out (imd_quintile and core20 follow imd_decile); so are the area breakdowns at LSOA
        level and a DSR's age-band breakdown (its bands are in every row already)."""
        self._register("wanted", self._wanted())
        self._register("labels", self._labels())
        self._table("lsoa_cats", _LSOA_CATS.format(**self._all_names()))
        parts = []
        if "lsoa21" in levels:
            parts.append(_AS_LSOA.format(**self._all_names()))
        wider = [level for level in levels if level != "lsoa21"]
        if wider:
            parts.append(_wider_query(wider, self._all_names()))
            parts.append(_area_category_query(wider, self._all_names()))
        if not parts:
            return pd.DataFrame(columns=["indicator_id", *_OUT[1:], "numerator", "denominator"])
        query = " UNION ALL ".join(f"({part})" for part in parts)
        names = self._all_names()
        if keep is not None:
            rows = [(level, code) for level, codes in keep.items() for code in codes]
            self._register("keep", pd.DataFrame(rows, columns=["area_type", "area_code"]))
            query = f"SELECT c.* FROM ({query}) c JOIN {names['keep']} USING (area_type, area_code)"
        # Through Arrow: text columns arrive as Arrow-backed strings, not Python objects.
        return (
            self._con.sql(
                f"SELECT i.indicator_id, {', '.join(_OUT[1:])},"
                f" CAST(numerator AS BIGINT) AS numerator,"
                f" CAST(denominator AS BIGINT) AS denominator"
                f" FROM ({query}) JOIN {names['ind']} i USING (ind)"
            )
            .to_arrow_table()
            .to_pandas()
        )

    def close(self) -> None:
        """Drop what this roll-up created (and the connection, if it made it)."""
        if self._owned:
            self._con.close()
            return
        for kind, name in reversed(self._created):
            self._con.execute(f'DROP {kind} IF EXISTS "{name}"')
        for name in self._registered:
            self._con.unregister(name)

    def __enter__(self) -> Rollup:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _name(self, short: str) -> str:
        return f"{self._tag}_{short}"

    def _all_names(self) -> dict[str, str]:
        return {short: self._name(short) for short in (
            "ind", "areas", "by_lsoa", "wanted", "labels", "lsoa_cats", "keep",
        )}  # fmt: skip

    def _register(self, short: str, data: Fine) -> str:
        name = self._name(short)
        self._con.register(name, data)
        self._registered.append(name)
        return name

    def _table(self, short: str, select: str) -> None:
        name = self._name(short)
        self._con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {select}')
        self._created.append(("TABLE", name))

    def _summary(self) -> tuple[int, list[str]]:
        by_lsoa = self._name("by_lsoa")
        rows = self._con.execute(
            f"SELECT COALESCE(SUM(fine_rows), 0) FROM {by_lsoa} WHERE kind = 'all'"
        ).fetchone()
        lsoas = self._con.execute(
            f"SELECT DISTINCT lsoa21 FROM {by_lsoa} WHERE lsoa21 IS NOT NULL ORDER BY 1"
        ).fetchall()
        return int(rows[0]) if rows else 0, [row[0] for row in lsoas]

    def _wanted(self) -> pd.DataFrame:
        """(ind, category_type) for every declared breakdown (a DSR's age band aside)."""
        rows = [
            (ind, category)
            for ind, indicator in enumerate(self.indicators.values())
            for category in _declared(indicator)
            if not (indicator.method == "dsr" and category == "age_band")
        ]
        return pd.DataFrame(rows, columns=["ind", "category_type"])

    def _labels(self) -> pd.DataFrame:
        """(kind, value) of step 1 -> (category_type, category)."""
        values = self._con.execute(
            f"SELECT DISTINCT kind, value FROM {self._name('by_lsoa')} WHERE kind <> 'all'"
        ).df()
        rows = [("all", "", "all", "All")]
        codes = values.loc[values["kind"] == "ethnicity", "value"].reset_index(drop=True)
        groups = ethnic_groups(codes)
        for column, source in (("ethnicity5", "census_2021_high_level"),
                               ("ethnicity19", "census_2021_group")):  # fmt: skip
            labels = groups[source].astype("object").where(groups[source].notna(), NOT_KNOWN)
            rows += [("ethnicity", c, column, g) for c, g in zip(codes, labels, strict=True)]
        rows += [("sex", code, "sex", label) for code, label in SEXES.items()]
        bands = values.loc[values["kind"] == "age_band", "value"]
        rows += [("age_band", band, "age_band", band) for band in bands]
        return pd.DataFrame(rows, columns=["kind", "value", "category_type", "category"])


def _declared(indicator: Indicator) -> list[str]:
    declared = {"all", *indicator.breakdowns}
    if "imd_decile" in declared:
        declared |= {"imd_quintile", "core20"}
    return [c for c in CATEGORY_TYPES if c in declared]


_OUT = ["ind", "period", "area_type", "area_code", "category_type", "category", "age_band"]


def _lsoa_query(source: str, ind: str, declared: set[str]) -> str:
    """Step 1: per LSOA (and DSR age band), totals and each within-LSOA column that some
    indicator's breakdowns need. `fine_rows` counts the fine rows summed."""
    columns = sorted({_WITHIN[c] for c in declared if c in _WITHIN} | (
        {"age_band"} if "age_band" in declared else set()
    ))  # fmt: skip
    base = "ind, period, lsoa21, dsr_band"
    sets = [f"({base})", *(f"({base}, {c})" for c in columns)]
    kind = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in columns)
    kind = f"CASE {kind} ELSE 'all' END" if columns else "'all'"
    value = f"COALESCE({', '.join(columns)}, '')" if columns else "''"
    return f"""
SELECT {base}, {kind} AS kind, {value} AS value,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator, COUNT(*) AS fine_rows
FROM (
    SELECT i.ind, f.period, f.lsoa21, f.numerator, f.denominator,
           COALESCE(f.ethnicity, '99') AS ethnicity,
           CASE WHEN f.sex IN ('1', '2', '9') THEN f.sex ELSE '0' END AS sex,
           COALESCE(f.age_band, 'unknown') AS age_band,
           CASE WHEN i.is_dsr THEN COALESCE(f.age_band, 'unknown') ELSE 'all' END AS dsr_band
    FROM {source} f JOIN {ind} i ON i.indicator_id = f.indicator_id
)
GROUP BY GROUPING SETS ({", ".join(sets)})
"""


_LSOA_CATS = """
SELECT b.ind, b.period, b.lsoa21, l.category_type, l.category,
       CASE WHEN b.kind = 'age_band' THEN b.value ELSE b.dsr_band END AS age_band,
       SUM(b.numerator) AS numerator, SUM(b.denominator) AS denominator
FROM {by_lsoa} b
JOIN {labels} l ON l.kind = b.kind AND l.value = b.value
JOIN {wanted} w ON w.ind = b.ind AND w.category_type = l.category_type
GROUP BY ALL
"""
"""Step 2a: per LSOA, every declared within-LSOA breakdown with its labels."""

_AS_LSOA = """
SELECT ind, period, 'lsoa21' AS area_type, lsoa21 AS area_code, category_type, category,
       age_band, numerator, denominator
FROM {lsoa_cats}
"""


def _wider_query(levels: Sequence[str], names: Mapping[str, str]) -> str:
    """Step 2b: every wider level in one GROUPING SETS pass over the per-LSOA table."""
    keys = "ind, period, category_type, category, age_band"
    sets = ", ".join(f"({keys}, {level})" for level in levels)
    area_type = " ".join(f"WHEN GROUPING({level}) = 0 THEN '{level}'" for level in levels)
    area_code = f"COALESCE({', '.join(levels)})" if len(levels) > 1 else levels[0]
    return f"""
SELECT ind, period, CASE {area_type} END AS area_type, {area_code} AS area_code,
       category_type, category, age_band,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM (SELECT c.*, {_level_columns(levels)} FROM {names["lsoa_cats"]} c
      LEFT JOIN {names["areas"]} a ON a.lsoa21 = c.lsoa21)
GROUP BY GROUPING SETS ({sets})
"""


def _area_category_query(levels: Sequence[str], names: Mapping[str, str]) -> str:
    """Step 2c: IMD decile, quintile and Core20 (LSOA attributes) at every wider level, from
    each LSOA's totals, for the indicators that declare them."""
    keys = "ind, period, age_band"
    sets = ", ".join(
        f"({keys}, {level}, {category})" for level in levels for category in AREA_CATEGORIES
    )
    area_type = " ".join(f"WHEN GROUPING({level}) = 0 THEN '{level}'" for level in levels)
    area_code = f"COALESCE({', '.join(levels)})" if len(levels) > 1 else levels[0]
    category_type = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in AREA_CATEGORIES)
    category = " ".join(f"WHEN GROUPING({c}) = 0 THEN {c}" for c in AREA_CATEGORIES)
    return f"""
SELECT ind, period, CASE {area_type} END AS area_type, {area_code} AS area_code,
       CASE {category_type} END AS category_type, CASE {category} END AS category, age_band,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM (
    SELECT c.*, {_level_columns(levels)}, CAST(a.imd_decile AS VARCHAR) AS imd_decile,
           CAST(a.imd_quintile AS VARCHAR) AS imd_quintile,
           CASE WHEN a.core20 THEN 'Core20' WHEN a.core20 IS NULL THEN NULL
                ELSE 'Not Core20' END AS core20
    FROM {names["lsoa_cats"]} c
    LEFT JOIN {names["areas"]} a ON a.lsoa21 = c.lsoa21
    WHERE c.category_type = 'all'
      AND c.ind IN (SELECT ind FROM {names["wanted"]} WHERE category_type = 'imd_decile')
)
GROUP BY GROUPING SETS ({sets})
"""


def _level_columns(levels: Sequence[str]) -> str:
    return ", ".join(
        "'E92000001' AS england" if level == "england" else f"a.{level} AS {level}"
        for level in levels
    )
