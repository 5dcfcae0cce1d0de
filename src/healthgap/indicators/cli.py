"""`healthgap indicators ...`: list the catalogue, run it, show the SQL.

`healthgap indicators export` is mounted here by healthgap.cli from healthgap.reports.published,
since exports pass through disclosure control, which this package may not import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from healthgap.errors import ArgumentError
from healthgap.indicators.backends import BACKENDS

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command("list")
def list_command() -> None:
    """The shipped catalogue: id, name, method, periods, review date."""
    from healthgap.indicators import load_catalogue

    table = Table(title="Indicator catalogue")
    for column in ("id", "name", "method", "periods", "next review"):
        table.add_column(column)
    for ind in load_catalogue().values():
        periods = ", ".join(p.label for p in ind.periods)
        table.add_row(ind.id, ind.name, ind.method, periods, str(ind.next_review))
    console.print(table)


@app.command("run")
def run_command(
    population: Annotated[
        str,
        typer.Option(
            help="Folder with people.parquet, events.parquet (with --backend spark, also an"
            " object-store URL: s3a://, abfss://, gs://)."
        ),
    ],
    out: Annotated[
        str, typer.Option(help="Results store to publish into (a folder, or a URL on Spark).")
    ],
    backend: Annotated[str, typer.Option(help=f"One of {', '.join(BACKENDS)}.")] = "duckdb",
    indicator: Annotated[
        list[str] | None, typer.Option(help="Indicator id (repeat; default: all).")
    ] = None,
    inequalities: Annotated[bool, typer.Option(help="Also compute SII/RII and HEAT.")] = True,
    repetitions: Annotated[int, typer.Option(help="SII Monte-Carlo repetitions.")] = 100_000,
) -> None:
    """Compute every indicator with all breakdowns and publish them atomically.

    On Spark the executors read the population and write the results (partitioned Parquet),
    so both may be object-store URLs (docs/indicators.md)."""
    import time

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from healthgap.indicators.run import STEPS, run_indicators
    from healthgap.indicators.spark_store import check_location

    if backend not in BACKENDS:
        raise ArgumentError(f"Unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}.")
    source = check_location(population, backend, "--population")
    target = check_location(out, backend, "--out")
    if backend == "spark":
        from healthgap.indicators.spark_run import run_on_spark as run
    else:
        run = run_indicators

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task(f"Running on {backend}: {STEPS[0]}", total=len(STEPS))
        started = [time.perf_counter()]

        def on_step(name: str) -> None:
            following = STEPS[STEPS.index(name) + 1] if name != STEPS[-1] else "done"
            now = time.perf_counter()
            progress.console.print(f"  [green]✓[/] {name} ({now - started[0]:.1f} s)")
            started[0] = now
            progress.update(task, advance=1, description=f"Running on {backend}: {following}")

        options = {} if backend == "spark" else {"backend": backend}
        summary = run(
            source, target, indicator_ids=indicator, inequalities=inequalities,
            repetitions=repetitions, on_step=on_step, **options,
        )  # fmt: skip
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in summary.timings.items())
    console.print(
        f"Published {summary.rows:,} result rows as version [bold]{summary.results.version}[/]"
        f" in {out} ({steps})."
    )


@app.command("series")
def series_command(
    population: Annotated[Path, typer.Option(help="Folder with people.parquet, events.parquet.")],
    indicator: Annotated[list[str], typer.Option(help="Indicator id (repeat).")],
    area: Annotated[list[str], typer.Option(help="LSOA, MSOA, LA, sub-ICB, ICB or region code.")],
    first: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    last: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
    out: Annotated[Path | None, typer.Option(help="CSV file to write.")] = None,
    by: Annotated[str, typer.Option(help="month or quarter.")] = "month",
    backend: Annotated[str, typer.Option(help=f"One of {', '.join(BACKENDS)}.")] = "duckdb",
    publish: Annotated[
        Path | None,
        typer.Option(help="Results store to publish series.parquet into (a new version)."),
    ] = None,
) -> None:
    """Indicators by month or quarter for chosen areas (monitoring series) as a CSV and/or
    published into a results store (series.parquet, docs/results.md)."""
    from healthgap.indicators.series import compute_series

    if out is None and publish is None:
        raise ArgumentError("Give --out FILE.csv, --publish RESULTS_DIR, or both.")
    with console.status(f"Computing the series on {backend}…"):
        table = compute_series(
            population, indicator, area, first=first, last=last, by=by, backend=backend
        )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        console.print(f"Wrote {len(table):,} rows (indicator x area x {by}) to {out}.")
    if publish is not None:
        from healthgap.indicators.series_store import publish_series

        info = {"indicators": indicator, "areas": len(area), "by": by, "from": first, "to": last,
                "population": str(population)}  # fmt: skip
        live = publish_series(publish, table, info)
        console.print(f"Published series.parquet in {publish} (version {live.version}).")


@app.command("sql")
def sql_command(
    indicator: Annotated[list[str], typer.Option(help="Indicator id (repeat).")],
    dialect: Annotated[str, typer.Option(help="duckdb, postgres or pyspark.")] = "duckdb",
) -> None:
    """Print the SQL an indicator compiles to (for review)."""
    import ibis

    from healthgap.indicators import load_catalogue
    from healthgap.indicators.compile import to_sql
    from healthgap.population.schema import EVENTS, PEOPLE

    people = ibis.table(PEOPLE.output_schema, name="people")
    events = ibis.table(EVENTS.output_schema, name="events")
    console.print(to_sql(load_catalogue(ids=indicator), people, events, dialect=dialect))


@app.command("load-counts")
def load_counts_command(
    counts: Annotated[
        Path, typer.Option(help="CSV of counts by area/group (Fingertips-style ok).")
    ],
    out: Annotated[Path, typer.Option(help="Results store to publish into.")],
    inequalities: Annotated[bool, typer.Option(help="Also compute SII/RII and HEAT.")] = True,
) -> None:
    """Aggregate inputs: turn counts by area and group into the same tidy results and publish."""
    from healthgap.indicators.counts_input import load_counts, read_counts
    from healthgap.indicators.inequalities import summarise
    from healthgap.indicators.run import areas_table
    from healthgap.indicators.store import publish

    with console.status("Computing statistics from the counts…"):
        results = load_counts(read_counts(counts), areas_table())
        tables = {"results": results}
        if inequalities:
            tables["inequalities"] = summarise(results)
        live = publish(out, tables, {"source": str(counts), "rows": len(results)})
    console.print(f"Published {len(results):,} result rows as version {live.version} in {out}.")
