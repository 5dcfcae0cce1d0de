"""EDS 2022 pages: start a year, grade services (domain 1) and outcomes 2A-3C with evidence and
stakeholders, the domain and overall ratings, the action plan, year-on-year comparison, and
the published summary (public once published) with its PDF."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from healthgap.equality.eds import OUTCOMES, compare
from healthgap.reports.equality import render_eds
from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.core.forms import submit
from healthgap.web.equality import actions
from healthgap.web.equality.domain import eds_or_problem
from healthgap.web.equality.forms import (
    EDS_OUTCOME_CHOICES,
    EDSCreateForm,
    EDSOutcomeForm,
    EDSServiceForm,
    valid_outcome,
)
from healthgap.web.equality.models import EDSReturn
from healthgap.web.equality.permissions import can_change, can_read
from healthgap.web.equality.views.common import (
    changeable,
    download,
    form_page,
    organisation_of,
    plan_action_page,
    readable_or_404,
)


@require_permission(Permission.MANAGE_EQUALITY)
def create(request: HttpRequest) -> HttpResponse:
    form = EDSCreateForm(request.POST or None, user=request.user)

    def write() -> EDSReturn:
        organisation = organisation_of(form)
        year = form.cleaned_data["year"]
        return actions.create_eds(by=request.user, organisation=organisation, year=year)

    return submit(request, form, write, "EDS 2022 started.") or form_page(
        request, form, "Start an EDS 2022"
    )


def _previous(eds: EDSReturn):
    earlier = EDSReturn.objects.filter(organisation_id=eds.organisation_id, year__lt=eds.year)
    for candidate in earlier.order_by("-year"):
        assessment, _ = eds_or_problem(candidate)
        if assessment is not None:
            return assessment
    return None


@require_permission(Permission.VIEW_EQUALITY)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    eds = readable_or_404(request, EDSReturn, pk)
    assessment, missing = eds_or_problem(eds)
    graded = {o.code: o for o in eds.outcomes.all()}
    comparison = None
    previous = _previous(eds) if assessment is not None else None
    if previous is not None:
        comparison = compare(previous, assessment).to_dict("records")
    context = {
        "eds": eds,
        "assessment": assessment,
        "missing": missing,
        "summary": assessment.summary() if assessment else None,
        "outcomes": [
            (code, OUTCOMES[code], graded.get(code)) for code in OUTCOMES if valid_outcome(code)
        ],
        "services": eds.services.all(),
        "actions": eds.actions.all(),
        "comparison": comparison,
        "previous_year": previous.year if previous else "",
        "can_change": can_change(request.user, eds.organisation_id),
    }
    return render(request, "equality/eds_detail.html", context)


@require_permission(Permission.MANAGE_EQUALITY)
def service_add(request: HttpRequest, pk: int) -> HttpResponse:
    eds = changeable(request, EDSReturn, pk)
    form = EDSServiceForm(request.POST or None)

    def write() -> object:
        return actions.add_eds_service(by=request.user, eds=eds, **form.cleaned_data)

    return submit(request, form, write, "Service graded.", then=eds) or form_page(
        request, form, "Grade a service (domain 1)", back=eds
    )


@require_permission(Permission.MANAGE_EQUALITY)
def outcome(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    eds = changeable(request, EDSReturn, pk)
    if not valid_outcome(code):
        raise Http404("Outcomes 2A to 3C are graded here; 1A to 1D are graded per service.")
    current = eds.outcomes.filter(code=code).first()
    initial = (
        {"grade": current.grade, "evidence": current.evidence, "stakeholders": current.stakeholders}
        if current
        else {}
    )
    form = EDSOutcomeForm(request.POST or None, initial=initial)

    def write() -> object:
        return actions.grade_outcome(by=request.user, eds=eds, code=code, **form.cleaned_data)

    return submit(request, form, write, f"Outcome {code} graded.", then=eds) or form_page(
        request, form, f"Grade {code}: {OUTCOMES[code]}", back=eds
    )


@require_permission(Permission.MANAGE_EQUALITY)
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    eds = changeable(request, EDSReturn, pk)
    add = partial(actions.add_eds_action, eds=eds)
    title = f"Add an EDS {eds.year} action"
    return plan_action_page(
        request, eds, add, target="outcome", choices=EDS_OUTCOME_CHOICES, title=title
    )


@require_POST
@require_permission(Permission.MANAGE_EQUALITY)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    eds = changeable(request, EDSReturn, pk)
    publish_it = request.POST.get("published") == "yes"
    assessment, missing = eds_or_problem(eds)
    if publish_it and assessment is None:
        messages.error(request, f"Not published: {missing}")
    else:
        actions.set_eds_published(by=request.user, eds=eds, published=publish_it)
        messages.success(request, "Summary published." if publish_it else "Summary withdrawn.")
    return redirect(eds)


def _summary_or_404(request: HttpRequest, pk: int) -> tuple[EDSReturn, object]:
    """A published summary is public; an unpublished one only for its readers."""
    eds = get_object_or_404(EDSReturn.objects.select_related("organisation"), pk=pk)
    if not eds.published and not can_read(request.user, eds.organisation_id):
        raise Http404("No such EDS summary.")
    assessment, missing = eds_or_problem(eds)
    if assessment is None:
        raise Http404(f"The EDS is not complete yet: {missing}")
    return eds, assessment


def summary(request: HttpRequest, pk: int) -> HttpResponse:
    eds, assessment = _summary_or_404(request, pk)
    return render(request, "equality/eds_summary.html", {"eds": eds, "s": assessment.summary()})


def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary as PDF (or HTML); an anonymous download of a published summary is not
    audit-logged (no actor: the audit log records people and named jobs only)."""
    eds, assessment = _summary_or_404(request, pk)
    fmt = "html" if request.GET.get("format") == "html" else "pdf"
    body = render_eds(assessment, fmt)
    name = f"eds-{eds.year.replace('/', '-')}.{fmt}"
    if request.user.is_authenticated:
        return download(
            request,
            eds,
            body,
            what=f"the EDS {eds.year} summary",
            fmt=fmt,
            policy="public",
            name=name,
        )
    response = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else "text/html")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
