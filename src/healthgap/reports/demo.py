"""`healthgap demo`: a real analysis of the open data mirror, printed to the terminal.

For one ICB it shows (1) its deprivation profile: LSOAs and Census 2021 residents by IMD 2025
decile and the Core20 share; (2) recorded prevalence of a QOF condition (2019/20, modelled by the
House of Commons Library) in the ICB's local authorities against England, as proportions with
Wilson 95% CIs; (3) the gradient of that prevalence across IMD 2019 deciles in the ICB's region,
with PHE's slope and relative index of inequality (Monte-Carlo CIs) and WHO HEAT summary measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rich.console import Console
from rich.table import Table

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError
from healthgap.geography.sources import get_source, resolve
from healthgap.stats import inequality_summary, proportion, sii


@dataclass(frozen=True)
class Demo:
    """Everything the demo prints, as data frames (usable from Python too)."""

    icb_code: str
    icb_name: str
    region: str
    condition: str
    deciles: pd.DataFrame  # IMD 2025 decile x LSOAs, residents
    core20_residents: int
    residents: int
    las: pd.DataFrame  # proportion() output per local authority + England
    gradient: pd.DataFrame  # proportion() output per IMD 2019 decile in the region
    sii: pd.DataFrame  # sii() output
    heat: pd.DataFrame  # inequality_summary() output


def _read(source: str, config: DataConfig, **kwargs: object) -> pd.DataFrame:
    """The registered source's copy (mirror, download cache or download; DataSourceError if
    there is none, saying how to get it)."""
    return pd.read_csv(resolve(get_source(source), config).path, **kwargs)


def build_demo(icb: str = "E54000062", condition: str = "DM", seed: int = 1) -> Demo:
    """Compute the demo tables for `icb` and QOF register `condition` (e.g. "DM" = diabetes)."""
    config = DataConfig.from_env()
    lookup = _read("lsoa21_sicbl24_icb24", config)
    lsoas = lookup[lookup["icb24_code"] == icb]
    if lsoas.empty:
        raise ArgumentError(f"{icb!r} is not an ICB code in the 2024 lookup (e.g. E54000062)")
    icb_name = str(lsoas["icb24_name"].iloc[0])

    imd = _read("imd2025_lsoa21", config, usecols=["lsoa21_code", "IMD_decile"])
    residents = _read("census2021_age6", config)
    residents = residents.groupby("lsoa21_code", as_index=False)["usual_residents"].sum()
    profile = lsoas[["lsoa21_code"]].merge(imd, on="lsoa21_code").merge(residents, on="lsoa21_code")
    deciles = (
        profile.groupby("IMD_decile")
        .agg(lsoas=("lsoa21_code", "size"), residents=("usual_residents", "sum"))
        .reindex(range(1, 11), fill_value=0)
        .rename_axis("imd_decile")
        .reset_index()
    )
    core20 = int(deciles.loc[deciles["imd_decile"] <= 2, "residents"].sum())

    wards = _read("lsoa21_ward24_lad24", config)
    lad_codes = set(wards.loc[wards["lsoa21_code"].isin(lsoas["lsoa21_code"]), "ltla24_code"])
    regions = _read("lad24_region24", config)
    region = str(regions.loc[regions["ltla24_code"].isin(lad_codes), "region24_name"].mode()[0])

    qof_lad = _read("qof1920_lad", config)
    qof_lad = qof_lad[qof_lad["group_code"] == condition]
    if qof_lad.empty:
        raise ArgumentError(f"{condition!r} is not a QOF register code (try DM, HYP, COPD, AF)")
    england = qof_lad[qof_lad["lad_code"].str.startswith("E")]
    las = pd.concat(
        [
            qof_lad[qof_lad["lad_code"].isin(lad_codes)][["lad_name", "register", "list"]],
            pd.DataFrame(
                {
                    "lad_name": ["England"],
                    "register": [england["register"].sum()],
                    "list": [england["list"].sum()],
                }
            ),
        ]
    ).rename(columns={"lad_name": "area"})
    las = proportion(las, "register", "list", multiplier=100)

    by_decile = _read("qof1920_region_imd2019_decile", config)
    by_decile = by_decile[(by_decile["region"] == region) & (by_decile["group_code"] == condition)]
    by_decile = by_decile.astype({"imd_overall": "int64"})  # England rows only: deciles 1-10
    gradient = proportion(
        by_decile, "register", "list", group_by="imd_overall", multiplier=100
    ).rename(columns={"imd_overall": "imd_decile"})
    for_sii = gradient.assign(
        prop=gradient["value"] / 100, lo=gradient["lowercl"] / 100, hi=gradient["uppercl"] / 100
    )
    slope = sii(
        for_sii,
        "imd_decile",
        "list",
        value="prop",
        value_type=2,
        lower_cl="lo",
        upper_cl="hi",
        multiplier=100,
        rii=True,
        seed=seed,
    )
    heat = inequality_summary(
        for_sii.assign(se=(for_sii["hi"] - for_sii["lo"]) * 100 / (2 * 1.959964)),
        "imd_decile",
        "value",
        "list",
        se="se",
        ordered=True,
        order="imd_decile",
        favourable=False,
        scale=100,
        measures=["d", "r", "sii", "rii", "paf", "par"],
    )
    return Demo(
        icb,
        icb_name,
        region,
        condition,
        deciles,
        core20,
        int(deciles["residents"].sum()),
        las,
        gradient,
        slope,
        heat,
    )


def _ci(row: pd.Series, digits: int = 2) -> str:
    return f"{row['value']:.{digits}f} ({row['lowercl']:.{digits}f} to {row['uppercl']:.{digits}f})"


def print_demo(console: Console, *, icb: str, condition: str, seed: int) -> Demo:
    """Build the demo and print it as Rich tables."""
    with console.status("Reading the open data and computing…"):
        demo = build_demo(icb=icb, condition=condition, seed=seed)
    console.rule(f"[bold]{demo.icb_name}[/] ({demo.icb_code})")
    table = Table(title="Deprivation profile: IMD 2025 decile (1 = most deprived 10% of England)")
    for column in ("IMD decile", "LSOAs", "Residents (Census 2021)", "Share"):
        table.add_column(column, justify="right")
    for row in demo.deciles.itertuples():
        table.add_row(
            str(row.imd_decile),
            f"{row.lsoas:,}",
            f"{row.residents:,}",
            f"{row.residents / demo.residents:.1%}",
        )
    console.print(table)
    console.print(
        f"Core20 (IMD deciles 1-2): [bold]{demo.core20_residents:,}[/] of {demo.residents:,}"
        f" residents ({demo.core20_residents / demo.residents:.1%}; England by definition ≈20%)."
    )
    table = Table(title=f"QOF {demo.condition} recorded prevalence 2019/20, % (95% CI, Wilson)")
    table.add_column("Area")
    table.add_column("On register", justify="right")
    table.add_column("List size", justify="right")
    table.add_column("Prevalence %", justify="right")
    for _, row in demo.las.iterrows():
        table.add_row(str(row["area"]), f"{row['register']:,.0f}", f"{row['list']:,.0f}", _ci(row))
    console.print(table)
    table = Table(title=f"{demo.region}: prevalence by IMD 2019 decile, % (95% CI, Wilson)")
    table.add_column("IMD decile", justify="right")
    table.add_column("Prevalence %", justify="right")
    for _, row in demo.gradient.iterrows():
        table.add_row(str(row["imd_decile"]), _ci(row))
    console.print(table)
    s = demo.sii.iloc[0]
    console.print(
        f"PHE slope index of inequality: [bold]{s['sii']:.2f}[/] percentage points across the"
        " deprivation scale, most deprived (rank 0) to least deprived (rank 1)"
        f" (95% CI {s['sii_lower95_0cl']:.2f} to {s['sii_upper95_0cl']:.2f});"
        f" RII {s['rii']:.3f} ({s['rii_lower95_0cl']:.3f} to {s['rii_upper95_0cl']:.3f});"
        f" {s['CI_method']}, seed {seed}."
    )
    table = Table(title="WHO HEAT summary measures across IMD deciles (ordered, adverse)")
    for column in ("Measure", "Value", "95% CI", "Method"):
        table.add_column(column)
    for _, row in demo.heat.iterrows():
        table.add_row(
            str(row["measure"]).upper(),
            f"{row['value']:.3f}",
            f"{row['lowercl']:.3f} to {row['uppercl']:.3f}",
            str(row["method"]),
        )
    console.print(table)
    console.print(
        "[dim]Sources: MHCLG English Indices of Deprivation 2025 and 2019; ONS Census 2021 and"
        " lookups (OGL v3.0); House of Commons Library modelled QOF prevalence 2019/20 (Open"
        " Parliament Licence v3.0). Methods: docs/methods.md.[/]"
    )
    return demo
