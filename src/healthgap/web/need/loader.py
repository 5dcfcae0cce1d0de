"""Read a published results store and the ICB's geography, ready for `actions.load_results`.

`stage(root, icb=...)` reads the live version of a results store (docs/results.md) with
`healthgap.indicators.store.open_results`, keeps the rows for the areas of one ICB (its LSOAs,
MSOAs, local authorities, sub-ICB locations, the ICB, its region and England), and builds the
area hierarchy, IMD 2025 and boundaries from `healthgap.geography` (MSOA IMD, best-fit parents
and Core20 shares: `healthgap.geography.neighbourhoods`): small tables as unsaved
model instances, the large ones (results, inequalities, priorities) as frames with the models'
column names. Nothing is written here: `actions.load_results` saves a staged load in one
transaction. Only aggregate tables are read;
the web app never sees person-level data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from healthgap.errors import DataSourceError
from healthgap.geography import DataConfig, area_table, boundaries, lsoas_in
from healthgap.geography.neighbourhoods import best_fit_parent, core20_share, is_core20, msoa_imd
from healthgap.indicators import load_catalogue
from healthgap.indicators.store import Results, open_results
from healthgap.reports.published import public_results
from healthgap.web.need.models import Area, AreaType, Boundary, Indicator
from healthgap.web.need.models.area import ENGLAND_CODE
from healthgap.web.need.ranking import priority_frame

RESULT_COLUMNS = (
    "indicator_id", "indicator_name", "period", "area_type", "area_code", "category_type",
    "category", "numerator", "denominator", "value", "lowercl", "uppercl", "method",
    "reason", "multiplier", "polarity",
)  # fmt: skip
INEQUALITY_COLUMNS = (
    "indicator_id", "period", "area_code", "dimension", "measure", "value", "se", "lowercl",
    "uppercl", "method", "reason",
)  # fmt: skip
PRIORITY_COLUMNS = (
    "rank", "indicator_id", "period", "area_code", "category_type", "category", "numerator",
    "denominator", "value", "lowercl", "uppercl", "headroom", "core20", "plus_group",
)  # fmt: skip
_COUNTS_AND_LIMITS = dict.fromkeys(
    ("numerator", "denominator", "value", "lowercl", "uppercl"), "float"
)
RESULT_FIELDS = {
    "indicator_id": "text", "period": "text", "area_id": "text", "category_type": "text",
    "category": "text", **_COUNTS_AND_LIMITS, "lower99_8cl": "float", "upper99_8cl": "float",
    "method": "text", "reason": "text", "public_numerator": "float",
    "public_denominator": "float", "public_value": "float", "public_lowercl": "float",
    "public_uppercl": "float", "suppressed": "bool",
}  # fmt: skip
PUBLIC_COLUMNS = ("numerator", "denominator", "value", "lowercl", "uppercl")
INEQUALITY_FIELDS = {
    "indicator_id": "text", "period": "text", "area_id": "text", "dimension": "text",
    "measure": "text", "value": "float", "se": "float", "lowercl": "float", "uppercl": "float",
    "method": "text", "reason": "text",
}  # fmt: skip
PRIORITY_FIELDS = {
    "rank": "int", "indicator_id": "text", "period": "text", "area_id": "text",
    "category_type": "text", "category": "text", **_COUNTS_AND_LIMITS, "smoothed_value": "float",
    "smoothed_lowercl": "float", "smoothed_uppercl": "float", "benchmark_value": "float",
    "benchmark_source": "text", "headroom": "float", "headroom_lowercl": "float",
    "headroom_uppercl": "float", "core20": "bool", "plus_group": "bool", "core20plus5": "text",
    "explanation": "text", "group_rank": "int", "lead": "bool", "group": "text", "unit": "text",
    "share": "float", "published": "bool", "public_rank": "optional_int",
    "public_group_rank": "optional_int", "public_lead": "bool",
}  # fmt: skip


def _empty(fields: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: [] for name in fields})


@dataclass
class StagedLoad:
    """Everything one load writes: the small tables as unsaved model instances (areas parents
    first), the large ones as frames whose columns are the model's fields (`*_FIELDS`)."""

    results_store: Results
    icb: str
    indicators: list[Indicator] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    results: pd.DataFrame = field(default_factory=lambda: _empty(RESULT_FIELDS))
    inequalities: pd.DataFrame = field(default_factory=lambda: _empty(INEQUALITY_FIELDS))
    priorities: pd.DataFrame = field(default_factory=lambda: _empty(PRIORITY_FIELDS))
    dropped_rows: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "indicators": len(self.indicators),
            "areas": len(self.areas),
            "boundaries": len(self.boundaries),
            "results": len(self.results),
            "inequalities": len(self.inequalities),
            "priorities": len(self.priorities),
            "rows_outside_icb": self.dropped_rows,
        }


