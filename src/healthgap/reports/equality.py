"""WRES and EDS 2022 reports as HTML and PDF (the web app's "Download PDF", and
`healthgap equality report`).

The WRES report follows the standard's own layout: the indicator table (value, 95% limits and
the counts behind it), narrative prompts with the organisation's answers, and the action plan.
The EDS report is the published summary: outcome grades, domain and overall ratings, actions.

Small numbers (`policy="public"`, the default, `healthgap.disclosure.get_policy`): each
indicator's counts go through `protect_table` with the sums they are published with (a band's
headcount is the sum of its groups' counts; shortlisted = appointed + not appointed, and so on),
so counts of 1-7 are hidden, with enough complements that none can be worked back, and the rest
are rounded to 5. Every value is then recomputed from the published counts, as the policy says
(a value whose counts are hidden is hidden too, "*"). Survey figures (5-8) are hidden where a
group had 1-7 respondents. `policy="none"` (analysts) shows everything as computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from markupsafe import Markup

from healthgap.disclosure import Relation, get_policy, protect_table
from healthgap.equality.eds import EDSAssessment
from healthgap.equality.wres import (
    NON_ADVERSE_RANGE,
    proportion_difference,
    relative_likelihood,
    wres_indicators,
)
from healthgap.errors import ArgumentError
from healthgap.reports.equality_chart import trend_svg
from healthgap.reports.render import FORMATS, environment, html_to_pdf
from healthgap.stats import proportion

#: The narrative prompts of the WRES report (our summary of the questions trusts answer in
#: their published WRES reports; key -> prompt).
NARRATIVE_PROMPTS = {
    "context": "What does the data say about the organisation this year, and what has changed "
    "since last year?",
    "recruitment": "What explains the gap in appointment from shortlisting (indicator 2), "
    "and what is being done about it?",
    "disciplinary": "What explains the likelihood of entering a formal disciplinary process "
    "(indicator 3)?",
    "experience": "What do the Staff Survey indicators (5-8) say about BME staff's experience?",
    "board": "How does the board compare with the workforce (indicator 9), and what is the plan?",
}
TITLES = {
    "1": "Percentage of BME staff in each band compared with the workforce",
    "2": "Relative likelihood of White applicants being appointed from shortlisting compared "
    "with BME applicants",
    "3": "Relative likelihood of BME staff entering the formal disciplinary process compared "
    "with White staff",
    "4": "Relative likelihood of White staff accessing non-mandatory training and CPD compared "
    "with BME staff",
    "5": "Staff experiencing harassment, bullying or abuse from patients, relatives or the "
    "public (BME minus White)",
    "6": "Staff experiencing harassment, bullying or abuse from staff (BME minus White)",
    "7": "Staff believing the organisation provides equal opportunities for career "
    "progression or promotion (BME minus White)",
    "8": "Staff personally experiencing discrimination at work from a manager, team leader or "
    "colleague (BME minus White)",
    "9": "BME share of the board minus BME share of the workforce",
}
_GROUPS = ("white", "bme", "unknown")


@dataclass(frozen=True)
class WRESLine:
    """One row of the indicator table as published (NaN: hidden or not computed)."""

    indicator: str
    title: str
    label: str
    statistic: str
    value: float
    lowercl: float
    uppercl: float
    counts: dict[str, float | None]
    non_adverse: bool | None
    reason: str


@dataclass(frozen=True)
class WRESReport:
    organisation: str
    year: str
    policy: str
    lines: tuple[WRESLine, ...]
    narrative: dict[str, str] = field(default_factory=dict)
    actions: tuple[dict, ...] = ()
    hidden: int = 0
    #: indicators 2-4 of every year up to `year` as published: year, indicator, value, limits
    trend: tuple[dict, ...] = ()


def _protect(counts: dict[str, float], relations: list[Relation], policy: str) -> dict:
    present = {k: v for k, v in counts.items() if not math.isnan(v)}
    if not present:
        return counts
    table = protect_table(pd.Series(present), relations, policy)
    return {k: float(table.loc[k, "published"]) if k in present else math.nan for k in counts}


def _published_counts(row: pd.Series, policy: str) -> dict[str, float]:
    """The row's counts after the policy (rounded; NaN when hidden), complements protected."""
    raw = {
        f"{g}_{p}": float(row[f"{g}_{p}"]) for g in _GROUPS for p in ("numerator", "denominator")
    }
    ind = row["indicator"]
    if ind in ("2", "3", "4"):
        cells, relations = {}, []
        for g in ("white", "bme"):
            x, n = raw[f"{g}_numerator"], raw[f"{g}_denominator"]
            cells |= {f"{g}_numerator": x, f"{g}_denominator": n, f"{g}_rest": n - x}
            relations.append(Relation(f"{g}_denominator", (f"{g}_numerator", f"{g}_rest")))
        out = _protect(cells, relations, policy)
    elif ind in ("1", "9"):
        total = next(
            (raw[f"{g}_denominator"] for g in _GROUPS if not math.isnan(raw[f"{g}_denominator"])),
            math.nan,
        )
        cells = {f"{g}_numerator": raw[f"{g}_numerator"] for g in _GROUPS} | {"total": total}
        parts = tuple(k for k, v in cells.items() if k != "total" and not math.isnan(v))
        out = _protect(cells, [Relation("total", parts)], policy)
        out |= {f"{g}_denominator": out["total"] for g in _GROUPS}
    else:  # survey: respondents are the denominators
        cells = {f"{g}_denominator": raw[f"{g}_denominator"] for g in ("white", "bme")}
        out = _protect(cells, [], policy)
    return {k: out.get(k, math.nan) for k in raw}


