"""Maturity pages: self-assess against a shipped framework, moderation by a second person,
progress over time and the radar chart (the library's SVG)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from healthgap.equality.errors import AssessmentError
from healthgap.equality.maturity import progress
from healthgap.equality.radar import radar_svg
from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.core.forms import submit
from healthgap.web.equality import actions
from healthgap.web.equality.domain import maturity_assessment, shipped_frameworks
from healthgap.web.equality.forms import MaturityForm, ModerationForm
from healthgap.web.equality.models import MaturityAssessment
from healthgap.web.equality.permissions import can_change
from healthgap.web.equality.views.common import (
    changeable,
    form_page,
    organisation_of,
    readable_or_404,
    refused_as_validation_error,
)


@require_permission(Permission.MANAGE_EQUALITY)
def create(request: HttpRequest) -> HttpResponse:
    frameworks = shipped_frameworks()
    chosen = request.GET.get("framework") or request.POST.get("framework")
    if chosen not in frameworks:
        return render(request, "equality/maturity_pick.html", {"frameworks": frameworks.values()})
    framework = frameworks[chosen]
    form = MaturityForm(
        request.POST or None,
        user=request.user,
        framework=framework,
        initial={"assessed_on": date.today().isoformat()},
    )

    def write() -> MaturityAssessment:
        organisation = organisation_of(form)
        with refused_as_validation_error(AssessmentError):
            return actions.create_self_assessment(
                by=request.user,
                organisation=organisation,
                framework=framework.id,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
            )

    if saved := submit(request, form, write, "Self-assessment saved."):
        return saved
    return render(request, "equality/maturity_form.html", {"form": form, "framework": framework})


@require_permission(Permission.VIEW_EQUALITY)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = readable_or_404(request, MaturityAssessment, pk)
    framework = shipped_frameworks().get(record.framework)
    if framework is None:
        raise Http404("This framework is no longer shipped.")
    history = MaturityAssessment.objects.filter(
        organisation_id=record.organisation_id,
        framework=record.framework,
        assessed_on__lte=record.assessed_on,
    ).select_related("assessor", "moderator", "organisation")
    assessments = [maturity_assessment(r) for r in history]
    this = maturity_assessment(record)
    series = {
        f"{a.assessed_on}{' (moderated)' if a.moderation else ''}": a.levels()
        for a in sorted(assessments, key=lambda a: a.assessed_on)[-3:]
    }
    names = {d.id: d.name for d in framework.dimensions}
    table = progress(assessments)
    table["dimension_name"] = table["dimension"].map(names)
    rows = [
        {
            "dimension": d,
            "level": r.level,
            "evidence": r.evidence,
            "final": this.levels()[r.dimension],
        }
        for r in this.ratings
        for d in [names[r.dimension]]
    ]
    context = {
        "record": record,
        "framework": framework,
        "rows": rows,
        "radar": mark_safe(radar_svg(framework, series, title=framework.name)),  # our SVG
        "progress": table.to_dict("records"),
        "can_moderate": can_change(request.user, record.organisation_id)
        and not record.moderated
        and record.assessor_id != request.user.pk,
    }
    return render(request, "equality/maturity_detail.html", context)


@require_permission(Permission.MANAGE_EQUALITY)
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    record = changeable(request, MaturityAssessment, pk)
    framework = shipped_frameworks()[record.framework]
    initial = {f"level_{k}": v["level"] for k, v in record.ratings.items()}
    form = ModerationForm(
        request.POST or None,
        framework=framework,
        initial=initial | {"moderated_on": date.today().isoformat()},
    )

    def write() -> MaturityAssessment:
        with refused_as_validation_error(AssessmentError):
            if record.moderated:
                raise AssessmentError("This self-assessment is already moderated.")
            return actions.moderate_assessment(
                by=request.user,
                assessment=record,
                moderated_on=form.cleaned_data["moderated_on"],
                levels=form.levels(),
                notes=form.cleaned_data["notes"],
            )

    return submit(request, form, write, "Moderation saved.", then=record) or form_page(
        request, form, f"Moderate: {framework.name}", back=record
    )
