"""Every breakdown at every area level from the fine table, in DuckDB.

The fine table (indicator × period × lsoa21 × ethnicity code × sex × age band, from any backend)
is aggregate data, so the roll-up runs in DuckDB whatever engine made it. At England scale it
has about as many rows as there are people (62 million for 56.5 million), so the work is
arranged around a few cheap scans of it and small hash tables:

1. **Per LSOA** (`Rollup(...)`): three aggregations over the fine table, each keyed by an
   integer per indicator, period and age band (`_keys`) plus the LSOA and one of: the
   ethnicity *code*, the sex code, or nothing (the age band is in the key). Short keys keep
   hashing cheap; separate scans beat DuckDB's `GROUPING SETS`, which first copies its whole
   input.
2. **Labels, on the per-LSOA table** (`Rollup.counts`): ethnicity codes become Census 2021
   groups (19 and 5), sex codes words, and the totals are the sum over sex; then each wider
   area level (MSOA, LAD, ICB, region, England) is one aggregation of that table, and the IMD
   decile, quintile and Core20 breakdowns (LSOA attributes) come from each LSOA's totals.

DSR indicators keep their age bands in every breakdown (a DSR needs the age-specific counts);
other indicators carry the band "all" unless the breakdown is the age band itself. With the
DuckDB engine (`Rollup.from_engine`) the fine rows never reach Python: the engine writes them to
a temporary Parquet file (a few hundred MB for England, scanned in about a second). The
plain-pandas `healthgap.indicators.rollup` is what the tests compare this with
(tests/indicators/test_run_pipeline.py, test_aggregate.py).
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from healthgap.indicators.backends import duckdb_deprecations, duckdb_memory_limit, execute
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.plan import plan
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
BATCH_ROWS = 1_000_000
"""Rows per Arrow batch when `Rollup.counts` returns categoricals."""
NO_BAND = "unknown"
"""Age band of cohort members in none of the indicator's bands."""

Fine = pd.DataFrame | pa.Table


def aggregate(
    finest: Fine,
    indicators: Mapping[str, Indicator],
    areas: pd.DataFrame,
    *,
    levels: Sequence[str] = LEVELS,
) -> pd.DataFrame:
    """Sum numerators and denominators for every level × breakdown (see `Rollup.counts`);
    `finest` is the fine table as a frame or Arrow table."""
    with Rollup(finest, indicators, areas) as rollup:
        return rollup.counts(levels)


