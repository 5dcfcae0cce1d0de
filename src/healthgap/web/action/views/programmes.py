"""Programme pages: a public list and detail (counts: cells of the protected reach and insight
tables, `healthgap.web.action.published`); create and edit for the lead organisation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from healthgap.web.accounts.authorization import Permission, can_edit, require_permission
from healthgap.web.action import actions
from healthgap.web.action.areas import area_names
from healthgap.web.action.evaluation import evaluation_context
from healthgap.web.action.forms import ProgrammeForm
from healthgap.web.action.models import Programme
from healthgap.web.action.permissions import can_create_programme, can_record
from healthgap.web.action.published import (
    activity_reached,
    cell,
    exact_for,
    insight_table,
    reach_groups,
    reach_table,
)
from healthgap.web.action.vocab import ProgrammeKind, ProgrammeStatus, Theme
from healthgap.web.core.forms import submit
from healthgap.web.core.paging import paginate
from healthgap.web.disclosure import policy_for


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = (
        Programme.objects.select_related("lead_organisation")
        .annotate(activity_count=Count("activities"))
        .order_by("name", "id")
    )
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if kind in ProgrammeKind.values:
        programmes = programmes.filter(kind=kind)
    if status in ProgrammeStatus.values:
        programmes = programmes.filter(status=status)
    page, query = paginate(request, programmes)
    return render(
        request,
        "action/programme_list.html",
        {
            "page": page,
            "query": query,
            "kinds": ProgrammeKind.choices,
            "statuses": ProgrammeStatus.choices,
            "selected_kind": kind,
            "selected_status": status,
            "can_create": can_create_programme(request.user),
        },
    )


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.select_related("lead_organisation").prefetch_related("partners"), pk=pk
    )
    user = request.user
    activities = list(programme.activities.all())
    reach, insights = reach_table(), insight_table()
    exact = exact_for(user, activities)
    names = area_names(programme.target_areas)
    reached = [
        (a, activity_reached(reach, a.pk, exact=exact or exact_for(user, [a]))) for a in activities
    ]
    themes = [
        (label, cell(insights, ("ip", programme.pk, theme), exact=exact))
        for theme, label in Theme.choices
        if ("ip", programme.pk, theme) in insights
    ]
    return render(
        request,
        "action/programme_detail.html",
        {
            "programme": programme,
            "target_areas": [(code, names.get(code, "")) for code in programme.target_areas],
            "activities": reached,
            "reach_groups": reach_groups(reach, "p", programme.pk, exact=exact),
            "insight_themes": themes,
            "can_edit": can_edit(user, programme),
            "can_record": can_record(user, programme),
            **evaluation_context(programme, policy_for(user)),
        },
    )


@require_permission(Permission.EDIT_OWN_ORGANISATION)
def programme_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_create_programme(user):
        raise PermissionDenied("You need to belong to an organisation to start a programme.")
    form = ProgrammeForm(request.POST or None, user=user)

    def create() -> Programme:
        fields = form.programme_fields()
        fields.setdefault("lead_organisation", user.organisation)
        return actions.create_programme(by=user, partners=form.cleaned_data["partners"], **fields)

    if done := submit(request, form, create, "Programme saved."):
        return done
    return render(request, "action/programme_form.html", {"form": form, "programme": None})


@require_permission(Permission.EDIT_OWN_ORGANISATION)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    user = request.user
    if not can_edit(user, programme):
        raise PermissionDenied("Only the lead organisation can change this programme.")
    form = ProgrammeForm(
        request.POST or None, user=user, initial=ProgrammeForm.initial_for(programme)
    )
    done = submit(
        request,
        form,
        lambda: actions.update_programme(
            by=user,
            programme=programme,
            partners=form.cleaned_data["partners"],
            **form.programme_fields(),
        ),
        "Programme saved.",
    )
    if done:
        return done
    return render(request, "action/programme_form.html", {"form": form, "programme": programme})
