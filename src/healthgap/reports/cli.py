"""`healthgap report`: profile reports as PDF or HTML.

    healthgap report profile --results var/results/black-country --area E08000030 --out walsall.pdf
    healthgap report profile --results DIR --area E01010375 --out lsoa.html --disclosure none

The format follows the file's suffix (.pdf or .html). Reports use the `public` disclosure policy;
`--disclosure none` (analysts only) shows every count unprotected and prints a warning.
`healthgap.cli` registers this app as `report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from healthgap.errors import ArgumentError
from healthgap.reports.render import FORMATS, render_profile

app = typer.Typer(add_completion=False, no_args_is_help=True)
console = Console(stderr=True)


@app.command()
def profile(
    results: Annotated[
        Path, typer.Option("--results", help="Results store (from `healthgap indicators run`).")
    ],
    area: Annotated[
        str, typer.Option("--area", help="GSS code of an LSOA, MSOA, local authority or ICB.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output file: .pdf or .html.")],
    disclosure: Annotated[
        str,
        typer.Option(help="Disclosure policy: public (default) or none (analysts only)."),
    ] = "public",
) -> None:
    """Write the profile of one area (neighbourhood, place or ICB) as a PDF or HTML file."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ArgumentError(f"--out must end in .pdf or .html, not {out.name!r}.")
    if disclosure == "none":
        console.print(
            "[bold yellow]WARNING:[/] --disclosure none: small numbers are NOT hidden. This"
            " report is for analysts only and must not be published or shared."
        )
    data = render_profile(results, area, fmt=fmt, policy=disclosure)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    tmp.write_bytes(data)
    tmp.replace(out)
    console.print(f"Wrote {out} ({len(data):,} bytes, disclosure policy {disclosure}).")