def stage(
    root: str | Path, *, icb: str | None = None, config: DataConfig | None = None
) -> StagedLoad:
    """Read the live version of the store at `root` for one ICB (GSS or ODS code).

    Without `icb`, the store must hold results for exactly one ICB. Raises DataSourceError when
    the store has no results table, lacks required columns or has no rows for the ICB.
    """
    store = open_results(root)
    results = _with_public(root, _require(store.table("results"), RESULT_COLUMNS, "results"))
    icb_code = _icb_code(results, icb, config)
    areas = _areas(icb_code, config)
    codes = {a.code for a in areas}
    inside = results["area_code"].isin(codes)
    if not (inside & (results["area_type"] != AreaType.ENGLAND)).any():
        raise DataSourceError(
            f"The results in {store.path} have no rows for ICB {icb_code} or its areas."
        )
    staged = StagedLoad(store, icb_code, areas=areas, dropped_rows=int((~inside).sum()))
    results = results.loc[inside]
    staged.indicators = _indicators(results)
    staged.results = _rows(results, RESULT_FIELDS)
    staged.boundaries = _boundaries(icb_code, codes, config)
    known = {i.id for i in staged.indicators}
    tables = _tables(store)
    if "inequalities" in tables:
        frame = _require(store.table("inequalities"), INEQUALITY_COLUMNS, "inequalities")
        staged.inequalities = _rows(_keep(frame, codes, known), INEQUALITY_FIELDS)
    if "priorities" in tables:
        frame = _require(store.table("priorities"), PRIORITY_COLUMNS, "priorities")
        methods = {i.id: i.method for i in staged.indicators}
        frame = priority_frame(_keep(frame, codes, known), results, methods)
        staged.priorities = _rows(frame, PRIORITY_FIELDS)
    return staged


def _with_public(root: str | Path, results: pd.DataFrame) -> pd.DataFrame:
    """`results` with `public_*` columns and `suppressed`: the same rows as the public policy
    publishes them, from the whole version protected once and cached beside it
    (`healthgap.reports.published.public_results`), so no request ever protects a slice."""
    protected = public_results(root, "public")
    keys = ["indicator_id", "period", "area_code", "category_type", "category"]
    same = len(protected) == len(results) and (
        protected[keys].reset_index(drop=True).equals(results[keys].reset_index(drop=True))
    )
    if not same:
        raise DataSourceError(
            f"The protected results table beside {root} does not match its results rows;"
            " delete its results.public.*.parquet cache and load again."
        )
    public = {f"public_{c}": protected[c].to_numpy(float) for c in PUBLIC_COLUMNS}
    return results.assign(**public, suppressed=protected["suppressed"].to_numpy(bool))


def _tables(store: Results) -> set[str]:
    return {p.stem for p in store.path.glob("*.parquet")}


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataSourceError(
            f"The {table} table lacks column(s) {', '.join(missing)} (see docs/results.md)."
        )
    return frame


def _keep(frame: pd.DataFrame, codes: set[str], indicators: set[str]) -> pd.DataFrame:
    return frame.loc[frame["area_code"].isin(codes) & frame["indicator_id"].isin(indicators)]


def _icb_code(results: pd.DataFrame, icb: str | None, config: DataConfig | None) -> str:
    """The GSS code of `icb`, or of the one ICB the results cover (its icb24 rows, else the
    ICBs holding its LSOAs)."""
    table = area_table("lsoa21", config)
    if icb is None:
        found = set(results.loc[results["area_type"] == AreaType.ICB, "area_code"])
        if not found:
            lsoas = results.loc[results["area_type"] == AreaType.LSOA, "area_code"]
            found = set(table.loc[table["lsoa21_code"].isin(lsoas), "icb24_code"])
        if len(found) != 1:
            raise DataSourceError(
                f"The results hold {len(found)} ICBs ({', '.join(sorted(found)) or 'none'}); "
                "choose one with --icb."
            )
        (icb,) = found
    lsoa = lsoas_in(icb=icb, config=config)[0]  # validates the code (GSS or ODS)
    return str(table.loc[table["lsoa21_code"] == lsoa, "icb24_code"].iloc[0])


