"""`healthgap population ...`: the person-level commands (registered by healthgap.cli).

    healthgap population import --people people.csv [--events events.csv] --out var/population

A rejected import prints a table of its problems (the first `--show`; all of them go to
`--report FILE` as CSV) and exits with status 2. Other user errors (`HealthgapError`) propagate
to `healthgap.cli.main`, which prints them as one line and exits with status 2. No traceback
either way, and no NHS number is ever printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from healthgap.population.importer import import_population
from healthgap.population.problems import PopulationImportError

app = typer.Typer(no_args_is_help=True)

EXIT_PROBLEMS = 2


@app.callback()
def population() -> None:
    """Person-level data: validated import with NHS number pseudonymisation."""


def _problem_table(error: PopulationImportError, show: int) -> Table:
    table = Table(title=f"{len(error.problems)} problems: nothing was imported")
    for name in ("table", "row", "column", "value", "rule"):
        table.add_column(name, overflow="fold")
    for problem in error.problems[:show]:
        cells = (problem.table, problem.row, problem.column, problem.value, problem.rule)
        table.add_row(*("" if cell is None else str(cell) for cell in cells))
    return table


@app.command("import")
def import_command(
    people: Annotated[
        Path, typer.Option("--people", help="People file (.csv, .csv.gz or .parquet).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder for the Parquet dataset.")],
    events: Annotated[
        Path | None, typer.Option("--events", help="Events file (.csv, .csv.gz or .parquet).")
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Pseudonym key file (default: $HEALTHGAP_PSEUDONYM_KEY, then var/pseudonym.key).",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an earlier import in --out.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write every problem to this CSV file.")
    ] = None,
    show: Annotated[int, typer.Option("--show", help="Problems to print.", min=0)] = 50,
) -> None:
    """Check people (and events) files, pseudonymise NHS numbers and write a Parquet dataset."""
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(table: str, rows: int, total: int | None) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(f"Checking {table}", total=total)
            bar.update(tasks[table], completed=rows)

        try:
            result = import_population(
                people,
                out,
                events=events,
                key=key_file,
                overwrite=overwrite,
                progress=progress,
            )
        except PopulationImportError as error:
            bar.stop()
            console.print(_problem_table(error, show))
            if len(error.problems) > show:
                console.print(f"... and {len(error.problems) - show} more.")
            if report is not None:
                error.to_frame().to_csv(report, index=False)
                console.print(f"Every problem is listed in {report}.")
            raise typer.Exit(EXIT_PROBLEMS) from None
    if result.key is not None and result.key.created:
        console.print(
            f"Created a new pseudonym key in {result.key.source} (key id "
            f"{result.key.key_id}). Keep it private and back it up: without it the same NHS "
            "numbers cannot be given the same pseudonyms again."
        )
    counts = ", ".join(f"{rows:,} {name}" for name, rows in result.rows.items())
    console.print(f"Imported {counts} into {result.out}.")
