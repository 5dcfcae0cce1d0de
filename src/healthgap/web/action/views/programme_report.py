"""The programme report: a programme's monitoring, evaluation and equity impact as PDF (or HTML
with ?format=html), a click away from its page. The figures pass disclosure control under the
viewer's policy (public; none for analysts). A signed-in download is audit-logged as an export;
an anonymous one has no actor to log (as the EDS summary)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from healthgap.errors import HealthgapError
from healthgap.indicators.store import open_results
from healthgap.reports.programme_report import render_evaluation_html
from healthgap.reports.render import html_to_pdf
from healthgap.web.action import actions
from healthgap.web.action.evaluation import evaluation_for, results_root
from healthgap.web.action.models import Programme
from healthgap.web.disclosure import policy_for

CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def programme_report(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    fmt = "html" if request.GET.get("format") == "html" else "pdf"
    policy = policy_for(request.user)
    found = evaluation_for(programme, policy)
    html = render_evaluation_html(found, version=_version(), today=date.today())
    body = html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    if request.user.is_authenticated:
        actions.record_programme_report(
            by=request.user, programme=programme, fmt=fmt, policy=policy
        )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "html" else "attachment"
    name = f"programme-{programme.pk}-{slugify(programme.name)[:60]}.{fmt}"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _version() -> str:
    """The live version of the loaded results store, or "none loaded"."""
    root = results_root()
    try:
        return open_results(root).version if root is not None else "none loaded"
    except HealthgapError:
        return "none loaded"
