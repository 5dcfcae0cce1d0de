"""`healthgap data`: fetch the reference data and show what is installed.

    healthgap data fetch [SOURCE ...] [--download] [--no-verify] [--no-build]
    healthgap data status [--no-verify]

User errors (a missing mirror, a failed checksum, an unknown source) raise `HealthgapError`
subclasses, which the main `healthgap` command prints as one line, without a traceback. `fetch`
first reports every source it could not get, then raises one `DataSourceError`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from healthgap.errors import DataSourceError
from healthgap.geography._cache import TABLE_SOURCES
from healthgap.geography._config import ENV_DATA_URL, DataConfig
from healthgap.geography.sources import (
    SOURCES,
    Located,
    Source,
    download_source,
    get_source,
    locate,
    resolve,
    verify_file,
)
from healthgap.geography.status import TABLE_LOADERS, source_status

app = typer.Typer(
    help="Reference data (IMD, areas, boundaries, population): fetch it and show its status.",
    no_args_is_help=True,
)


def _out() -> Console:
    """Standard output, sized from the environment at call time (COLUMNS, the terminal)."""
    return Console()


def _err() -> Console:
    """Standard error, for warnings; long lines are not wrapped (easier to grep in logs)."""
    return Console(stderr=True, soft_wrap=True, highlight=False)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=_out(),
        transient=True,
    )


def _header(config: DataConfig) -> None:
    mirror = str(config.mirror) if config.mirror_available else config.describe_mirror()
    out = _out()
    out.print(f"Mirror: {mirror}", highlight=False, soft_wrap=True)
    out.print(f"Cache:  {config.var / 'cache'}", highlight=False, soft_wrap=True)
    url = config.base_url or "(not set: no downloads)"
    out.print(f"{ENV_DATA_URL}: {url}", highlight=False, soft_wrap=True)


@app.command()
def fetch(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Source names (default: every source).")
    ] = None,
    download: Annotated[
        bool,
        typer.Option("--download", help=f"Download from {ENV_DATA_URL} even if a copy exists."),
    ] = False,
    verify: Annotated[bool, typer.Option(help="Check each file's sha256.")] = True,
    build: Annotated[
        bool, typer.Option(help="Build the Parquet caches of the tidy tables.")
    ] = True,
) -> None:
    """Find (or download) each source, check its checksum and build the caches."""
    config = DataConfig.from_env(verify=verify)
    chosen = [get_source(name) for name in sources] if sources else list(SOURCES.values())
    _header(config)
    found: dict[str, Located] = {}
    problems: list[str] = []
    with _progress() as progress:
        for source in chosen:
            try:
                located = _obtain(source, config, download, progress)
                if verify:
                    verify_file(located.path, source)
                found[source.name] = located
            except DataSourceError as exc:
                problems.append(f"{source.name}: {exc}")
        for table, needs in TABLE_SOURCES.items() if build else ():
            if all(name in found for name in needs):
                task = progress.add_task(f"building {table}", total=None)
                try:
                    TABLE_LOADERS[table](config)
                except DataSourceError as exc:
                    problems.append(f"table {table}: {exc}")
                progress.remove_task(task)
    _print_status(config, [source.name for source in chosen])
    if problems:
        for problem in problems:
            _err().print(f"[yellow]{problem}[/]")
        raise DataSourceError(f"{len(problems)} problem(s) while fetching (details above).")


def _obtain(source: Source, config: DataConfig, download: bool, progress: Progress) -> Located:
    """Download when asked (falling back to a local copy if that fails), else resolve."""
    if not download:
        return resolve(source, config, progress=progress)
    try:
        return download_source(source, config, progress=progress)
    except DataSourceError as exc:
        local = locate(source, config)
        if local is None:
            raise
        _err().print(f"[yellow]{exc}[/] Using the {local.origin} copy {local.path}.")
        return local


@app.command()
def status(
    verify: Annotated[bool, typer.Option(help="Check each file's sha256.")] = True,
) -> None:
    """Show each source: found?, where from, vintage, rows, checksum and cache state."""
    config = DataConfig.from_env(verify=verify)
    _header(config)
    _print_status(config, None)


def _print_status(config: DataConfig, names: list[str] | None) -> None:
    table = Table(title="Reference data", show_lines=False)
    for column in ("Source", "Vintage", "Found", "From", "Rows", "Checksum", "Loaded"):
        table.add_column(column, justify="right" if column == "Rows" else "left")
    for item in source_status(config, names):
        where = "-" if item.located is None else f"{item.located.origin}: {item.source.path}"
        rows = "-" if item.rows is None else f"{item.rows:,}"
        if item.rows is not None and item.rows != item.source.rows:
            rows += f" (expected {item.source.rows:,})"
        checksum = item.checksum if config.verify or item.located is None else "not checked"
        table.add_row(
            item.source.name,
            item.source.vintage,
            "yes" if item.located else "[red]no[/]",
            where,
            rows,
            checksum if checksum != "MISMATCH" else f"[red]{checksum}[/]",
            item.loaded,
        )
    _out().print(table)
