"""`healthgap data`: fetch the reference data and show what is installed.

    healthgap data fetch [SOURCE ...] [--from mirror|official] [--download] [--accept-changes]
                         [--no-verify] [--no-build]
    healthgap data status [--no-verify]

`--from mirror` (the default) reads the open-data mirror, then the download cache, then
downloads from HEALTHGAP_DATA_URL; `--from official` fetches from the publishers themselves
(`healthgap.geography.official`), checked against the lock file.

User errors (a missing mirror, a failed checksum, an unknown source) raise `HealthgapError`
subclasses, which the main `healthgap` command prints as one line, without a traceback. `fetch`
first reports every source it could not get, then raises one `DataSourceError`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from healthgap.config import ENV_DATA_DIR, ENV_DATA_URL, DataConfig
from healthgap.errors import DataSourceError
from healthgap.geography._cache import TABLE_SOURCES
from healthgap.geography.official import OfficialFetcher, unsupported_reason
from healthgap.geography.sources import (
    SOURCES,
    Located,
    Source,
    download_source,
    get_source,
    locate,
    resolve,
    verify_copy,
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


class Origin(StrEnum):
    """Where `fetch` gets files from."""

    mirror = "mirror"
    official = "official"


def _progress(origin: Origin = Origin.mirror) -> Progress:
    """Bytes for mirror downloads; rows (features) per source for official fetches."""
    count: ProgressColumn = MofNCompleteColumn() if origin is Origin.official else DownloadColumn()
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        count,
        TimeElapsedColumn(),
        console=_out(),
        transient=True,
    )


def _header(config: DataConfig, origin: Origin = Origin.mirror) -> None:
    mirror = str(config.mirror) if config.mirror_available else config.describe_mirror()
    out = _out()
    out.print(f"Mirror: {mirror}", highlight=False, soft_wrap=True)
    out.print(f"Cache:  {config.var / 'cache'}", highlight=False, soft_wrap=True)
    url = config.base_url or "(not set: no downloads)"
    out.print(f"{ENV_DATA_URL}: {url}", highlight=False, soft_wrap=True)
    if origin is Origin.official:
        out.print(f"Lock:   {config.lock_file}", highlight=False, soft_wrap=True)
        if config.mirror_available:
            out.print(
                "Note: the loaders read the mirror before the download cache, so official"
                f" copies are used only where the mirror lacks a file (point {ENV_DATA_DIR} at"
                " a folder that does not exist to use them all).",
                highlight=False,
                soft_wrap=True,
            )


@app.command()
def fetch(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Source names (default: every source).")
    ] = None,
    origin: Annotated[
        Origin,
        typer.Option(
            "--from",
            help="mirror: the mirror, the cache, then HEALTHGAP_DATA_URL. official: the"
            " publishers (GOV.UK, ONS, Nomis, House of Commons Library), checked against the"
            " lock file.",
        ),
    ] = Origin.mirror,
    download: Annotated[
        bool,
        typer.Option(
            "--download",
            help=f"Download again even if a copy exists (from {ENV_DATA_URL}, or with --from"
            " official from the publisher, compared with the lock file).",
        ),
    ] = False,
    accept_changes: Annotated[
        bool,
        typer.Option(
            "--accept-changes",
            help="With --from official: accept a publisher file that differs from the lock"
            " file (or from the registered row count) and lock it.",
        ),
    ] = False,
    verify: Annotated[bool, typer.Option(help="Check each file's sha256.")] = True,
    build: Annotated[
        bool, typer.Option(help="Build the Parquet caches of the tidy tables.")
    ] = True,
) -> None:
    """Find, download or fetch each source, check its checksum and build the caches."""
    config = DataConfig.from_env(verify=verify)
    chosen = [get_source(name) for name in sources] if sources else list(SOURCES.values())
    _header(config, origin)
    found: dict[str, Located] = {}
    problems: list[str] = []
    with _progress(origin) as progress:
        fetcher = OfficialFetcher(config, progress=progress) if origin is Origin.official else None
        for source in chosen:
            unmirrored = not source.in_mirror and locate(source, config) is None
            if fetcher is None and not sources and unmirrored:
                progress.console.print(
                    f"{source.name}: not in the mirror; get it from its publisher with"
                    f" `healthgap data fetch {source.name} --from official`.",
                    highlight=False,
                )
                continue
            try:
                if fetcher is None:
                    located = _obtain(source, config, download, progress)
                else:
                    located = _fetch_official(fetcher, source, download, accept_changes)
                if verify:
                    verify_copy(located, config)
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


def _fetch_official(
    fetcher: OfficialFetcher, source: Source, refresh: bool, accept: bool
) -> Located:
    """Fetch from the publisher; a source published only as xlsx is resolved as usual."""
    console = fetcher.progress.console if fetcher.progress is not None else _out()
    reason = unsupported_reason(source)
    if reason is not None:
        console.print(f"[yellow]{source.name}: {reason}[/]", highlight=False)
        return resolve(source, fetcher.config)
    result = fetcher.fetch(source, refresh=refresh, accept=accept)
    console.print(f"{source.name}: {result.describe()}", highlight=False)
    return result.located


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
