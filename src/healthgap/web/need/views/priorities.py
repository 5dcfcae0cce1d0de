"""Priorities (ranked), the brokering page of one priority, and cold spots."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from healthgap.web.accounts.authorization import Permission, has_permission, require_permission
from healthgap.web.core.paging import paginate
from healthgap.web.directory.models import Community, CommunityKind
from healthgap.web.need import actions
from healthgap.web.need import priority_list as priority_list_rows
from healthgap.web.need.brokering import ColdSpots, candidates, default_languages, reach
from healthgap.web.need.figures import figure, hidden_for, number
from healthgap.web.need.forms import IntroductionForm
from healthgap.web.need.models import Indicator, Introduction, Priority

PAGE_SIZE = 20
"""Entries a page (each with its groups beneath it: about 250 rows on the demo)."""


def priority_list(request: HttpRequest) -> HttpResponse:
    """Ranked priorities: by indicator (an indicator picker; groups nested under their area)
    or combined across indicators with the viewer's weights (docs/priorities.md)."""
    indicators = list(Indicator.objects.order_by("name"))
    ids = [i.id for i in indicators]
    view = request.GET.get("view", "indicator")
    view = view if view in priority_list_rows.VIEWS else "indicator"
    indicator = request.GET.get("indicator", "")
    if view == "indicator" and indicator not in ids:
        indicator = ids[0] if ids else ""
    raw = {i: request.GET.get(f"weight_{i}", "") for i in ids}
    error = ""
    try:
        weights = priority_list_rows.parse_weights(raw, ids)
    except priority_list_rows.WeightError as problem:
        weights, error = {}, str(problem)
    core20 = request.GET.get("core20") == "1"
    rows = priority_list_rows.entries(
        request.user,
        view=view,
        indicator=indicator if view == "indicator" else None,
        weights=weights,
        core20=core20,
    )
    page, query = paginate(request, priority_list_rows.Paged(rows), PAGE_SIZE)
    groups = priority_list_rows.groups_of(request.user, page)
    return render(
        request,
        "need/priority_list.html",
        {
            "page": page,
            "rows": [
                (
                    p,
                    _shown(p, request.user),
                    [(g, _shown(g, request.user)) for g in groups.get(p.pk, [])],
                )
                for p in page
            ],
            "indicators": [(i, raw[i.id], weights.get(i.id, 1.0)) for i in indicators],
            "selected_indicator": indicator,
            "view": view,
            "weight_error": error,
            "core20": core20,
            "query": query,
        },
        status=400 if error else 200,
    )


def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A priority; brokers also see who can reach it and record introductions."""
    priority = get_object_or_404(priority_list_rows.visible(request.user), pk=pk)
    return _detail(request, priority)


@require_permission(Permission.BROKER_INTRODUCTIONS)
def introduction_create(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: record a proposed introduction for the priority (one the broker may see)."""
    priority = get_object_or_404(priority_list_rows.visible(request.user), pk=pk)
    if request.method != "POST":
        return redirect("need:priority-detail", pk=priority.pk)
    found = candidates(priority, languages=_languages(request, priority))
    form = IntroductionForm(request.POST, candidates=found)
    if not form.is_valid():
        return _detail(request, priority, form=form, status=400)
    introduction = actions.propose_introduction(
        by=request.user,
        priority=priority,
        from_organisation=form.cleaned_data["from_organisation"],
        notes=form.cleaned_data["notes"],
        **form.target(),
    )
    messages.success(request, f"Introduction of {introduction.to_name} recorded as proposed.")
    return redirect("need:introduction-detail", pk=introduction.pk)


def cold_spot_list(request: HttpRequest) -> HttpResponse:
    """Priority neighbourhoods with no active partner (docs/need.md), paged."""
    page, query = paginate(request, ColdSpots(request.user), PAGE_SIZE)
    return render(request, "need/cold_spots.html", {"page": page, "query": query})


def _detail(
    request: HttpRequest,
    priority: Priority,
    *,
    form: IntroductionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "priority": priority,
        "figure": figure(priority, request.user, unit=priority.indicator.unit),
        "explanation": _explanation(priority, request.user),
        "benchmark": number(priority.benchmark_value, priority.indicator.unit),
        "headroom": priority.headroom_text,
        "shown_rank": getattr(priority, priority_list_rows.columns_for(request.user).rank),
        "can_broker": has_permission(request.user, Permission.BROKER_INTRODUCTIONS),
    }
    if context["can_broker"]:
        wanted = _languages(request, priority)
        found = candidates(priority, languages=wanted)
        context |= {
            "candidates": found,
            "languages": Community.objects.filter(kind=CommunityKind.LANGUAGE),
            "wanted_languages": set(wanted),
            "form": form or IntroductionForm(candidates=found),
            "introductions": Introduction.objects.filter(
                indicator_id=priority.indicator_id,
                period=priority.period,
                area_code=priority.area_id,
                category_type=priority.category_type,
                category=priority.category,
            ).select_related("to_organisation", "to_champion", "from_organisation"),
        }
    return render(request, "need/priority_detail.html", context, status=status)


def _languages(request: HttpRequest, priority: Priority) -> list[str]:
    """Language codes from the query (`languages`, repeated) or the area's defaults."""
    if "languages" in request.GET:
        return [code for code in request.GET.getlist("languages") if code]
    return default_languages(reach(priority.area))


def _shown(priority: Priority, user: Any) -> dict[str, Any]:
    """The row's figure, headroom text ("102 people (95% CI 67 to 139)") and explanation as
    `user` may see them; a suppressed figure withholds all three."""
    fig = figure(priority, user, unit=priority.indicator.unit)
    hidden = fig is None or fig.suppressed
    return {
        "figure": fig,
        "headroom": "" if hidden else priority.headroom_text,
        "explanation": "" if hidden else _explanation(priority, user),
    }


def _explanation(priority: Priority, user: Any) -> str:
    return "" if hidden_for(user, priority.counts) else priority.explanation
