"""Render a profile as HTML or PDF from one Jinja2 template (templates/profile.html).

The PDF is the same HTML laid out by WeasyPrint (A4, print CSS in templates/profile.css), so
the two never drift apart. Charts and the map are inline SVG; nothing needs JavaScript.

    >>> pdf = render_profile("var/results/black-country", "E08000030", fmt="pdf")  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from healthgap.errors import ArgumentError
from healthgap.reports.charts import decile_chart, interval_text, spine_chart
from healthgap.reports.model import Community, Gap, IndicatorLine, Profile
from healthgap.reports.place import Reference
from healthgap.reports.profile import build_profile
from healthgap.reports.svg import format_count, format_value, is_missing

FORMATS = ("html", "pdf")
AREA_LABELS = {
    "lsoa21": "LSOA",
    "msoa21": "MSOA",
    "lad24": "Local authority",
    "icb24": "ICB",
    "england": "England",
    "region": "Region",
}


@cache
def environment() -> Environment:
    """The Jinja2 environment: autoescaped HTML, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("healthgap.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        value=format_value,
        count=format_count,
        interval=interval_text,
        share=lambda v: "*" if is_missing(v) else f"{100 * v:.1f}%",
        area_label=lambda t: AREA_LABELS.get(t, t),
        unit=unit_text,
    )
    env.tests["missing"] = is_missing
    return env


def unit_text(multiplier: float) -> str:
    """The unit of a difference on an indicator's scale: "percentage points", "per 100,000"."""
    if multiplier == 100:
        return "percentage points"
    return f"per {multiplier:,.0f}" if multiplier > 1 else ""


def spine_svg(line: IndicatorLine) -> Markup:
    """The spine chart of one indicator line (charts.spine_chart)."""
    return Markup(
        spine_chart(
            benchmark=line.benchmark,
            spread=line.spread,
            value=line.area.value,
            lowercl=line.area.lowercl,
            uppercl=line.area.uppercl,
            comparison=line.vs_england if line.benchmark_label == "England" else line.vs_icb,
            polarity=line.polarity,
            label=f"Spine chart: {line.name}",
        )
    )


def decile_svg(gap: Gap) -> Markup:
    """The IMD-decile chart of one gap (charts.decile_chart)."""
    label = f"{gap.name} by IMD decile, {gap.measured_in}, {gap.period}"
    return Markup(
        decile_chart(
            list(gap.bars), multiplier=gap.multiplier, highlight=gap.highlight, label=label
        )
    )


def render_html(profile: Profile) -> str:
    """The profile as one self-contained HTML page (CSS inline)."""
    css = resources.files("healthgap.reports").joinpath("templates/profile.css").read_text("utf-8")
    template = environment().get_template("profile.html")
    return template.render(
        p=profile,
        css=Markup(css),
        spine=spine_svg,
        deciles=decile_svg,
        map_svg=Markup(profile.map_svg) if profile.map_svg else None,
        svg=Markup,
    )


def html_to_pdf(html: str) -> bytes:
    """Lay the HTML out as an A4 PDF with WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render_profile(
    results_dir: str | Path,
    area_code: str,
    fmt: str = "pdf",
    policy: str = "public",
    community: Community | None = None,
    *,
    reference: Reference | None = None,
    today: date | None = None,
) -> bytes:
    """The profile of `area_code` as PDF or UTF-8 HTML bytes (the web app's "Download PDF").

    `policy` is the disclosure policy ("public" unless an analyst asks for "none");
    `community` the optional partners/activities/insights section; `reference` the key-facts
    and map data (default: the open-data mirror).
    """
    if fmt not in FORMATS:
        raise ArgumentError(f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.")
    profile = build_profile(
        results_dir, area_code, policy=policy, reference=reference, community=community, today=today
    )
    html = render_html(profile)
    return html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
