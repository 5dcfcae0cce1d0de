"""`healthgap population synth`: write a synthetic population (mounted by healthgap.cli).

    healthgap population synth --icb E54000062 --seed 1 --out var/population/black-country
    healthgap population synth --england --seed 1 --out var/population/england

Prints a Rich progress bar over LSOA chunks, then a summary table (LSOAs, people, events by
type, indicator periods drawn, time; a caption names any periods ending after the reference
date). User errors (`HealthgapError`) propagate to `healthgap.cli.main`, which prints them as
one line and exits with status 2, as for every command.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from healthgap.errors import ArgumentError
from healthgap.synthetic.generate import (
    DEFAULT_CHUNK_LSOAS,
    DEFAULT_REFERENCE_DATE,
    Effects,
    SynthResult,
    synthesise,
)


def synth(
    icb: Annotated[
        str | None, typer.Option("--icb", help="ICB GSS code (E54 + 6 digits), e.g. E54000062.")
    ] = None,
    lad: Annotated[
        str | None, typer.Option("--lad", help="Local authority district code (2024), E06-E09.")
    ] = None,
    england: Annotated[
        bool, typer.Option("--england", help="All 33,755 English LSOAs (about 56.5M people).")
    ] = False,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same data).", min=0)
    ] = 1,
    out: Annotated[
        Path,
        typer.Option("--out", help="Output folder (people.parquet, events.parquet, manifest)."),
    ] = Path("var/population/synthetic"),
    reference_date: Annotated[
        str,
        typer.Option(
            "--reference-date",
            help="Ages are counted on this day (YYYY-MM-DD); catalogue periods ending by then "
            "get events.",
        ),
    ] = DEFAULT_REFERENCE_DATE.isoformat(),
    effects: Annotated[
        Path | None,
        typer.Option("--effects", help="YAML or JSON file overriding the default effects."),
    ] = None,
    chunk_lsoas: Annotated[
        int,
        typer.Option("--chunk-lsoas", help="LSOAs drawn per chunk (memory grows with it).", min=1),
    ] = DEFAULT_CHUNK_LSOAS,
    workers: Annotated[
        int,
        typer.Option("--workers", help="Processes drawing chunks (default: up to 2 CPUs).", min=1),
    ] = min(2, os.cpu_count() or 1),
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an earlier dataset in --out.")
    ] = False,
) -> None:
    """Write a calibrated synthetic population (people and events) for an ICB, LAD or England."""
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    timing = (TimeElapsedColumn(), TimeRemainingColumn())
    if sum(bool(x) for x in (icb, lad, england)) != 1:
        raise ArgumentError("Give exactly one of --icb, --lad or --england.")
    model = Effects.load(effects) if effects is not None else None
    with Progress(*columns, *timing, console=console, transient=True) as bar:
        task = bar.add_task("Synthesising LSOAs", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = synthesise(
            icb=icb,
            lad=lad,
            england=england,
            seed=seed,
            out=out,
            reference_date=reference_date,
            effects=model,
            chunk_size=chunk_lsoas,
            workers=workers,
            overwrite=overwrite,
            progress=progress,
        )
    Console().print(summary_table(result))


def summary_table(result: SynthResult) -> Table:
    """LSOAs, people, events by type and time of a finished synthesis."""
    table = Table(title=f"Synthetic population in {result.out}")
    table.add_column("", overflow="fold")
    table.add_column("count", justify="right")
    table.add_row("LSOAs", f"{result.lsoas:,}")
    table.add_row("people", f"{result.people:,}")
    for event_type, count in result.events_by_type.items():
        table.add_row(f"events: {event_type}", f"{count:,}")
    table.add_row("events (all)", f"{result.events:,}")
    synthetic = result.manifest["synthetic"]
    periods = sum(len(labels) for labels in synthetic["indicators"].values())
    table.add_row("indicator periods drawn", f"{periods:,}")
    rate = result.people / result.seconds if result.seconds > 0 else float("nan")
    table.add_row("time", f"{result.seconds:,.1f} s ({rate:,.0f} people/s)")
    notes = []
    if synthetic["periods_after_reference_date"]:
        later = synthetic["periods_after_reference_date"]
        notes.append(
            f"No events for periods ending after {synthetic['reference_date']}: "
            + "; ".join(f"{k} ({', '.join(v)})" for k, v in later.items())
        )
    if synthetic["skipped_indicators"]:
        skipped = synthetic["skipped_indicators"]
        notes.append("Skipped: " + "; ".join(f"{k} ({v})" for k, v in skipped.items()))
    if notes:
        table.caption = "\n".join(notes)
    return table
