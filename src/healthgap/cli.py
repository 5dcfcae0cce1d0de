"""The `healthgap` command line: one Typer app with Rich output.

User errors (`HealthgapError`) print as one line, `Error: <class>: <message>`, with exit code 2
and no traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from healthgap.errors import HealthgapError

app = typer.Typer(
    name="healthgap",
    help="Find, connect, act on and prove progress against health inequalities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
EXIT_USER_ERROR = 2

# Sub-apps live beside the package they drive; each module has a Typer app named `app`, mounted
# as `healthgap <name>`. Add a sub-command with one line: (name, module, help).
SUBCOMMANDS: list[tuple[str, str, str]] = [
    ("data", "healthgap.geography.cli", "Reference data: fetch (or use the mirror) and status."),
    ("population", "healthgap.population.cli", "Person-level data: import and synthesise."),
    ("indicators", "healthgap.indicators.cli", "Indicator catalogue: run and export."),
    ("equality", "healthgap.equality.cli", "Equality assurance: WRES indicators."),
    ("report", "healthgap.reports.cli", "Profile reports (PDF, HTML) of an LSOA, MSOA, LAD, ICB."),
    ("evaluate", "healthgap.evaluation.cli", "Evaluation on CSV: SPC charts, DiD, ITS."),
]


def _register() -> None:
    """Mount every sub-app; an import error is a bug and surfaces with its traceback."""
    from healthgap.equality.cli import app as equality_app
    from healthgap.population.cli import app as population_app
    from healthgap.priorities.cli import priorities
    from healthgap.reports.equality import report_command
    from healthgap.synthetic.cli import synth

    # `healthgap population synth`: synthetic sits above population, so it is mounted here.
    population_app.command("synth")(synth)
    # `healthgap equality report`: the WRES report needs reports, a layer above equality.
    equality_app.command("report")(report_command)
    # `healthgap indicators export` applies disclosure control, which indicators may not import.
    from healthgap.indicators.cli import app as indicators_app
    from healthgap.reports.published import export_command

    indicators_app.command("export")(export_command)
    for name, module, help_text in SUBCOMMANDS:
        app.add_typer(importlib.import_module(module).app, name=name, help=help_text)
    app.command("priorities")(priorities)


_register()


@app.command()
def demo(
    icb: str = typer.Option("E54000062", help="ICB code (E54...) to profile."),
    condition: str = typer.Option("DM", help="QOF register code, e.g. DM, HYP, COPD."),
    seed: int = typer.Option(1, help="Seed for the SII simulation."),
) -> None:
    """Print a real analysis of the open data: deprivation, prevalence and its gradient."""
    from healthgap.reports.demo import print_demo

    print_demo(console, icb=icb, condition=condition, seed=seed)


@app.command()
def backup(
    out: Annotated[Path, typer.Option("--out", help="New folder for the backup.")],
    results: Annotated[
        list[Path] | None,
        typer.Option(help="Results store to include (repeat); default: all in var/results."),
    ] = None,
) -> None:
    """Back up the app database (SQLite or PostgreSQL) and the results stores, with checksums."""
    from healthgap.web.backup import run_backup

    manifest = run_backup(out, results or None)
    console.print(
        f"Backed up {len(manifest.tables)} tables ({manifest.engine}) and "
        f"{len(manifest.stores)} results stores ({len(manifest.files)} files) to {out}",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def restore(
    source: Annotated[Path, typer.Option("--from", help="A folder written by `healthgap backup`.")],
    results_root: Annotated[
        Path | None,
        typer.Option(help="Where results stores go back to (default: var/results)."),
    ] = None,
) -> None:
    """Restore a backup: checksums first, then the database and results stores, then a check
    that every table matches the backup row for row."""
    from healthgap.web.backup import run_restore

    manifest = run_restore(source, results_root)
    console.print(
        f"Restored {len(manifest.tables)} tables ({manifest.engine}) and "
        f"{len(manifest.stores)} results stores from {source}; every table matches its backup.",
        highlight=False,
        soft_wrap=True,
    )


def main() -> None:
    """Entry point: run the app, turning user errors into one line and exit code 2."""
    try:
        app()
    except HealthgapError as exc:
        report_user_error(exc)


def report_user_error(exc: HealthgapError) -> NoReturn:
    """Print `Error: <class>: <message>` as one line on stderr (no traceback) and exit 2.

    The one handler for every sub-command: sub-commands let `HealthgapError` propagate.
    """
    message = escape(" ".join(str(exc).split()))  # one line, even for a message with newlines
    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]Error:[/] {type(exc).__name__}: {message}", highlight=False
    )
    sys.exit(EXIT_USER_ERROR)


if __name__ == "__main__":
    main()
