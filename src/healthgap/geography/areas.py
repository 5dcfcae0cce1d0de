"""England's small-area hierarchy: LSOA 2021 -> MSOA 2021 -> ward / LAD 2024 -> region, and
LSOA 2021 -> sub-ICB location -> ICB (2024); plus the LSOA 2011 -> 2021 mapping.

Sources (see docs/data.md): the ONS LSOA21 -> SICBL24 -> ICB24 lookup is the spine (33,755
English LSOAs); wards and LADs come from the ONS LSOA21 -> ward24 -> LAD24 best-fit lookup,
regions from the LAD24 -> region lookup, the 2021 rural-urban classification from ONS/Defra.

MSOA: the mirror has no LSOA21 -> MSOA21 lookup, so each LSOA's MSOA is found by name. ONS
names an LSOA after its MSOA plus a letter ("Walsall 001A" lies in MSOA "Walsall 001"), and
MSOA 2021 codes and names come from the MSOA 2021 boundary file. Every English LSOA 2021
matches exactly one MSOA this way (checked on load: an unmatched LSOA is an error).

Nesting: LSOAs nest in MSOAs; sub-ICB locations nest in ICBs; LADs do not nest in ICBs (13 LADs
span two or more ICBs in 2024), and one MSOA (West Northamptonshire 048) spans two LADs in the
best-fit lookup. `area_table` therefore gives each area the parent holding most of its LSOAs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, DataSourceError, InputDataError
from healthgap.geography._cache import cached_table
from healthgap.geography._read import geojson_properties, read_csv
from healthgap.geography.census import population2021, population_totals
from healthgap.geography.codes import validate_code
from healthgap.geography.deprivation import imd2025


@dataclass(frozen=True)
class Level:
    """A level of the hierarchy: its name, code/name columns, code kind and main parents."""

    name: str
    label: str
    kind: str
    parents: tuple[str, ...] = ()
    ods: str | None = None

    @property
    def code(self) -> str:
        return f"{self.name}_code"

    @property
    def area_name(self) -> str:
        return f"{self.name}_name"


LEVELS: dict[str, Level] = {
    level.name: level
    for level in (
        Level("lsoa21", "LSOA (2021)", "lsoa"),
        Level("msoa21", "MSOA (2021)", "msoa", ("lad24", "region24")),
        Level("ward24", "ward (2024)", "ward", ("lad24",)),
        Level("lad24", "local authority district (2024)", "lad", ("region24",)),
        Level("sicbl24", "sub-ICB location (2024)", "sicbl", ("icb24",), "sicbl24_code_nhs"),
        Level("icb24", "ICB (2024)", "icb", (), "icb24_code_nhs"),
        Level("region24", "region", "region"),
    )
}
_ODS = r"[A-Z0-9]{3,5}"  # NHS ODS codes: QUA (ICB), 15E or A3A8R (sub-ICB location)
_ALIASES = {
    "lsoa": "lsoa21",
    "msoa": "msoa21",
    "ward": "ward24",
    "lad": "lad24",
    "sicbl": "sicbl24",
    "sub_icb": "sicbl24",
    "icb": "icb24",
    "region": "region24",
}


def level(name: str) -> Level:
    """The Level called `name` ("icb", "icb24", "lad", ...); ArgumentError if unknown."""
    key = _ALIASES.get(name, name)
    if key not in LEVELS:
        known = ", ".join([*LEVELS, *_ALIASES])
        raise ArgumentError(f"Unknown area level {name!r}; known levels: {known}.")
    return LEVELS[key]


_SPINE = ["lsoa21_code", "lsoa21_name", "sicbl24_code", "sicbl24_name", "sicbl24_code_nhs",
          "icb24_code", "icb24_name", "icb24_code_nhs"]  # fmt: skip
_WARDS = {"lsoa21_code": "lsoa21_code", "ward24_code": "ward24_code", "ward24_name": "ward24_name",
          "ltla24_code": "lad24_code", "ltla24_name": "lad24_name"}  # fmt: skip
_REGIONS = {"ltla24_code": "lad24_code", "region24_code": "region24_code",
            "region24_name": "region24_name"}  # fmt: skip
_RURAL = {"lsoa21_code": "lsoa21_code", "ruc21_code": "ruc21_code",
          "classification": "ruc21_name", "ruc": "urban_rural"}  # fmt: skip
_MSOAS = {"msoa21_code": "msoa21_code", "msoa21_name": "msoa21_name"}
_REQUIRED = {"msoa21_code": "MSOA 2021 (by name)", "lad24_code": "LAD 2024",
             "region24_code": "region", "ruc21_code": "rural-urban class"}  # fmt: skip
HIERARCHY_COLUMNS = [
    "lsoa21_code", "lsoa21_name", "msoa21_code", "msoa21_name", "ward24_code", "ward24_name",
    "lad24_code", "lad24_name", "sicbl24_code", "sicbl24_name", "sicbl24_code_nhs", "icb24_code",
    "icb24_name", "icb24_code_nhs", "region24_code", "region24_name", "ruc21_code", "ruc21_name",
    "urban_rural",
]  # fmt: skip


def hierarchy(config: DataConfig | None = None) -> pd.DataFrame:
    """One row per English LSOA 2021 with its MSOA, ward, LAD, sub-ICB, ICB and region.

    Columns: lsoa21_code/name, msoa21_code/name, ward24_code/name, lad24_code/name,
    sicbl24_code/name/code_nhs, icb24_code/name/code_nhs, region24_code/name, ruc21_code,
    ruc21_name (rural-urban classification 2021) and urban_rural ("Urban"/"Rural").
    Cached as Parquet under `<var>/cache/geography/`.
    """
    return cached_table("hierarchy", _build_hierarchy, config or DataConfig.from_env())


def _build_hierarchy(paths: dict[str, Path]) -> pd.DataFrame:
    spine = read_csv(paths["lsoa21_sicbl24_icb24"], _SPINE)
    wards = read_csv(paths["lsoa21_ward24_lad24"], _WARDS)
    regions = read_csv(paths["lad24_region24"], _REGIONS)
    rural = read_csv(paths["ruc21_lsoa21"], _RURAL)
    msoas = geojson_properties(paths["boundaries_msoa21"], _MSOAS)
    spine["msoa21_name"] = spine["lsoa21_name"].str.replace(r"[A-Z]+$", "", regex=True)
    table = spine
    for right, key in ((msoas, "msoa21_name"), (wards, "lsoa21_code"), (regions, "lad24_code"),
                       (rural, "lsoa21_code")):  # fmt: skip
        duplicated = right.loc[right[key].duplicated(), key]
        if len(duplicated):
            raise DataSourceError(
                f"A lookup in the mirror repeats {key} values: {', '.join(duplicated.head(5))}"
            )
        table = table.merge(right, on=key, how="left")
    for column, what in _REQUIRED.items():
        missing = table.loc[table[column].isna(), "lsoa21_code"]
        if len(missing):
            raise DataSourceError(
                f"{len(missing)} LSOAs in the ICB lookup have no {what} in the mirror's lookups: "
                + ", ".join(missing.head(5))
            )
    return table[HIERARCHY_COLUMNS].sort_values("lsoa21_code", ignore_index=True)


def find_area(level_name: str, code: str, config: DataConfig | None = None) -> pd.Series:
    """Boolean mask over `hierarchy()` rows in area `code` of `level_name`.

    `code` is a GSS code (E54000062) or, for ICBs and sub-ICB locations, the NHS ODS code (QUA,
    15E). A malformed code or one not in the 2024 lookups raises ArgumentError.
    """
    spec = level(level_name)
    table = hierarchy(config)
    mask = table[spec.code] == code
    if not mask.any() and spec.ods is not None:
        mask = table[spec.ods] == code
    if mask.any():
        return mask
    ods_like = spec.ods is not None and isinstance(code, str) and re.fullmatch(_ODS, code)
    if not ods_like:
        validate_code(code, spec.kind)
    raise ArgumentError(f"There is no {spec.label} {code!r} in the 2024 lookups.")


def area_mask(area: dict[str, str | None], config: DataConfig | None = None) -> pd.Series:
    """Mask over `hierarchy()` rows for the one area given as {level: code} (None values ignored).

    Used by `lsoas_in` and `boundaries`; ArgumentError unless exactly one area is given.
    """
    given = {name: code for name, code in area.items() if code}
    if len(given) != 1:
        raise ArgumentError(
            "Give exactly one area, e.g. icb='E54000062';"
            f" got {', '.join(f'{k}={v!r}' for k, v in given.items()) or 'none'}."
        )
    ((name, code),) = given.items()
    return find_area(name, code, config)


def lsoas_in(
    *,
    msoa: str | None = None,
    ward: str | None = None,
    lad: str | None = None,
    sicbl: str | None = None,
    icb: str | None = None,
    region: str | None = None,
    config: DataConfig | None = None,
) -> list[str]:
    """The LSOA 2021 codes (sorted) in one area, e.g. `lsoas_in(icb="E54000062")` (or "QUA").

    Give exactly one of msoa, ward, lad (2024), sicbl, icb (GSS or ODS code) or region.
    """
    area = {"msoa": msoa, "ward": ward, "lad": lad, "sicbl": sicbl, "icb": icb, "region": region}
    mask = area_mask(area, config)
    return sorted(hierarchy(config).loc[mask, "lsoa21_code"])


def area_table(level_name: str = "lsoa21", config: DataConfig | None = None) -> pd.DataFrame:
    """Areas of one level with IMD 2025, Core20 and Census 2021 population.

    "lsoa21": `hierarchy()` plus imd_score, imd_rank, imd_decile, imd_quintile, core20 and
    population (usual residents, Census 2021).
    Other levels (msoa21, ward24, lad24, sicbl24, icb24, region24): one row per area with its
    code, name (and ODS code), main parents (the parent holding most of its LSOAs), lsoas,
    population, core20_lsoas, core20_population and core20_share (the share of its residents
    living in Core20 LSOAs, 0-1).
    """
    spec = level(level_name)
    config = config or DataConfig.from_env()
    imd = imd2025(config)[
        ["lsoa21_code", "imd_score", "imd_rank", "imd_decile", "imd_quintile", "core20"]
    ]
    people = population2021(config)[["lsoa21_code", "population"]]
    lsoas = hierarchy(config).merge(imd, on="lsoa21_code", how="left", validate="one_to_one")
    lsoas = lsoas.merge(people, on="lsoa21_code", how="left", validate="one_to_one")
    if spec.name == "lsoa21":
        return lsoas
    return _aggregate(lsoas, spec)


def _aggregate(lsoas: pd.DataFrame, spec: Level) -> pd.DataFrame:
    frame = lsoas.assign(core20_population=lsoas["population"].where(lsoas["core20"], 0))
    names = [spec.code, spec.area_name] + ([spec.ods] if spec.ods else [])
    out = (
        frame.groupby(names, sort=True)
        .agg(
            lsoas=("lsoa21_code", "size"),
            population=("population", "sum"),
            core20_lsoas=("core20", "sum"),
            core20_population=("core20_population", "sum"),
        )
        .reset_index()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["core20_share"] = out["core20_population"] / out["population"]
    for parent in spec.parents:
        out = out.merge(_main_parent(frame, spec.code, LEVELS[parent]), on=spec.code, how="left")
    return out


def _main_parent(frame: pd.DataFrame, code: str, parent: Level) -> pd.DataFrame:
    """For each area, the parent holding most of its LSOAs (ties: the lower parent code)."""
    counts = frame.groupby([code, parent.code, parent.area_name]).size().rename("n").reset_index()
    counts = counts.sort_values([code, "n", parent.code], ascending=[True, False, True])
    return counts.drop_duplicates(code).drop(columns="n")


def lsoa11_lsoa21(config: DataConfig | None = None) -> pd.DataFrame:
    """England's LSOA 2011 -> LSOA 2021 links with apportioning weights.

    Columns: lsoa11_code, lsoa21_code, change_code (U unchanged, S split, M merged, X
    irregular) and weight, the share of the 2011 LSOA's count assigned to the 2021 LSOA.
    weight = Census 2021 population of the 2021 LSOA / population of all 2021 LSOAs linked to
    the same 2011 LSOA (an equal split when they total 0). So U and M links have weight 1 (the
    whole 2011 LSOA goes to its one 2021 LSOA) and each 2011 LSOA's weights sum to 1. For S and
    X the split assumes the 2011 count was spread like the 2021 population (an approximation).
    """
    return cached_table("lsoa11_lsoa21", _build_lsoa11_lsoa21, config or DataConfig.from_env())


def _build_lsoa11_lsoa21(paths: dict[str, Path]) -> pd.DataFrame:
    links = read_csv(paths["lsoa11_lsoa21_lad22"], ["lsoa11_code", "lsoa21_code", "change_code"])
    links = links[links["lsoa11_code"].str.startswith("E01")].drop_duplicates(
        ["lsoa11_code", "lsoa21_code"]
    )
    people = population_totals(paths["census2021_age6"])
    size = links["lsoa21_code"].map(people).fillna(0).astype(float)
    by_2011 = links["lsoa11_code"]
    total = size.groupby(by_2011).transform("sum").to_numpy()
    parts = by_2011.groupby(by_2011).transform("size").to_numpy(dtype=float)
    size = size.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        links["weight"] = np.where(total > 0, size / total, 1 / parts)
    return links.sort_values(["lsoa11_code", "lsoa21_code"], ignore_index=True)


def to_lsoa21(
    data: pd.DataFrame,
    values: list[str],
    *,
    lsoa11: str = "lsoa11_code",
    config: DataConfig | None = None,
) -> pd.DataFrame:
    """Move counts from LSOA 2011 to LSOA 2021 with `lsoa11_lsoa21` weights.

    Each 2011 count is multiplied by the link weight and summed into the 2021 LSOA, so England's
    total is kept while split LSOAs get fractional counts. Returns lsoa21_code plus `values`.
    A code not in the 2011 lookup raises InputDataError naming it.
    """
    absent = [column for column in (lsoa11, *values) if column not in data.columns]
    if absent:
        raise ArgumentError(f"to_lsoa21: column(s) {absent} are not in the data")
    links = lsoa11_lsoa21(config)
    unknown = ~data[lsoa11].isin(links["lsoa11_code"])
    if unknown.any():
        raise InputDataError(
            "Some LSOA 2011 codes are not in the ONS 2011 -> 2021 lookup for England",
            offenders=list(data.loc[unknown, lsoa11]),
        )
    joined = data[[lsoa11, *values]].merge(
        links[["lsoa11_code", "lsoa21_code", "weight"]], left_on=lsoa11, right_on="lsoa11_code"
    )
    weighted = joined[values].mul(joined["weight"], axis=0)
    weighted["lsoa21_code"] = joined["lsoa21_code"]
    return weighted.groupby("lsoa21_code", sort=True)[values].sum().reset_index()
