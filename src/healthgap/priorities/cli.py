"""`healthgap priorities`: print, export and publish the ranked potential-to-benefit list.

    healthgap priorities --results var/results/black-country --top 20
    healthgap priorities --results DIR --view combined --weight flu_vaccination_65_plus=2

Reads the live version of the results store, ranks it (`prioritise`), prints the first `--top`
areas (of each indicator, or of the combined list) with their groups nested under them and
their explanations, writes every ranked row to `--out` (.csv or .parquet) when
given, and publishes `priorities.parquet` into the store as a new version (the other tables
of the live version are copied, so readers see results and priorities of the same run).
`healthgap.cli` registers `priorities` as a top-level command; `app` runs it on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from healthgap.errors import ArgumentError
from healthgap.indicators import load_catalogue
from healthgap.indicators import store as results_store
from healthgap.indicators.store import Results, open_results
from healthgap.priorities.rank import prioritise

app = typer.Typer(add_completion=False)
TABLE = "priorities"


@app.command()
def priorities(
    results: Annotated[
        Path, typer.Option("--results", help="Results store (from `healthgap indicators run`).")
    ],
    top: Annotated[int, typer.Option(min=1, help="How many ranked rows to print.")] = 20,
    level: Annotated[
        str, typer.Option(help="Area type to rank: lsoa21, msoa21 or a wider one (lad24).")
    ] = "lsoa21",
    indicator: Annotated[
        list[str] | None,
        typer.Option(help="Indicator id to rank (repeat for several; default: all)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Also write every ranked row to this .csv or .parquet file."),
    ] = None,
    view: Annotated[
        str,
        typer.Option(
            help="indicator: rank within each indicator (default); combined: rank across "
            "indicators by weighted share of each indicator's total headroom."
        ),
    ] = "indicator",
    weight: Annotated[
        list[str] | None,
        typer.Option(help="ID=WEIGHT for the combined view (repeat; default 1 each)."),
    ] = None,
    groups: Annotated[
        int, typer.Option(min=0, help="Groups printed under each area (all are exported).")
    ] = 3,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish/--no-publish",
            help="Publish priorities.parquet into the store as a new version.",
        ),
    ] = True,
) -> None:
    """Rank neighbourhoods and groups by their potential to benefit, and explain each row."""
    if out is not None and out.suffix.lower() not in (".csv", ".parquet"):
        raise ArgumentError(f"--out must end in .csv or .parquet; got {out.name!r}.")
    store = open_results(results)
    catalogue = load_catalogue(ids=indicator) if indicator else load_catalogue()
    ranked = prioritise(
        store,
        catalogue,
        level=level,
        indicators=indicator or None,
        view=view,
        weights=_parse_weights(weight or []),
    )
    console = Console()
    shown = ranked[ranked["rank"] <= top]
    console.print(_table(shown, groups=groups, total=ranked, level=level, view=view,
                         version=store.version))  # fmt: skip
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".csv":
            ranked.to_csv(out, index=False)
        else:
            ranked.to_parquet(out, index=False)
        console.print(f"Wrote {len(ranked):,} rows to {out}", highlight=False, soft_wrap=True)
    if publish:
        new = publish_priorities(store, ranked, level=level, indicators=indicator)
        console.print(
            f"Published {TABLE}.parquet in {results} (version {new.version})",
            highlight=False,
            soft_wrap=True,
        )


def publish_priorities(
    store: Results, ranked: pd.DataFrame, *, level: str, indicators: list[str] | None
) -> Results:
    """Publish `ranked` as `priorities.parquet` in a new version with the live version's other
    tables and manifest (plus a `priorities` entry saying how it was made)."""
    info = {"level": level, "indicators": indicators or "all", "rows": len(ranked)}
    return results_store.publish_beside(store, TABLE, ranked, info)


def _parse_weights(pairs: list[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        name, _, number = pair.partition("=")
        try:
            weights[name.strip()] = float(number)
        except ValueError:
            raise ArgumentError(
                f"--weight must look like INDICATOR_ID=NUMBER (e.g. flu_vaccination_65_plus=2); "
                f"got {pair!r}."
            ) from None
    return weights


def _table(
    rows: pd.DataFrame, *, groups: int, total: pd.DataFrame, level: str, view: str, version: str
) -> Table:
    """Areas in rank order (per indicator unless combined), each area's Everyone row first and
    up to `groups` of its groups nested under it, with headroom in its unit and 95% CI."""
    areas = rows[["indicator_id", "area_code"]].drop_duplicates()
    of = total[["indicator_id", "area_code"]].drop_duplicates()
    per = "per indicator" if view == "indicator" else "combined across indicators"
    table = Table(
        title=f"Greatest potential to benefit: top {len(areas):,} of {len(of):,} areas, {per} "
        f"({level}, {version})",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("Group")
    table.add_column("Headroom (95% CI)", justify="right")
    table.add_column("Explanation", overflow="fold")
    shown = rows[rows["group_rank"] <= groups]
    for rank, group_rank, group, unit, low, mid, high, text in shown[
        ["rank", "group_rank", "group", "unit", "headroom_lowercl", "headroom", "headroom_uppercl",
         "explanation"]
    ].itertuples(index=False):  # fmt: skip
        label = group if group_rank == 0 else f"└ {group}"
        table.add_row(
            str(rank) if group_rank == 0 else "",
            label,
            f"{mid:,.0f} {unit}\n({low:,.0f}–{high:,.0f})",
            text,
        )
    return table