def _missing(*values: float) -> bool:
    return any(math.isnan(v) for v in values)


def _recompute(row: pd.Series, c: dict[str, float], workforce: tuple[float, float]) -> tuple:
    """(value, lowercl, uppercl, reason) from the published counts."""
    ind = row["indicator"]
    wx, wn, bx, bn = (
        c["white_numerator"],
        c["white_denominator"],
        c["bme_numerator"],
        c["bme_denominator"],
    )
    if ind in ("2", "3", "4"):
        if _missing(wx, wn, bx, bn):
            return math.nan, math.nan, math.nan, "hidden: a count behind it is 1 to 7"
        a, n1, b, n2 = (bx, bn, wx, wn) if ind == "3" else (wx, wn, bx, bn)
        rl = relative_likelihood(a, n1, b, n2)
        return rl.value, rl.lowercl, rl.uppercl, rl.reason
    if ind == "1":
        if _missing(bx, bn) or bn <= 0:
            return math.nan, math.nan, math.nan, "hidden: a count behind it is 1 to 7"
        ci = proportion(pd.DataFrame({"x": [bx], "n": [bn]}), "x", "n", multiplier=100)
        return float(ci["value"][0]), float(ci["lowercl"][0]), float(ci["uppercl"][0]), ""
    if ind == "9":
        if _missing(bx, bn, *workforce) or bn <= 0:
            return math.nan, math.nan, math.nan, "hidden: a count behind it is 1 to 7"
        diff = proportion_difference(bx, bn, workforce[0], workforce[1])
        return 100 * diff.value, 100 * diff.lowercl, 100 * diff.uppercl, diff.reason
    if _missing(wn, bn) and not (
        math.isnan(row["white_denominator"]) or math.isnan(row["bme_denominator"])
    ):
        return math.nan, math.nan, math.nan, "hidden: a group had 1 to 7 respondents"
    return row["value"], row["lowercl"], row["uppercl"], row["reason"]


def _label(row: pd.Series) -> str:
    if row["indicator"] == "1":
        return f"{row['staff_group'].capitalize()}, band {row['band']}"
    if row["indicator"] == "9":
        return f"Board ({row['staff_group']})"
    return ""


def _year_lines(rows: pd.DataFrame, disclosure: Any) -> tuple[list[WRESLine], int]:
    """The indicator table of one year's rows as published under `disclosure`, and how many
    counts it hides."""
    ones = rows[rows["indicator"] == "1"]
    bands = ones.groupby(["staff_group", "band"])[[f"{g}_denominator" for g in _GROUPS]].first()
    workforce = (float(ones["bme_numerator"].fillna(0).sum()), float(bands.max(axis=1).sum()))
    if disclosure.suppress:
        workforce = tuple(float(v) for v in disclosure.round(pd.Series(workforce).to_numpy()))
    lines, hidden = [], 0
    for _, row in rows.iterrows():
        raw = {
            f"{g}_{p}": float(row[f"{g}_{p}"])
            for g in _GROUPS
            for p in ("numerator", "denominator")
        }
        if disclosure.suppress:
            counts = _published_counts(row, disclosure.name)
            value, lo, hi, reason = _recompute(row, counts, workforce)
            hidden += sum(1 for k, v in counts.items() if math.isnan(v) and not math.isnan(raw[k]))
        else:
            counts, value, lo, hi, reason = (
                raw,
                row["value"],
                row["lowercl"],
                row["uppercl"],
                row["reason"],
            )
        counts = {k: None if math.isnan(raw[k]) else v for k, v in counts.items()}
        inside = row["non_adverse"]
        if row["indicator"] in ("2", "3", "4") and not math.isnan(value):
            inside = bool(NON_ADVERSE_RANGE[0] <= value <= NON_ADVERSE_RANGE[1])
        lines.append(
            WRESLine(
                row["indicator"],
                TITLES[row["indicator"]],
                _label(row),
                row["statistic"],
                value,
                lo,
                hi,
                counts,
                None if math.isnan(value) else inside,
                reason,
            )
        )
    return lines, hidden


