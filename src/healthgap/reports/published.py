"""The published results: the one protected table that web pages, the API, reports and exports
all show, and the `healthgap indicators export` command.

`public_results` runs `healthgap.disclosure.protect_results` on the whole published version of a
results store (never on a filtered slice, so no request can be differenced against another)
and caches it beside that version as `versions/<v>/results.<policy>.parquet`; a new version
gets a new protected table.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

from healthgap.disclosure import disclosure_notes, get_policy, protect_results, safe_csv_cell
from healthgap.indicators.store import open_results

CACHE_FORMAT = 3  # bump when the protection method changes, so old caches are not reused
FINGERTIPS = {
    "indicator_id": "Indicator ID", "indicator_name": "Indicator Name",
    "parent_code": "Parent Code", "parent_name": "Parent Name", "area_code": "Area Code",
    "area_name": "Area Name", "area_type": "Area Type", "sex": "Sex", "age": "Age",
    "category_type": "Category Type", "category": "Category", "period": "Time period",
    "value": "Value", "lowercl": "Lower CI 95.0 limit", "uppercl": "Upper CI 95.0 limit",
    "lower99_8cl": "Lower CI 99.8 limit", "upper99_8cl": "Upper CI 99.8 limit",
    "numerator": "Count", "denominator": "Denominator", "reason": "Value note",
    "disclosure": "Disclosure note",
}  # fmt: skip
console = Console()


def public_results(results_dir: str | Path, policy: str = "public") -> pd.DataFrame:
    """The live version's results table as `policy` publishes it (see `protect_results`),
    computed once per version and cached beside it (`results.<policy>.parquet`)."""
    live = open_results(results_dir)
    policy_obj = get_policy(policy)
    if not policy_obj.suppress:
        return protect_results(live.table("results"), policy_obj)
    cache = live.path / f"results.{policy_obj.name}.v{CACHE_FORMAT}.parquet"
    if cache.is_file():
        return pd.read_parquet(cache)
    protected = protect_results(live.table("results"), policy_obj)
    partial = cache.with_name(f".{cache.name}.{secrets.token_hex(4)}.partial")
    try:
        protected.to_parquet(partial, index=False)
        os.replace(partial, cache)  # atomic: readers see the whole table or none
    except OSError:  # a read-only store: serve without caching
        partial.unlink(missing_ok=True)
        return protected
    return pd.read_parquet(cache)  # the same types on the first and every later call


def fingertips_frame(protected: pd.DataFrame) -> pd.DataFrame:
    """A protected results table with Fingertips' column names, a disclosure note per row, and
    every text cell made spreadsheet-safe."""
    names = dict(zip(protected["area_code"], protected["area_name"], strict=False))
    frame = protected.assign(
        parent_name=protected["parent_code"].map(names),
        sex=protected["category"].where(protected["category_type"] == "sex", "Persons"),
        age=protected["category"].where(protected["category_type"] == "age_band", "All ages"),
        disclosure=disclosure_notes(protected),
    )
    frame = frame[list(FINGERTIPS)].rename(columns=FINGERTIPS)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(safe_csv_cell)
    return frame


def export_csv(results_dir: str | Path, out: str | Path, policy: str = "public") -> int:
    """Write the live results as a Fingertips-style CSV under `policy`; returns the row count."""
    protected = public_results(results_dir, policy)
    if not get_policy(policy).suppress:
        protected = protected.assign(suppression="none")
    frame = fingertips_frame(protected)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    return len(frame)


def export_command(
    results: Annotated[Path, typer.Option(help="Results store.")],
    out: Annotated[Path, typer.Option(help="CSV file to write (Fingertips-style columns).")],
    disclosure: Annotated[
        str, typer.Option(help="public (default: small numbers hidden, counts rounded) or none.")
    ] = "public",
) -> None:
    """Write the live results as a CSV with Fingertips' column names, disclosure-controlled."""
    policy = get_policy(disclosure)
    if not policy.suppress:
        Console(stderr=True).print(
            "[bold yellow]Warning:[/] --disclosure none writes every count unsuppressed,"
            " small numbers included; this file must not leave an analyst's hands."
        )
    rows = export_csv(results, out, policy.name)
    version = open_results(results).version
    console.print(f"Wrote {rows:,} rows from version {version} ({policy.name} policy) to {out}.")
