"""`healthgap evaluate spc|did|its CSV ...`: the evaluation methods on a CSV file, for scripts.

Each command reads one CSV (one row per point, or per area × period), prints its answer, and
can write the full result as CSV (and the SPC chart as SVG). Bad input is a `HealthgapError`,
which the top-level command prints as one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from healthgap.errors import ArgumentError, InputDataError

app = typer.Typer(no_args_is_help=True)
console = Console()

CsvArg = Annotated[Path, typer.Argument(help="Input CSV file.")]
What = Annotated[str | None, typer.Option(help="Outcome name for the sentence.")]
Value = Annotated[str, typer.Option(help="Column with the values.")]
Date = Annotated[str, typer.Option(help="Column with the dates (or period numbers).")]
TRUE = {"true", "t", "yes", "y", "1"}
FALSE = {"false", "f", "no", "n", "0"}


def read_csv(path: Path):
    """The CSV as a data frame; a missing or unreadable file is an `InputDataError`."""
    import pandas as pd

    if not path.is_file():
        raise InputDataError(f"The file {str(path)!r} does not exist.")
    try:
        return pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputDataError(f"The file {str(path)!r} could not be read as CSV ({exc}).") from exc


def as_bool(df, column: str):
    """A yes/no column (True/False, 1/0, yes/no) as booleans."""
    if column not in df.columns:
        raise ArgumentError(f"The column {column!r} is not in the file.")
    if df[column].dtype == bool:
        return df[column]
    text = df[column].astype(str).str.strip().str.lower()
    bad = ~text.isin(TRUE | FALSE)
    if bad.any():
        raise InputDataError(f"The column {column!r} must hold true/false (or 1/0).",
                             list(df.index[bad]))  # fmt: skip
    return text.isin(TRUE)


def _per_facet(values: list[str], cast, what: str) -> object:
    """`["x"]` -> x; `["A=x", "B=y"]` -> {"A": x, "B": y}; None when empty."""
    if not values:
        return None
    if all("=" not in v for v in values):
        return cast(values[0]) if len(values) == 1 else [cast(v) for v in values]
    out: dict[str, object] = {}
    for v in values:
        if "=" not in v:
            raise ArgumentError(f"Give every {what} as FACET=VALUE or none of them ({v!r}).")
        facet, value = v.split("=", 1)
        out.setdefault(facet, []).append(cast(value))  # type: ignore[union-attr]
    return {k: (v[0] if len(v) == 1 else v) for k, v in out.items()}  # type: ignore[index]


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise ArgumentError(f"{text!r} is not a number.") from exc


@app.command("spc")
def spc_command(
    csv: CsvArg,
    value: Value,
    date: Date,
    facet: Annotated[str | None, typer.Option(help="Column to facet by.")] = None,
    rebase: Annotated[
        list[str] | None, typer.Option(help="Rebase date; repeat, or FACET=DATE.")
    ] = None,
    fix_after: Annotated[int | None, typer.Option(help="Fix limits after n points (≥ 12).")] = None,
    direction: Annotated[str, typer.Option(help="increase, decrease or neutral.")] = "increase",
    target: Annotated[list[str] | None, typer.Option(help="Target, or FACET=VALUE.")] = None,
    trajectory: Annotated[str | None, typer.Option(help="Column with a trajectory.")] = None,
    screen_outliers: Annotated[bool, typer.Option(help="Screen moving-range outliers.")] = True,
    out: Annotated[Path | None, typer.Option(help="Write every point's row to this CSV.")] = None,
    svg: Annotated[Path | None, typer.Option(help="Write the chart (one facet) as SVG.")] = None,
    svg_facet: Annotated[str | None, typer.Option(help="Facet to draw with --svg.")] = None,
) -> None:
    """XmR chart (NHSRplotthedots rules): print the summary per facet and rebase group."""
    from healthgap.evaluation.chart import spc_svg
    from healthgap.evaluation.spc import spc, spc_summary

    df = read_csv(csv)
    targets = _per_facet(target or [], _number, "target")
    rebases = _per_facet(rebase or [], str, "rebase")
    if facet is not None and facet in df.columns:  # FACET=… names as the facet's own values
        by_text = {str(v): v for v in df[facet].dropna().unique()}
        targets, rebases = (
            {by_text.get(k, k): v for k, v in x.items()} if isinstance(x, dict) else x
            for x in (targets, rebases)
        )
    if isinstance(targets, list):
        raise ArgumentError("Give one --target, or one FACET=VALUE per facet.")
    if isinstance(targets, dict) and any(isinstance(v, list) for v in targets.values()):
        raise ArgumentError("Give one target per facet.")
    chart = spc(
        df, value, date, facet_field=facet, rebase=rebases,
        fix_after_n_points=fix_after, improvement_direction=direction, target=targets,
        trajectory=trajectory, screen_outliers=screen_outliers,
    )  # fmt: skip
    summary = spc_summary(chart)
    typer.echo(f"SPC summary: {value}")
    typer.echo(summary.to_string(index=False, na_rep="", float_format=lambda v: f"{v:.4g}"))
    if out:
        chart.to_csv(out, index=False)
        console.print(f"Wrote {len(chart)} rows to {out}")
    if svg:
        facet_value = None
        if svg_facet is not None:
            matches = [f for f in dict.fromkeys(chart["f"]) if str(f) == svg_facet]
            facet_value = matches[0] if matches else svg_facet
        svg.write_text(spc_svg(chart, facet=facet_value), encoding="utf-8")
        console.print(f"Wrote the chart to {svg}")


@app.command("did")
def did_command(
    csv: CsvArg,
    outcome: Annotated[str, typer.Option(help="Outcome column.")],
    unit: Annotated[str, typer.Option(help="Area (unit) column.")],
    time: Annotated[str, typer.Option(help="Period column.")],
    treated: Annotated[str, typer.Option(help="True/false column: area in the programme.")],
    post: Annotated[str, typer.Option(help="True/false column: period after the start.")],
    what: What = None,
    units: Annotated[str, typer.Option(help="Outcome units for the sentence.")] = "points",
    event_study: Annotated[bool, typer.Option(help="Also print the event study.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the event study to this CSV.")] = None,
) -> None:
    """Difference-in-differences with area and period fixed effects, clustered by area."""
    from healthgap.evaluation.did import did
    from healthgap.evaluation.did import event_study as study

    df = read_csv(csv)
    df = df.assign(**{treated: as_bool(df, treated), post: as_bool(df, post)})
    effect = did(df, outcome, unit, time, treated, post, what=what, units=units)
    _print_effect("Difference-in-differences", effect)
    if event_study or out:
        es = study(df, outcome, unit, time, treated, post)
        if event_study:
            typer.echo("Event study (difference from the last period before the start)")
            typer.echo(es.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        if out:
            es.to_csv(out, index=False)
            console.print(f"Wrote the event study to {out}")


@app.command("its")
def its_command(
    csv: CsvArg,
    value: Value,
    date: Date,
    start: Annotated[str, typer.Option(help="Intervention date (first post period).")],
    seasonality: Annotated[str | None, typer.Option(help="month or fourier.")] = None,
    errors: Annotated[str, typer.Option(help="ar1 or newey-west.")] = "ar1",
    what: What = None,
    units: Annotated[str, typer.Option(help="Outcome units for the sentence.")] = "",
    out: Annotated[Path | None, typer.Option(help="Write fitted lines to this CSV.")] = None,
) -> None:
    """Interrupted time series: level and slope change at the start date."""
    from healthgap.evaluation.its import its

    df = read_csv(csv)
    numeric_dates = date in df.columns and df[date].dtype.kind in "if"
    when: object = _number(start) if numeric_dates else start
    result = its(df, value, date, when, seasonality=seasonality, errors=errors, what=what,
                 units=units)  # fmt: skip
    _print_effect("Level change", result.level_change)
    _print_effect("Slope change (per period)", result.slope_change)
    if out:
        result.fitted.to_csv(out, index=False)
        console.print(f"Wrote the fitted lines to {out}")


def _print_effect(title: str, effect) -> None:
    table = Table(title=title)
    for column in ("estimate", "95% CI", "p-value"):
        table.add_column(column)
    table.add_row(f"{effect.estimate:.4g}", f"{effect.lowercl:.4g} to {effect.uppercl:.4g}",
                  f"{effect.p_value:.3g}")  # fmt: skip
    console.print(table)
    console.print(effect.sentence + ".")
    for check in effect.checks:
        console.print(f"  {check.name}: {check.detail}")
