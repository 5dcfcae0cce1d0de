"""Introductions: the list (with HTMX status changes in place) and one introduction's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.core.paging import paginate
from healthgap.web.need import actions
from healthgap.web.need.forms import IntroductionChangeForm
from healthgap.web.need.models import Introduction, IntroductionStatus

PAGE_SIZE = 50
_RELATED = ("to_organisation", "to_champion", "from_organisation", "from_user")


@require_permission(Permission.BROKER_INTRODUCTIONS)
def introduction_list(request: HttpRequest) -> HttpResponse:
    rows = Introduction.objects.select_related(*_RELATED)
    status = request.GET.get("status", "")
    if status in IntroductionStatus.values:
        rows = rows.filter(status=status)
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(
        request,
        "need/introduction_list.html",
        {
            "page": page,
            "statuses": IntroductionStatus.choices,
            "selected_status": status,
            "query": query,
        },
    )


@require_permission(Permission.BROKER_INTRODUCTIONS)
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the introduction and its change form; POST: change its status and notes."""
    introduction = get_object_or_404(Introduction.objects.select_related(*_RELATED), pk=pk)
    form = IntroductionChangeForm(request.POST or None, introduction=introduction)
    if request.method == "POST" and form.is_valid():
        actions.change_introduction(
            by=request.user,
            introduction=introduction,
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, "Introduction updated.")
        return redirect("need:introduction-detail", pk=introduction.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "need/introduction_detail.html",
        {"introduction": introduction, "form": form},
        status=status,
    )


@require_permission(Permission.BROKER_INTRODUCTIONS)
@require_POST
def introduction_status(request: HttpRequest, pk: int) -> HttpResponse:
    """POST `status`: move the introduction on. HTMX requests get the updated table row (with
    the error in it if the move is not allowed); others are sent back to the list."""
    introduction = get_object_or_404(Introduction.objects.select_related(*_RELATED), pk=pk)
    error = ""
    try:
        actions.change_introduction(
            by=request.user, introduction=introduction, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "need/includes/introduction_row.html",
            {"introduction": introduction, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("need:introduction-list")
