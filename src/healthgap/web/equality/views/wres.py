"""WRES pages: upload (rejected whole with every problem), the indicators, trends, the board
gap, the narrative and action plan, and the report (HTML/PDF, audit-logged)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.equality.errors import ExtractError
from healthgap.reports.equality import NARRATIVE_PROMPTS, render_wres, wres_report
from healthgap.reports.equality_chart import trend_svg
from healthgap.web.accounts.authorization import Permission, has_permission, require_permission
from healthgap.web.core.forms import submit
from healthgap.web.equality import actions
from healthgap.web.equality.domain import read_upload, validated_counts, wres_results, wres_trends
from healthgap.web.equality.forms import (
    WRES_INDICATOR_CHOICES,
    NarrativeForm,
    WRESUploadForm,
)
from healthgap.web.equality.models import WRESReturn
from healthgap.web.equality.permissions import can_change
from healthgap.web.equality.views.common import (
    changeable,
    download,
    form_page,
    organisation_of,
    plan_action_page,
    readable_or_404,
)


@require_permission(Permission.MANAGE_EQUALITY)
def upload(request: HttpRequest) -> HttpResponse:
    form = WRESUploadForm(request.POST or None, request.FILES or None, user=request.user)
    rejected: list[ExtractError] = []  # the library's report of every problem, for the page

    def write() -> WRESReturn:
        organisation = organisation_of(form)
        data = form.cleaned_data
        try:
            frames = {
                name: read_upload(data[name], name) if data.get(name) else None
                for name in ("counts", "workforce", "recruitment", "survey")
            }
            counts_csv, survey_csv = validated_counts(data["year"], **frames)
        except ExtractError as error:
            rejected.append(error)
            raise ValidationError(
                f"{error.source} was rejected whole: {len(error.problems)} "
                "problem(s), listed below. Nothing was saved."
            ) from error
        return actions.upload_wres(
            by=request.user,
            organisation=organisation,
            year=data["year"],
            source="counts" if frames["counts"] is not None else "extracts",
            counts_csv=counts_csv,
            survey_csv=survey_csv,
        )

    saved = f"WRES {request.POST.get('year', '').strip()} return saved."
    return submit(request, form, write, saved) or render(
        request,
        "equality/wres_upload.html",
        {"form": form, "problems": rejected[0] if rejected else None},
    )


def _context(wres: WRESReturn) -> dict:
    history = WRESReturn.objects.filter(organisation_id=wres.organisation_id).order_by("year")
    results = wres_results(history)
    this_year = results[results["year"] == wres.year]
    changes = wres_trends(results)
    return {
        "wres": wres,
        "headline": this_year[this_year["indicator"].isin(["2", "3", "4"])].to_dict("records"),
        "bands": this_year[this_year["indicator"] == "1"].to_dict("records"),
        "survey": this_year[this_year["indicator"].isin(["5", "6", "7", "8"])].to_dict("records"),
        "board": this_year[this_year["indicator"] == "9"].to_dict("records"),
        "trends": changes[changes["indicator"].isin(["2", "3", "4"])].to_dict("records"),
        "chart": trend_svg(results),
        "results": results,
    }


@require_permission(Permission.VIEW_EQUALITY)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    wres = readable_or_404(request, WRESReturn, pk)
    context = _context(wres)
    context.pop("results")
    context |= {
        "can_change": can_change(request.user, wres.organisation_id),
        "prompts": NARRATIVE_PROMPTS,
        "actions": wres.actions.all(),
    }
    return render(request, "equality/wres_detail.html", context)


@require_permission(Permission.MANAGE_EQUALITY)
def narrative(request: HttpRequest, pk: int) -> HttpResponse:
    wres = changeable(request, WRESReturn, pk)
    form = NarrativeForm(request.POST or None, initial=wres.narrative)

    def write() -> WRESReturn:
        return actions.save_narrative(by=request.user, wres=wres, narrative=form.cleaned_data)

    return submit(request, form, write, "Narrative saved.", then=wres) or form_page(
        request, form, f"WRES {wres.year} narrative", back=wres
    )


@require_permission(Permission.MANAGE_EQUALITY)
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    wres = changeable(request, WRESReturn, pk)
    add = partial(actions.add_wres_action, wres=wres)
    title = f"Add a WRES {wres.year} action"
    return plan_action_page(
        request, wres, add, target="indicator", choices=WRES_INDICATOR_CHOICES, title=title
    )


@require_permission(Permission.VIEW_EQUALITY)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The WRES report; public disclosure policy unless an analyst asks for `policy=none`."""
    wres = readable_or_404(request, WRESReturn, pk)
    fmt = "html" if request.GET.get("format") == "html" else "pdf"
    unsuppressed = has_permission(request.user, Permission.VIEW_UNSUPPRESSED)
    policy = "none" if request.GET.get("policy") == "none" and unsuppressed else "public"
    context = _context(wres)
    plan = tuple(
        {
            "indicator": a.indicator,
            "action": a.action,
            "owner": a.owner,
            "due": a.due.isoformat(),
            "done": a.done,
        }
        for a in wres.actions.all()
    )
    built = wres_report(
        context["results"],
        wres.organisation.name,
        wres.year,
        policy=policy,
        narrative=wres.narrative,
        actions=plan,
    )
    body = render_wres(built, fmt)
    return download(
        request,
        wres,
        body,
        what=f"the WRES {wres.year} report",
        fmt=fmt,
        policy=policy,
        name=f"wres-{wres.year}.{fmt}",
    )
