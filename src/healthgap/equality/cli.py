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
    report: Annotated[
        Path | None, typer.Option(help="If an input is rejected, write every problem here (CSV).")
    ] = None,
) -> None:
    """Compute the WRES indicators with 95% limits and write them to --out.

    A bad input is rejected whole; the error names the first problems and `--report` lists
    them all.
    """
    from healthgap.equality.errors import ExtractError

    try:
        _wres(out, counts, workforce, recruitment, survey, year)
    except ExtractError as error:
        if report is not None:
            report.parent.mkdir(parents=True, exist_ok=True)
            error.to_frame().to_csv(report, index=False)
            console.print(f"Every problem is listed in {report}.")
        raise


def _wres(
    out: Path,
    counts: Path | None,
    workforce: Path | None,
    recruitment: Path | None,
    survey: Path | None,
    year: str,
) -> None:
    from healthgap.equality.wres import (
        counts_from_extracts,
        read_recruitment,
        read_workforce,
        wres_indicators,
    )

    if (counts is None) == (workforce is None):
        raise ArgumentError(
            "Give one input: --counts FILE, or --workforce FILE (optionally with --recruitment)."
        )
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


@app.command("frameworks")
def frameworks_command() -> None:
    """List the shipped maturity frameworks: id, name, levels, dimensions."""
    from healthgap.equality.maturity import shipped_frameworks

    for framework in shipped_frameworks().values():
        levels = ", ".join(f"{lv.number} {lv.name}" for lv in framework.levels)
        dims = ", ".join(d.id for d in framework.dimensions)
        console.print(
            f"[bold]{framework.id}[/]: {framework.name}\n  levels: {levels}\n  dimensions: {dims}"
        )


@app.command("radar")
def radar_command(
    framework: Annotated[str, typer.Option(help="Shipped framework id, or a framework YAML file.")],
    level: Annotated[list[str], typer.Option(help="dimension=level (repeat for every dimension).")],
    out: Annotated[Path, typer.Option(help="SVG file to write.")],
    label: Annotated[str, typer.Option(help="Legend label for the series.")] = "Self-assessment",
) -> None:
    """Draw a maturity radar chart (SVG) for one set of levels."""
    from healthgap.equality.maturity import load_framework, shipped_frameworks
    from healthgap.equality.radar import radar_svg

    shipped = shipped_frameworks()
    chosen = shipped[framework] if framework in shipped else load_framework(framework)
    levels: dict[str, int] = {}
    for item in level:
        dim, _, value = item.partition("=")
        if not value.strip().isdigit():
            raise ArgumentError(f"--level {item!r} must look like dimension=level, e.g. data=2.")
        levels[dim.strip()] = int(value)
    unknown = sorted(set(levels) - {d.id for d in chosen.dimensions})
    if unknown:
        raise ArgumentError(f"{chosen.id!r} has no dimension {', '.join(unknown)}.")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(radar_svg(chosen, {label: levels}), encoding="utf-8")
    console.print(f"Wrote {out}.")
