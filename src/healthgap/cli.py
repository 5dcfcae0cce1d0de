"""The `healthgap` command line: one Typer app with Rich output.

User errors (`HealthgapError`) print as one line, `Error: <class>: <message>`, with exit code 2
and no traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from healthgap.errors import HealthgapError

app = typer.Typer(
    name="healthgap",
    help="Find, connect, act on and prove progress against health inequalities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()

# Sub-apps live beside the package they drive; each is a Typer app named `app`.
_SUBAPPS = {
    "data": ("healthgap.geography.cli", "Reference data: fetch (or use the mirror) and status."),
    "population": ("healthgap.population.cli", "Person-level data: import and synthesise."),
    "indicators": ("healthgap.indicators.cli", "Indicator catalogue: run and export."),
}
for _name, (_module, _help) in _SUBAPPS.items():
    try:
        _sub = importlib.import_module(_module).app
    except ModuleNotFoundError as exc:  # a package not built yet: say so instead of hiding it
        if exc.name is None or not exc.name.startswith("healthgap"):
            raise
        continue
    app.add_typer(_sub, name=_name, help=_help)


def _register_priorities() -> None:
    from healthgap.priorities.cli import priorities

    app.command("priorities")(priorities)


_register_priorities()


@app.command()
def demo(
    icb: str = typer.Option("E54000062", help="ICB code (E54...) to profile."),
    condition: str = typer.Option("DM", help="QOF register code, e.g. DM, HYP, COPD."),
    seed: int = typer.Option(1, help="Seed for the SII simulation."),
) -> None:
    """Print a real analysis of the open data: deprivation, prevalence and its gradient."""
    from healthgap.reports.demo import print_demo

    print_demo(console, icb=icb, condition=condition, seed=seed)


def main() -> None:
    """Entry point: run the app, turning user errors into one line and exit code 2."""
    try:
        app()
    except HealthgapError as exc:
        Console(stderr=True).print(f"[bold red]Error:[/] {type(exc).__name__}: {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