class Rollup:
    """Step 1 (the per-LSOA pass over the fine table) on construction; `counts()` does step 2.

    `finest` is a frame or Arrow table; or, with `con` (a DuckDB connection), the name of a
    table, view or file that connection can read. `areas` has one row per LSOA: `lsoa21`
    plus the level columns (`msoa21`, `lad24`, `icb24`, `region24`) and `imd_decile`,
    `imd_quintile`, `core20` (bool). After construction `fine_rows` is the number of fine rows
    read (a fine group that the engine made in more than one part counts once per part) and
    `lsoas` the LSOA codes present. Rows of an indicator, period or age band not in
    `indicators` are not counted.
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
        if con is None:
            con = duckdb.connect()
            con.execute(f"SET memory_limit = '{duckdb_memory_limit()}'")
        self._con = con
        self._tag = f"hg_rollup_{uuid.uuid4().hex[:8]}"
        self._registered: list[str] = []
        self._tables: list[str] = []
        self.indicators = indicators
        self._register("keys", _keys(indicators))
        self._register("areas", areas)
        source = finest if isinstance(finest, str) else self._register("finest", finest)
        self._table("by_lsoa", _lsoa_query(source, self._name("keys")))
        self.fine_rows, self.lsoas = self._summary()

    @classmethod
    def from_engine(
        cls,
        con: Any,
        expr: ir.Table | Sequence[ir.Table],
        indicators: Mapping[str, Indicator],
        areas: pd.DataFrame,
        *,
        on_part: Callable[[int, int], None] | None = None,
    ) -> Rollup:
        """Step 1 on the fine table `expr` of an Ibis connection, or on several fine tables
        whose rows add up to it (the engine run on disjoint sets of people, one at a time, to
        bound its memory: `run.person_part`). On DuckDB the engine writes each to a temporary
        Parquet file, streamed, and step 1 reads them all in the same connection (stored as a
        table it would spill to disk uncompressed, and scanning it would cost more); other
        engines' rows are fetched through Arrow (`backends.execute`). `on_part(done, parts)`
        is called after each part."""
        parts = [expr] if isinstance(expr, ir.Table) else list(expr)
        if con.name != "duckdb":
            frames = []
            for number, part in enumerate(parts, start=1):
                frames.append(execute(con, part))
                if on_part is not None:
                    on_part(number, len(parts))
            fine = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
            return cls(fine, indicators, areas)
        with tempfile.TemporaryDirectory(prefix="healthgap-fine-") as folder:
            paths = []
            for number, part in enumerate(parts, start=1):
                paths.append(Path(folder) / f"fine-{number}.parquet")
                with duckdb_deprecations():
                    con.to_parquet(part, paths[-1])
                if on_part is not None:
                    on_part(number, len(parts))
            files = ", ".join(f"'{path}'" for path in paths)
            return cls(f"read_parquet([{files}])", indicators, areas, con=con.con)

    def counts(
        self,
        levels: Sequence[str] = LEVELS,
        *,
        keep: Mapping[str, Iterable[str]] | None = None,
        categorical: bool = False,
    ) -> pd.DataFrame:
        """Columns indicator_id, period, area_type, area_code, category_type, category,
        age_band, numerator, denominator (int64) for each of `levels`; with `keep`, only the
        area codes it lists for each level. Breakdowns an indicator does not declare are left
        out (imd_quintile and core20 follow imd_decile); so are the area breakdowns at LSOA
        level and a DSR's age-band breakdown (its bands are in every row already).

        With `categorical`, the text columns are pandas categoricals (integer codes into one
        copy of each distinct value): DuckDB's rows are fetched in Arrow batches of
        `BATCH_ROWS`, each dictionary-encoded as it arrives, so England's 28 million counts
        take about 0.5 GB instead of several GB of strings."""
        self._register("wanted", self._wanted())
        self._register("labels", self._labels())
        names = self._names()
        self._table("lsoa_cats", _LSOA_CATS.format(**names))
        parts = [_level_query(level, names) for level in levels]
        wider = [level for level in levels if level != "lsoa21"]
        if wider:
            parts.append(_area_category_query(wider, names))
        if not parts:
            return pd.DataFrame(columns=["indicator_id", *_OUT[1:], "numerator", "denominator"])
        query = " UNION ALL ".join(f"({part})" for part in parts)
        if keep is not None:
            rows = [(level, code) for level, codes in keep.items() for code in codes]
            self._register("keep", pd.DataFrame(rows, columns=["area_type", "area_code"]))
            query = f"SELECT c.* FROM ({query}) c JOIN {names['keep']} USING (area_type, area_code)"
        columns = ", ".join(_OUT[1:])
        relation = self._con.sql(
            f"SELECT i.indicator_id, {columns}, CAST(numerator AS BIGINT) AS numerator,"
            f" CAST(denominator AS BIGINT) AS denominator"
            f" FROM ({query}) JOIN (SELECT DISTINCT ind, indicator_id FROM {names['keys']}) i"
            f" USING (ind)"
        )
        # Through Arrow: text columns arrive as Arrow-backed strings, not Python objects.
        if not categorical:
            return relation.to_arrow_table().to_pandas(split_blocks=True, self_destruct=True)
        reader = relation.to_arrow_reader(BATCH_ROWS)
        schema = pa.schema(
            pa.field(f.name, pa.dictionary(pa.int32(), f.type) if _is_text(f.type) else f.type)
            for f in reader.schema
        )
        table = pa.Table.from_batches([_dictionary_encoded(b) for b in reader], schema=schema)
        return table.unify_dictionaries().to_pandas(split_blocks=True, self_destruct=True)

    def close(self) -> None:
        """Drop what this roll-up created (and the connection, if it made it)."""
        if self._owned:
            self._con.close()
            return
        for name in self._tables:
            self._con.execute(f'DROP TABLE IF EXISTS "{name}"')
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

    def _names(self) -> dict[str, str]:
        shorts = ("keys", "areas", "by_lsoa", "wanted", "labels", "lsoa_cats", "keep")
        return {short: self._name(short) for short in shorts}

    def _register(self, short: str, data: Fine) -> str:
        name = self._name(short)
        self._con.register(name, data)
        self._registered.append(name)
        return name

    def _table(self, short: str, select: str) -> None:
        name = self._name(short)
        self._con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {select}')
        self._tables.append(name)

    def _summary(self) -> tuple[int, list[str]]:
        by_lsoa = self._name("by_lsoa")
        rows = self._con.execute(
            f"SELECT COALESCE(SUM(fine_rows), 0) FROM {by_lsoa} WHERE kind = 'sex'"
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
        """(kind, value) of step 1 -> (category_type, category); an age band's label comes
        from its key. The totals are the sex rows summed."""
        by_lsoa = self._name("by_lsoa")
        codes = self._con.execute(
            f"SELECT DISTINCT value FROM {by_lsoa} WHERE kind = 'ethnicity' ORDER BY 1"
        ).fetchall()
        codes = pd.Series([row[0] for row in codes], dtype="str")
        groups = ethnic_groups(codes)
        rows = [("age_band", "", "age_band", None)]
        for column, source in (("ethnicity5", "census_2021_high_level"),
                               ("ethnicity19", "census_2021_group")):  # fmt: skip
            labels = groups[source].astype("object").where(groups[source].notna(), NOT_KNOWN)
            rows += [("ethnicity", c, column, g) for c, g in zip(codes, labels, strict=True)]
        rows += [("sex", code, "sex", label) for code, label in SEXES.items()]
        rows += [("sex", code, "all", "All") for code in SEXES]
        return pd.DataFrame(rows, columns=["kind", "value", "category_type", "category"])


def _dictionary_encoded(batch: pa.RecordBatch) -> pa.RecordBatch:
    """`batch` with its text columns dictionary-encoded (to_pandas makes them categoricals)."""
    columns = [
        pc.dictionary_encode(column) if _is_text(column.type) else column
        for column in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _declared(indicator: Indicator) -> list[str]:
    declared = {"all", *indicator.breakdowns}
    if "imd_decile" in declared:
        declared |= {"imd_quintile", "core20"}
    return [c for c in CATEGORY_TYPES if c in declared]


def _keys(indicators: Mapping[str, Indicator]) -> pd.DataFrame:
    """One integer `key` per indicator, period and age band (`NO_BAND` for cohort members in
    no band), with the indicator's number `ind`, and `dsr_key`/`dsr_band`: the key and band
    its non-age breakdowns keep (the band's own for a DSR; else the period's, "all")."""
    number = {ident: i for i, ident in enumerate(indicators)}
    rows = []
    for slot in plan(indicators):
        is_dsr = slot.indicator.method == "dsr"
        first = len(rows)
        for band in [NO_BAND, *(b.label for b in slot.age_bands)]:
            key = len(rows)
            rows.append((
                key, number[slot.indicator.id], slot.indicator.id, slot.period.label, band,
                key if is_dsr else first, band if is_dsr else "all",
            ))  # fmt: skip
    columns = ["key", "ind", "indicator_id", "period", "age_band", "dsr_key", "dsr_band"]
    return pd.DataFrame(rows, columns=columns)


_OUT = ["ind", "period", "area_type", "area_code", "category_type", "category", "age_band"]


def _lsoa_query(source: str, keys: str, *, integer: str | None = None) -> str:
    """Step 1: per LSOA, numerator and denominator by ethnicity code, by sex code and by age
    band (each with the indicator, period and DSR band in `key`); `fine_rows` counts rows.
    `integer`: a type to cast the sums to (Spark: BIGINT; DuckDB keeps its own sum type)."""
    coded = f"""
        SELECT k.key, k.dsr_key, f.lsoa21, f.numerator, f.denominator,
               COALESCE(f.ethnicity, '99') AS ethnicity,
               CASE WHEN f.sex IN ('1', '2', '9') THEN f.sex ELSE '0' END AS sex
        FROM {source} f JOIN {keys} k ON k.indicator_id = f.indicator_id
            AND k.period = f.period AND k.age_band = COALESCE(f.age_band, '{NO_BAND}')"""
    total = (lambda c: f"CAST(SUM({c}) AS {integer})") if integer else (lambda c: f"SUM({c})")
    sums = f"{total('numerator')} AS numerator, {total('denominator')} AS denominator"
    sums += ", COUNT(*) AS fine_rows"
    return " UNION ALL ".join([
        f"SELECT dsr_key AS key, lsoa21, 'ethnicity' AS kind, ethnicity AS value, {sums}"
        f" FROM ({coded}) GROUP BY dsr_key, lsoa21, ethnicity",
        f"SELECT dsr_key AS key, lsoa21, 'sex' AS kind, sex AS value, {sums}"
        f" FROM ({coded}) GROUP BY dsr_key, lsoa21, sex",
        f"SELECT key, lsoa21, 'age_band' AS kind, '' AS value, {sums}"
        f" FROM ({coded}) GROUP BY key, lsoa21",
    ])  # fmt: skip


_LSOA_CATS = """
SELECT k.ind, k.period, b.lsoa21, l.category_type,
       CASE WHEN b.kind = 'age_band' THEN k.age_band ELSE l.category END AS category,
       CASE WHEN b.kind = 'age_band' THEN k.age_band ELSE k.dsr_band END AS age_band,
       SUM(b.numerator) AS numerator, SUM(b.denominator) AS denominator
