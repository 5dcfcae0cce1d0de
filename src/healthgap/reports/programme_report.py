"""The programme report: a programme's monitoring, evaluation and equity impact as HTML or PDF.

One Jinja2 template (templates/programme.html, with the profiles' stylesheet) for both formats,
filled from `programme.programme_evaluation` (whose numbers have passed disclosure control under
`policy`); the PDF is the HTML laid out by WeasyPrint, as for profiles.

    >>> pdf = render_programme("var/results/black-country", spec, fmt="pdf")  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from healthgap.disclosure import get_policy
from healthgap.errors import ArgumentError
from healthgap.indicators.store import open_results
from healthgap.reports.profile import _rule_text
from healthgap.reports.programme import ProgrammeEvaluation, ProgrammeSpec, programme_evaluation
from healthgap.reports.render import FORMATS, environment, html_to_pdf


def render_evaluation_html(evaluation: ProgrammeEvaluation, *, version: str, today: date) -> str:
    """The report of an assembled evaluation as one self-contained HTML page (CSS inline)."""
    css = resources.files("healthgap.reports").joinpath("templates/profile.css").read_text("utf-8")
    series = evaluation.series
    rows = []
    if not series.empty:
        step = "%Y-%m" if series["period_start"].diff().dt.days.median() < 40 else "%Y-%m (3m)"
        rows = [
            {"period": pd.Timestamp(r.period_start).strftime(step), "numerator": r.numerator,
             "denominator": r.denominator, "value": r.value}
            for r in series.itertuples(index=False)
        ]  # fmt: skip
    return (
        environment()
        .get_template("programme.html")
        .render(
            e=evaluation,
            css=Markup(css),
            svg=Markup,
            rows=rows,
            version=version,
            today=today,
            rule=_rule_text(get_policy(evaluation.policy)),
        )
    )


def render_programme(
    results_dir: str | Path,
    spec: ProgrammeSpec,
    fmt: str = "pdf",
    policy: str = "public",
    *,
    areas: pd.DataFrame | None = None,
    today: date | None = None,
) -> bytes:
    """The programme report of `spec` as PDF or UTF-8 HTML bytes (the programme page's
    "Download programme report (PDF)"). `policy`: "public" unless an analyst asks for "none"."""
    if fmt not in FORMATS:
        raise ArgumentError(f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.")
    evaluation = programme_evaluation(results_dir, spec, policy=policy, areas=areas)
    version = open_results(results_dir).version
    html = render_evaluation_html(evaluation, version=version, today=today or date.today())
    return html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
