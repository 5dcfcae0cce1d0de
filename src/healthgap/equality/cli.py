"""`healthgap equality ...`: WRES indicators from counts or extracts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from healthgap.errors import ArgumentError

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command("wres")
def wres_command(
    out: Annotated[Path, typer.Option(help="CSV to write: one row per indicator (and band).")],
    counts: Annotated[
        Path | None, typer.Option(help="Counts CSV: indicator, ethnicity, numerator, denominator.")
    ] = None,
    workforce: Annotated[
        Path | None, typer.Option(help="Workforce extract CSV (one row per staff member).")
    ] = None,
    recruitment: Annotated[
        Path | None, typer.Option(help="Recruitment extract CSV (one row per application).")
    ] = None,
    survey: Annotated[
        Path | None, typer.Option(help="Staff Survey CSV for indicators 5-8.")
    ] = None,
    year: Annotated[str, typer.Option(help="Year label for the extract form, e.g. 2025.")] = "",
) -> None:
    """Compute the WRES indicators with 95% limits and write them to --out."""
    from healthgap.equality.wres import (
        counts_from_extracts,
        read_recruitment,
        read_workforce,
        wres_indicators,
    )

    if (counts is None) == (workforce is None):
        raise ArgumentError("Give either --counts or --workforce (with --recruitment), not both.")
    if recruitment is not None and workforce is None:
        raise ArgumentError("--recruitment goes with --workforce.")
    if workforce is not None:
        staff = read_workforce(workforce)
        applications = None if recruitment is None else read_recruitment(recruitment)
        table = counts_from_extracts(staff, applications, year=year)
    else:
        table = counts
    results = wres_indicators(table, survey)
    out.parent.mkdir(parents=True, exist_ok=True)
    results.to_csv(out, index=False)
    headline = results[results["indicator"].isin(["2", "3", "4"])]
    for row in headline.itertuples():
        console.print(
            f"Indicator {row.indicator}{' ' + row.year if row.year else ''}: {row.value:.2f} "
            f"({row.lowercl:.2f} to {row.uppercl:.2f}), {row.direction}"
        )
    console.print(f"Wrote {len(results)} rows to {out}.")
