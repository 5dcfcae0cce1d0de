"""Activity pages: record and change an activity of a programme, with people reached by group
(rows of a formset; HTMX adds rows), and a public detail page whose counts are cells of the
protected reach and insight tables (`healthgap.web.action.published`)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from healthgap.web.accounts.authorization import Permission, can_edit, require_permission
from healthgap.web.action import actions
from healthgap.web.action.areas import area_names
from healthgap.web.action.forms import (
    REACH_PREFIX,
    ActivityForm,
    BaseReachFormSet,
    ReachFormSet,
    reach_formset,
)
from healthgap.web.action.models import Activity, Programme
from healthgap.web.action.permissions import can_record
from healthgap.web.action.published import (
    activity_reached,
    cell,
    exact_for,
    insight_table,
    reach_groups,
    reach_table,
)
from healthgap.web.core.forms import attach_errors


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.select_related("programme", "organisation").prefetch_related("partners"),
        pk=pk,
    )
    user = request.user
    reach, exact = reach_table(), exact_for(user, [activity])
    attendees = None
    if activity.attendees is not None:
        attendees = cell(reach, ("att", activity.pk), exact=exact)
    return render(
        request,
        "action/activity_detail.html",
        {
            "activity": activity,
            "place_name": area_names([activity.lsoa21]).get(activity.lsoa21, ""),
            "people_reached": activity_reached(reach, activity.pk, exact=exact),
            "attendees": attendees,
            "reach_groups": reach_groups(reach, "a", activity.pk, exact=exact),
            "insight_count": cell(insight_table(), ("ia", activity.pk), exact=exact),
            "can_edit": can_edit(user, activity),
        },
    )


def _save(
    request: HttpRequest, form: ActivityForm, formset: BaseReachFormSet, save: Callable
) -> HttpResponse | None:
    """Validate the form and the reach rows, then call `save(fields, reach, partners)`."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    try:
        activity = save(form.activity_fields(), formset.reach(), form.cleaned_data["partners"])
    except ValidationError as error:
        attach_errors(form, error)
        return None
    messages.success(request, "Activity saved.")
    return redirect(activity)


@require_permission(Permission.RECORD_ACTIVITY)
def activity_create(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=programme_pk)
    user = request.user
    if not can_record(user, programme):
        raise PermissionDenied("Your organisation is not part of this programme.")
    form = ActivityForm(request.POST or None)
    formset = reach_formset(request.POST or None)
    if request.method == "POST":
        done = _save(
            request,
            form,
            formset,
            lambda fields, reach, partners: actions.create_activity(
                by=user, programme=programme, reach=reach, partners=partners, **fields
            ),
        )
        if done:
            return done
    return render(
        request,
        "action/activity_form.html",
        {"form": form, "formset": formset, "programme": programme, "activity": None},
    )


@require_permission(Permission.RECORD_ACTIVITY)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("programme"), pk=pk)
    user = request.user
    if not can_edit(user, activity):
        raise PermissionDenied("Only the organisation that recorded this activity can change it.")
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_for(activity))
    formset = reach_formset(request.POST or None, activity=activity)
    if request.method == "POST":
        done = _save(
            request,
            form,
            formset,
            lambda fields, reach, partners: actions.update_activity(
                by=user, activity=activity, reach=reach, partners=partners, **fields
            ),
        )
        if done:
            return done
    return render(
        request,
        "action/activity_form.html",
        {"form": form, "formset": formset, "programme": activity.programme, "activity": activity},
    )


@require_permission(Permission.RECORD_ACTIVITY)
def reach_row(request: HttpRequest) -> HttpResponse:
    """HTMX: one more blank reach row, numbered after the rows on the page, and the formset's
    TOTAL_FORMS field (swapped out of band) counting it."""
    try:
        index = int(request.GET.get(f"{REACH_PREFIX}-TOTAL_FORMS", ""))
    except ValueError:
        index = 0
    index = min(max(index, 0), ReachFormSet.max_num)
    formset = ReachFormSet(prefix=REACH_PREFIX)
    row = formset.empty_form  # carries the formset's "remove" checkbox
    row.prefix = formset.add_prefix(index)
    return render(
        request,
        "action/includes/reach_row.html",
        {"row": row, "number": index + 1, "total_forms": index + 1, "oob": True},
    )