def wres_report(
    results: pd.DataFrame,
    organisation: str,
    year: str,
    *,
    policy: str = "public",
    narrative: dict[str, str] | None = None,
    actions: tuple[dict, ...] = (),
) -> WRESReport:
    """The WRES report of one year from `wres_indicators` output (all years may be given).

    `trend` holds indicators 2-4 of every year up to `year` (years sort as text: "2024" <
    "2025"), each as published under the same policy, for the report's trend chart."""
    disclosure = get_policy(policy)
    years = results["year"].astype(str)
    lines, hidden = _year_lines(results[years == str(year)], disclosure)
    trend = []
    for earlier in sorted(y for y in years.unique() if y <= str(year)):
        published = (
            lines if earlier == str(year) else _year_lines(results[years == earlier], disclosure)[0]
        )
        trend += [
            {
                "year": earlier,
                "indicator": line.indicator,
                "value": line.value,
                "lowercl": line.lowercl,
                "uppercl": line.uppercl,
            }
            for line in published
            if line.indicator in ("2", "3", "4")
        ]
    return WRESReport(
        organisation,
        str(year),
        disclosure.name,
        tuple(lines),
        dict(narrative or {}),
        tuple(actions),
        hidden,
        tuple(trend),
    )


def _number(value: Any, digits: int = 2) -> str:
    """A figure for the tables: "–" when absent (None), "*" when hidden (NaN)."""
    if value is None:
        return "–"
    if isinstance(value, float) and math.isnan(value):
        return "*"
    return f"{value:,.{digits}f}"


def _render(template: str, fmt: str, **context: Any) -> bytes:
    if fmt not in FORMATS:
        raise ArgumentError(f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.")
    template_ = environment().get_template(template)
    html = template_.render(today=date.today(), num=_number, **context)
    return html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")


def render_wres(report: WRESReport, fmt: str = "pdf") -> bytes:
    """The WRES report as PDF or UTF-8 HTML bytes, with the trend chart of `report.trend`
    (`healthgap.reports.equality_chart.trend_svg`) when any value there is published."""
    chart = trend_svg(pd.DataFrame(list(report.trend))) if report.trend else ""
    return _render(
        "equality_wres.html",
        fmt,
        r=report,
        prompts=NARRATIVE_PROMPTS,
        chart=Markup(chart) if chart else None,  # our own SVG, every text escaped
    )


def render_eds(assessment: EDSAssessment, fmt: str = "pdf") -> bytes:
    """The published EDS 2022 summary as PDF or UTF-8 HTML bytes (no small counts: grades)."""
    return _render("equality_eds.html", fmt, s=assessment.summary())


def report_command(
    counts: Annotated[
        Path, typer.Option(help="WRES counts CSV (one year, or with a year column).")
    ],
    out: Annotated[Path, typer.Option(help="Report to write: .pdf or .html.")],
    survey: Annotated[Path | None, typer.Option(help="Staff Survey CSV (indicators 5-8).")] = None,
    organisation: Annotated[str, typer.Option(help="Organisation name for the title.")] = "",
    year: Annotated[str, typer.Option(help="Which year to report (default: the latest).")] = "",
    disclosure: Annotated[
        str, typer.Option(help="Disclosure policy: public (default) or none (analysts only).")
    ] = "public",
) -> None:
    """Write the WRES report (indicator table, narrative prompts, action plan) as PDF or HTML."""
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ArgumentError(f"--out must end in .pdf or .html, not {out.name!r}.")
    results = wres_indicators(counts, survey)
    years = sorted(results["year"].astype(str).unique())
    chosen = year or years[-1]
    if chosen not in years:
        raise ArgumentError(f"{counts} has no rows for {chosen!r}; it has {', '.join(years)}.")
    report = wres_report(results, organisation or "Organisation", chosen, policy=disclosure)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render_wres(report, fmt))
    label = f"WRES {chosen}" if chosen else "WRES"
    typer.echo(f"Wrote the {label} report to {out} ({report.policy} policy).")
