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
from healthgap.web.need.brokering import candidates, cold_spots, default_languages, reach
from healthgap.web.need.figures import figure, hidden_for
from healthgap.web.need.forms import IntroductionForm
from healthgap.web.need.models import Indicator, Introduction, Priority

PAGE_SIZE = 50


def priority_list(request: HttpRequest) -> HttpResponse:
    """Ranked priorities, filtered by indicator, Core20 and group type."""
    rows = Priority.objects.select_related("indicator", "area")
    indicator = request.GET.get("indicator", "")
    if indicator:
        rows = rows.filter(indicator_id=indicator)
    if request.GET.get("core20") == "1":
        rows = rows.filter(core20=True)
    group_types = sorted(set(Priority.objects.values_list("category_type", flat=True)))
    group_type = request.GET.get("group_type", "")
    if group_type in group_types:
        rows = rows.filter(category_type=group_type)
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(
        request,
        "need/priority_list.html",
        {
            "page": page,
            "rows": [
                (p, figure(p, request.user, unit=p.indicator.unit), _explanation(p, request.user))
                for p in page
            ],
            "indicators": Indicator.objects.all(),
            "selected_indicator": indicator,
            "group_types": group_types,
            "selected_group_type": group_type,
            "core20": request.GET.get("core20") == "1",
            "query": query,
        },
    )


def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A priority; brokers also see who can reach it and record introductions."""
    priority = get_object_or_404(Priority.objects.select_related("indicator", "area"), pk=pk)
    return _detail(request, priority)


@require_permission(Permission.BROKER_INTRODUCTIONS)
def introduction_create(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: record a proposed introduction for the priority."""
    priority = get_object_or_404(Priority.objects.select_related("indicator", "area"), pk=pk)
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
    return render(request, "need/cold_spots.html", {"spots": cold_spots(request.user)})


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


def _explanation(priority: Priority, user: Any) -> str:
    return "" if hidden_for(user, priority.counts) else priority.explanation