FROM {by_lsoa} b
JOIN {keys} k ON k.key = b.key
JOIN {labels} l ON l.kind = b.kind AND l.value = b.value
JOIN {wanted} w ON w.ind = k.ind AND w.category_type = l.category_type
GROUP BY ALL
"""
"""Step 2a: per LSOA, every declared within-LSOA breakdown with its labels."""


def _level_query(level: str, names: Mapping[str, str]) -> str:
    """Step 2b: one area level, every within-LSOA breakdown, from the per-LSOA table."""
    if level == "lsoa21":
        return f"""SELECT ind, period, 'lsoa21' AS area_type, lsoa21 AS area_code, category_type,
                          category, age_band, numerator, denominator FROM {names["lsoa_cats"]}"""
    return f"""
SELECT c.ind, c.period, '{level}' AS area_type, {_code(level)} AS area_code, c.category_type,
       c.category, c.age_band, SUM(c.numerator) AS numerator, SUM(c.denominator) AS denominator
FROM {names["lsoa_cats"]} c LEFT JOIN {names["areas"]} a ON a.lsoa21 = c.lsoa21
GROUP BY ALL
"""


def _area_category_query(
    levels: Sequence[str], names: Mapping[str, str], *, text: str = "VARCHAR"
) -> str:
    """Step 2c: IMD decile, quintile and Core20 (LSOA attributes) at every wider level, from
    each LSOA's totals, for the indicators that declare them (a small input, so one
    GROUPING SETS pass). `text`: the SQL name of the string type (Spark SQL: STRING)."""
    keys = "ind, period, age_band"
    sets = ", ".join(
        f"({keys}, {level}, {category})" for level in levels for category in AREA_CATEGORIES
    )
    area_type = " ".join(f"WHEN GROUPING({level}) = 0 THEN '{level}'" for level in levels)
    area_code = f"COALESCE({', '.join(levels)})" if len(levels) > 1 else levels[0]
    category_type = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in AREA_CATEGORIES)
    category = " ".join(f"WHEN GROUPING({c}) = 0 THEN {c}" for c in AREA_CATEGORIES)
    codes = ", ".join(f"{_code(level)} AS {level}" for level in levels)
    return f"""
SELECT ind, period, CASE {area_type} END AS area_type, {area_code} AS area_code,
       CASE {category_type} END AS category_type, CASE {category} END AS category, age_band,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM (
    SELECT c.*, {codes}, CAST(a.imd_decile AS {text}) AS imd_decile,
           CAST(a.imd_quintile AS {text}) AS imd_quintile,
           CASE WHEN a.core20 THEN 'Core20' WHEN a.core20 IS NULL THEN NULL
                ELSE 'Not Core20' END AS core20
    FROM {names["lsoa_cats"]} c
    LEFT JOIN {names["areas"]} a ON a.lsoa21 = c.lsoa21
    WHERE c.category_type = 'all'
      AND c.ind IN (SELECT ind FROM {names["wanted"]} WHERE category_type = 'imd_decile')
)
GROUP BY GROUPING SETS ({sets})
"""


def _code(level: str) -> str:
    """The area code of `level` for a row `c` of the per-LSOA table joined to areas `a`."""
    if level == "england":
        return "'E92000001'"
    return "c.lsoa21" if level == "lsoa21" else f"a.{level}"