# --- areas --------------------------------------------------------------------------------
def _areas(icb: str, config: DataConfig | None) -> list[Area]:
    """The ICB's areas, parents first: England, region, ICB, sub-ICBs, LADs, MSOAs, LSOAs."""
    lsoas = area_table("lsoa21", config)
    inside = lsoas.loc[lsoas["icb24_code"] == icb]
    msoa_imd_table = msoa_imd(lsoas)
    levels = {
        "region24": area_table("region24", config),
        "icb24": area_table("icb24", config),
        "sicbl24": area_table("sicbl24", config),
        "lad24": area_table("lad24", config),
        "msoa21": area_table("msoa21", config).merge(msoa_imd_table, on="msoa21_code", how="left"),
    }
    region = best_fit_parent(inside, "icb24_code", "region24_code")
    parents = {
        "region24": pd.Series(ENGLAND_CODE, index=region.unique()),
        "icb24": region,
        "sicbl24": pd.Series(icb, index=inside["sicbl24_code"].unique()),
        "lad24": pd.Series(icb, index=inside["lad24_code"].unique()),
        "msoa21": best_fit_parent(inside, "msoa21_code", "lad24_code"),
    }
    areas = [
        Area(
            code=ENGLAND_CODE,
            name="England",
            area_type=AreaType.ENGLAND,
            population=int(lsoas["population"].sum()),
            core20_share=core20_share(lsoas["population"], lsoas["core20"]),
            core20=False,
        )
    ]
    kinds = {"region24": AreaType.REGION, "icb24": AreaType.ICB, "sicbl24": AreaType.SICBL,
             "lad24": AreaType.LAD, "msoa21": AreaType.MSOA}  # fmt: skip
    for level, table in levels.items():
        parent = parents[level]
        rows = table.loc[table[f"{level}_code"].isin(parent.index)]
        areas += [
            Area(
                code=row[f"{level}_code"],
                name=row[f"{level}_name"],
                area_type=kinds[level],
                parent_id=parent[row[f"{level}_code"]],
                population=_int(row["population"]),
                core20_share=_float(row["core20_share"]),
                core20=is_core20(row["core20_share"]),
                imd_score=_float(row.get("imd_score")),
                imd_decile=_int(row.get("imd_decile")),
            )
            for row in _records(rows)
        ]
    areas += [
        Area(
            code=row["lsoa21_code"],
            name=row["lsoa21_name"],
            area_type=AreaType.LSOA,
            parent_id=row["msoa21_code"],
            population=_int(row["population"]),
            imd_score=_float(row["imd_score"]),
            imd_decile=_int(row["imd_decile"]),
            core20=bool(row["core20"]),
            core20_share=1.0 if row["core20"] else 0.0,
        )
        for row in _records(inside)
    ]
    return areas


def _boundaries(icb: str, codes: set[str], config: DataConfig | None) -> list[Boundary]:
    found = []
    for level in (AreaType.LSOA, AreaType.MSOA):
        collection = boundaries(level, icb=icb, config=config)
        found += [
            Boundary(area_id=f["properties"]["code"], geometry=f["geometry"])
            for f in collection["features"]
            if f["properties"]["code"] in codes
        ]
    return found


# --- tables -------------------------------------------------------------------------------
def _indicators(results: pd.DataFrame) -> list[Indicator]:
    catalogue = load_catalogue()
    columns = ["indicator_id", "indicator_name", "multiplier", "polarity", "method"]
    columns += ["target"] if "target" in results.columns else []
    first = results.drop_duplicates("indicator_id")[columns]
    indicators = []
    for row in _records(first):
        entry = catalogue.get(row["indicator_id"])
        indicators.append(
            Indicator(
                id=row["indicator_id"],
                name=row["indicator_name"] or row["indicator_id"],
                method=entry.method if entry else _method_name(row["method"]),
                polarity=row["polarity"] or (entry.polarity if entry else "no_judgement"),
                multiplier=_float(row["multiplier"]) or 1.0,
                target=_float(row.get("target")),
                source=f"{entry.source.publisher}: {entry.source.title}" if entry else "",
                source_url=entry.source.url if entry else "",
                definition=" ".join(entry.why_it_matters.split()) if entry else "",
            )
        )
    return indicators


def _method_name(method: Any) -> str:
    """The statistic from a results `method` text when the catalogue lacks the indicator."""
    text = str(method or "").lower()
    return "dsr" if "dobson" in text else "proportion" if "wilson" in text else "rate"


def _rows(frame: pd.DataFrame, fields: dict[str, str]) -> pd.DataFrame:
    """`frame` as columns named after the model's fields (`area_id` from `area_code`), typed by
    kind: "float" (missing: NaN), "text" (missing: ""), "bool" (missing: False), "int" or
    "optional_int" (missing: None);
    optional columns absent from the store are filled as missing."""
    out = {}
    for name, kind in fields.items():
        source = "area_code" if name == "area_id" else name
        column = frame[source] if source in frame.columns else pd.Series(None, index=frame.index)
        if kind == "float":
            out[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif kind == "text":
            out[name] = column.astype(object).where(column.notna(), "").map(str)
        elif kind == "bool":
            out[name] = column.astype(object).where(column.notna(), False).astype(bool)
        elif kind == "optional_int":  # Python ints and None: COPY must not see "1.0"
            numbers = pd.to_numeric(column, errors="coerce")
            out[name] = pd.Series(
                [None if pd.isna(v) else int(v) for v in numbers], index=column.index, dtype=object
            )
        else:
            out[name] = column.astype("int64")
        out[name] = out[name].to_numpy()
    return pd.DataFrame(out)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with missing values (NaN, NA, NaT) as None."""
    plain = frame.astype(object)
    return plain.where(frame.notna(), None).to_dict("records")


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
