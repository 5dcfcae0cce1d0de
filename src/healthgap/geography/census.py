"""Census 2021 usual residents by LSOA 2021 in 6 age bands (ONS, England).

The mirror's file is an ONS custom dataset (Census Maps / "create a custom dataset") in long
format: one row per LSOA and age band, no sex split, no single years of age. ONS's cell-key
perturbation means LSOA sums differ slightly from published totals (the England and Wales total
is 59,597,114 against 59,597,542 published). Only English LSOAs (E01) are kept.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.config import DataConfig
from healthgap.errors import DataSourceError
from healthgap.geography._cache import cached_table
from healthgap.geography._read import read_csv

AGE_BANDS: dict[str, str] = {
    "Aged 15 years and under": "age_0_15",
    "Aged 16 to 24 years": "age_16_24",
    "Aged 25 to 34 years": "age_25_34",
    "Aged 35 to 49 years": "age_35_49",
    "Aged 50 to 64 years": "age_50_64",
    "Aged 65 years and over": "age_65_plus",
}


def read_age6(path: Path) -> pd.DataFrame:
    """The file's English rows, long: lsoa21_code, age_band (age_0_15, ...), population."""
    rows = read_csv(
        path,
        {"lsoa21_code": "lsoa21_code", "age_group": "age_band", "usual_residents": "population"},
        text=("lsoa21_code", "age_group"),
    )
    rows = rows[rows["lsoa21_code"].str.startswith("E01")]
    unknown = sorted(set(rows["age_band"]) - set(AGE_BANDS))
    if unknown:
        raise DataSourceError(
            f"{path}: unexpected age groups {unknown}; expected {list(AGE_BANDS)}"
        )
    return rows.assign(age_band=rows["age_band"].map(AGE_BANDS))


def population_totals(path: Path) -> pd.Series:
    """All-age usual residents per English LSOA 2021 (index lsoa21_code)."""
    return read_age6(path).groupby("lsoa21_code")["population"].sum()


def population2021(config: DataConfig | None = None, *, long: bool = False) -> pd.DataFrame:
    """Census 2021 usual residents per English LSOA 2021.

    Wide (default): lsoa21_code, age_0_15, age_16_24, age_25_34, age_35_49, age_50_64,
    age_65_plus and population (all ages). `long=True`: lsoa21_code, age_band, population,
    ordered by LSOA then age (the layout the rate and DSR functions take).
    """
    wide = cached_table("population2021", _build_wide, config or DataConfig.from_env())
    if not long:
        return wide
    bands = list(AGE_BANDS.values())
    out = wide.drop(columns="population").melt(
        id_vars="lsoa21_code", value_vars=bands, var_name="age_band", value_name="population"
    )
    order = pd.Categorical(out["age_band"], categories=bands, ordered=True).codes
    return (
        out.assign(_order=order)
        .sort_values(["lsoa21_code", "_order"], ignore_index=True)
        .drop(columns="_order")
    )


def _build_wide(paths: dict[str, Path]) -> pd.DataFrame:
    rows = read_age6(paths["census2021_age6"])
    wide = rows.pivot_table(
        index="lsoa21_code", columns="age_band", values="population", aggfunc="sum"
    ).reindex(columns=list(AGE_BANDS.values()))
    incomplete = wide.index[wide.isna().any(axis=1)]
    if len(incomplete):
        raise DataSourceError(
            f"{len(incomplete)} LSOAs lack an age band in the Census 2021 file: "
            + ", ".join(incomplete[:5])
        )
    wide = wide.astype("int64")
    wide["population"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()
