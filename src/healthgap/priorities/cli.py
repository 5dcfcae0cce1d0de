"""`healthgap priorities`: print, export and publish the ranked potential-to-benefit list.

    healthgap priorities --results var/results/black-country --top 20

Reads the live version of the results store, ranks it (`prioritise`), prints the first `--top`
rows with their explanations, writes every ranked row to `--out` (.csv or .parquet) when
given, and publishes `priorities.parquet` into the store as a new version (the other tables
of the live version are copied, so readers see results and priorities of the same run).
`healthgap.cli` registers `priorities` as a top-level command; `app` runs it on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    ranked = prioritise(store, catalogue, level=level, indicators=indicator or None)
    console = Console()
    console.print(_table(ranked.head(top), total=len(ranked), level=level, version=store.version))
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
    tables = {path.stem: store.table(path.stem) for path in sorted(store.path.glob("*.parquet"))}
    tables[TABLE] = ranked
    manifest: dict[str, Any] = {
        key: value for key, value in store.manifest.items() if key not in ("version", "created")
    }
    manifest[TABLE] = {
        "from_version": store.version,
        "level": level,
        "indicators": indicators or "all",
        "rows": len(ranked),
    }
    return results_store.publish(store.root, tables, manifest)


def _table(rows: pd.DataFrame, *, total: int, level: str, version: str) -> Table:
    table = Table(
        title=f"Greatest potential to benefit: top {len(rows):,} of {total:,} ({level}, {version})",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("People (95% CI)", justify="right")
    table.add_column("Explanation", overflow="fold")
    for rank, low, mid, high, text in rows[
        ["rank", "headroom_lowercl", "headroom", "headroom_uppercl", "explanation"]
    ].itertuples(index=False):
        table.add_row(str(rank), f"{mid:,.0f}\n({low:,.0f}–{high:,.0f})", text)
    return table
