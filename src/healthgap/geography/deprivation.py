"""English Indices of Deprivation (IMD 2025 on LSOA 2021, IMD 2019 on LSOA 2011) and Core20.

Ranks run from 1 (most deprived) to N, the number of LSOAs in England (33,755 for IoD2025;
32,844 for IoD2019); deciles 1 (most deprived 10%) to 10; quintile = ceil(decile / 2).

Core20 (NHS England, Core20PLUS5): the most deprived 20% of the national population by IMD,
implemented at LSOA level as national IMD rank <= 20% of N (5 x rank <= N, exact in integers),
which is the same set as national deciles 1-2 (checked on both editions: 6,751 of 33,755
LSOAs for 2025; 6,568 of 32,844 for 2019). Always use the national rank, never a local
re-ranking (standards.md §2).

IoD2019 here has ranks and deciles only: the mirror lacks the official scores file (File 5/7),
so `imd2019()` has no score columns. MHCLG advises against comparing ranks across editions.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, InputDataError
from healthgap.geography._cache import cached_table
from healthgap.geography._read import read_csv

# IoD2025 File 7 column stems (as in the mirror) -> healthgap names
IMD2025_DOMAINS: dict[str, str] = {
    "IMD": "imd",
    "Income": "income",
    "Employment": "employment",
    "Education": "education",
    "Health": "health",
    "Crime": "crime",
    "Housing_and_Services": "barriers",
    "Environment": "environment",
}
IMD2025_SUBDOMAINS = (
    "children_and_young_people",
    "adult_skills",
    "geographical_barriers",
    "wider_barriers",
    "indoors",
    "outdoors",
)
# IoD2019 File 2 domain names -> healthgap names
IMD2019_DOMAINS: dict[str, str] = {
    "Index of Multiple Deprivation (IMD)": "imd",
    "Income": "income",
    "Employment": "employment",
    "Education, Skills and Training": "education",
    "Health Deprivation and Disability": "health",
    "Crime": "crime",
    "Barriers to Housing and Services": "barriers",
    "Living Environment": "environment",
}


def core20_from_rank(rank: Iterable[Any], n_areas: int) -> pd.Series:
    """Core20 flag: True where the national IMD rank is in the most deprived 20%.

    rank: national ranks, 1 = most deprived; n_areas: the number of areas ranked nationally
    (33,755 LSOAs for IoD2025). Flag = rank <= 0.2 x n_areas, computed as 5 x rank <= n_areas.
    Ranks that are missing, not whole numbers, or outside 1..n_areas raise InputDataError.
    """
    if isinstance(n_areas, bool) or not isinstance(n_areas, int) or n_areas < 1:
        raise ArgumentError(f"n_areas must be a positive whole number of areas, got {n_areas!r}")
    values = _whole_numbers(
        rank, 1, n_areas, f"IMD ranks must be whole numbers from 1 to {n_areas}"
    )
    return (values * 5 <= n_areas).astype(bool)


def quintile_from_decile(decile: Iterable[Any]) -> pd.Series:
    """IMD quintile from decile: 1-2 -> 1, 3-4 -> 2, ..., 9-10 -> 5 (1 = most deprived)."""
    values = _whole_numbers(decile, 1, 10, "IMD deciles must be whole numbers from 1 to 10")
    return ((values + 1) // 2).astype("int64")


def _whole_numbers(values: Iterable[Any], low: int, high: int, message: str) -> pd.Series:
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    numbers = pd.to_numeric(series, errors="coerce").astype("float64")
    bad = numbers.isna() | (numbers < low) | (numbers > high) | (numbers % 1 != 0)
    if bad.any():
        raise InputDataError(
            message, offenders=[f"row {i}: {series[i]!r}" for i in series.index[bad.to_numpy()]]
        )
    return numbers.astype("int64")


def imd2025(config: DataConfig | None = None, *, subdomains: bool = False) -> pd.DataFrame:
    """IoD2025 for every English LSOA 2021 (MHCLG File 7).

    Columns: lsoa21_code; for d in imd, income, employment, education, health, crime,
    barriers (Barriers to Housing and Services), environment (Living Environment):
    `d_score`, `d_rank`, `d_decile`, `d_quintile`; then `core20`. Income and employment
    scores are proportions of people (0.013 = 1.3%); health and crime scores are standardised;
    the others are composite scores (higher = more deprived throughout).
    `subdomains=True` adds score/rank/decile for the six sub-domains (IMD2025_SUBDOMAINS).
    """
    config = config or DataConfig.from_env()
    table = cached_table("imd2025", _build_imd2025, config)
    if subdomains:
        extra = cached_table("imd2025_subdomains", _build_subdomains, config)
        table = table.merge(extra, on="lsoa21_code", how="left", validate="one_to_one")
    return table


def _build_imd2025(paths: dict[str, Path]) -> pd.DataFrame:
    columns = {"lsoa21_code": "lsoa21_code"}
    for stem, name in IMD2025_DOMAINS.items():
        for part in ("score", "rank", "decile"):
            columns[f"{stem}_{part}"] = f"{name}_{part}"
    raw = read_csv(paths["imd2025_lsoa21"], columns, text=("lsoa21_code",))
    return _finish(raw, "lsoa21_code", list(IMD2025_DOMAINS.values()), scores=True)


def _build_subdomains(paths: dict[str, Path]) -> pd.DataFrame:
    columns = {"lsoa21_code": "lsoa21_code"}
    for name in IMD2025_SUBDOMAINS:
        columns.update({f"{name}_{part}": f"{name}_{part}" for part in ("score", "rank", "decile")})
    return read_csv(paths["imd2025_subdomains"], columns, text=("lsoa21_code",))


def imd2019(config: DataConfig | None = None) -> pd.DataFrame:
    """IoD2019 ranks and deciles for every English LSOA 2011 (MHCLG File 2). No scores.

    Columns: lsoa11_code, lsoa11_name, lad19_code, lad19_name; for d in imd, income,
    employment, education, health, crime, barriers, environment: `d_rank`, `d_decile`,
    `d_quintile`; then `core20`. 26 IMD ranks are genuinely tied in the published data.
    """
    return cached_table("imd2019", _build_imd2019, config or DataConfig.from_env())


def _build_imd2019(paths: dict[str, Path]) -> pd.DataFrame:
    ids = {
        "LSOA code (2011)": "lsoa11_code",
        "LSOA name (2011)": "lsoa11_name",
        "Local Authority District code (2019)": "lad19_code",
        "Local Authority District name (2019)": "lad19_name",
    }
    columns = dict(ids)
    for domain, name in IMD2019_DOMAINS.items():
        columns[f"{domain} Rank (where 1 is most deprived)"] = f"{name}_rank"
        columns[f"{domain} Decile (where 1 is most deprived 10% of LSOAs)"] = f"{name}_decile"
    raw = read_csv(paths["imd2019_domains"], columns, text=tuple(ids))
    return _finish(raw, "lsoa11_code", list(IMD2019_DOMAINS.values()), scores=False)


def _finish(raw: pd.DataFrame, key: str, domains: list[str], *, scores: bool) -> pd.DataFrame:
    """Order columns, add quintiles and the Core20 flag (national N = rows in the file)."""
    ids = [column for column in raw.columns if not column.endswith(("_score", "_rank", "_decile"))]
    out = raw[ids].copy()
    for name in domains:
        if scores:
            out[f"{name}_score"] = raw[f"{name}_score"]
        out[f"{name}_rank"] = raw[f"{name}_rank"].astype("int64")
        out[f"{name}_decile"] = raw[f"{name}_decile"].astype("int64")
        out[f"{name}_quintile"] = quintile_from_decile(raw[f"{name}_decile"]).to_numpy()
    out["core20"] = core20_from_rank(raw["imd_rank"], len(raw)).to_numpy()
    return out.sort_values(key, ignore_index=True)
