"""EHIA pages: the guided workflow (prepare, assess, refine and apply, review), the equity
profile from the loaded results, actions with owners and review dates, export (Markdown/CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from healthgap.disclosure import safe_csv_cell
from healthgap.equality.ehia import ORDER, Stage
from healthgap.equality.errors import AssessmentError
from healthgap.errors import HealthgapError
from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.core.forms import submit
from healthgap.web.equality import actions
from healthgap.web.equality.domain import ehia_of
from healthgap.web.equality.forms import (
    EHIAActionForm,
    EHIACreateForm,
    EHIAStageForm,
    MoveForm,
    ProfileForm,
)
from healthgap.web.equality.models import ImpactAssessment
from healthgap.web.equality.permissions import can_change
from healthgap.web.equality.profile import choices, equity_for
from healthgap.web.equality.views.common import (
    changeable,
    download,
    form_page,
    organisation_of,
    readable_or_404,
    refused_as_validation_error,
)


@require_permission(Permission.MANAGE_EQUALITY)
def create(request: HttpRequest) -> HttpResponse:
    form = EHIACreateForm(request.POST or None, user=request.user)

    def write() -> ImpactAssessment:
        data = form.cleaned_data
        return actions.create_ehia(
            by=request.user,
            organisation=organisation_of(form),
            owner=request.user,
            title=data["title"],
            programme=data["programme"],
            service_change=data["service_change"],
        )

    return submit(request, form, write, "EHIA started.") or form_page(
        request, form, "Start an EHIA"
    )


def _stage_initial(ehia: ImpactAssessment) -> dict:
    return {
        "scope": ehia.scope,
        "groups_considered": "\n".join(ehia.groups_considered),
        "review_date": ehia.review_date,
        **ehia.answers,
    }


@require_permission(Permission.VIEW_EQUALITY)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ehia = readable_or_404(request, ImpactAssessment, pk)
    editable = can_change(request.user, ehia.organisation_id)
    form = EHIAStageForm(request.POST or None, stage=ehia.stage, initial=_stage_initial(ehia))
    if request.method == "POST":
        ehia = changeable(request, ImpactAssessment, pk)

        def write() -> ImpactAssessment:
            with refused_as_validation_error(AssessmentError):
                return actions.update_ehia(by=request.user, ehia=ehia, **form.changes())

        if saved := submit(request, form, write, "Saved.", then=ehia):
            return saved
    areas, indicators = choices()
    library = ehia_of(ehia)
    context = {
        "ehia": ehia,
        "library": library,
        "missing": library.missing(),
        "form": form,
        "can_change": editable and ehia.stage != Stage.CLOSED.value,
        "stages": [s.value for s in ORDER],
        "earlier": [s.value for s in ORDER[: ORDER.index(Stage(ehia.stage))]],
        "profile_form": ProfileForm(
            areas=areas,
            indicators=indicators,
            initial={"area": ehia.area_code, "indicators": ehia.indicators},
        ),
        "action_form": EHIAActionForm(organisation=ehia.organisation),
        "actions": ehia.actions.select_related("owner"),
    }
    return render(request, "equality/ehia_detail.html", context)


@require_POST
@require_permission(Permission.MANAGE_EQUALITY)
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    ehia = changeable(request, ImpactAssessment, pk)
    areas, indicators = choices()
    form = ProfileForm(request.POST, areas=areas, indicators=indicators)
    if form.is_valid():
        data = form.cleaned_data
        try:
            pulled = equity_for(data["indicators"], data["area"], data["need"], data["uptake"])
            actions.pull_profile(
                by=request.user,
                ehia=ehia,
                profile=pulled,
                indicators=data["indicators"],
                area_code=data["area"],
            )
        except HealthgapError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Equity profile pulled from the loaded results.")
    else:
        messages.error(request, "Choose an area and at least one indicator.")
    return redirect(ehia)


@require_POST
@require_permission(Permission.MANAGE_EQUALITY)
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    ehia = changeable(request, ImpactAssessment, pk)
    form = EHIAActionForm(request.POST, organisation=ehia.organisation)
    if form.is_valid():
        try:
            actions.add_ehia_action(by=request.user, ehia=ehia, **form.cleaned_data)
        except (AssessmentError, ValidationError) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "Action added.")
    else:
        messages.error(request, "The action needs a description, an owner and a due date.")
    return redirect(ehia)


@require_POST
@require_permission(Permission.MANAGE_EQUALITY)
def move(request: HttpRequest, pk: int) -> HttpResponse:
    ehia = changeable(request, ImpactAssessment, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose where the EHIA should go.")
        return redirect(ehia)
    data = form.cleaned_data
    try:
        if data["direction"] == "advance":
            actions.advance_ehia(by=request.user, ehia=ehia, on=date.today(), note=data["note"])
        else:
            actions.return_ehia(
                by=request.user, ehia=ehia, stage=data["stage"], on=date.today(), note=data["note"]
            )
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The EHIA is now at the {ehia.stage} stage.")
    return redirect(ehia)


def _csv(ehia: ImpactAssessment) -> bytes:
    """The EHIA as CSV rows (section, item, value, owner, due, review_on, done); every cell
    through `safe_csv_cell`, so an answer starting with "=" is not a spreadsheet formula."""
    data = ehia_of(ehia).export()
    rows = [["section", "item", "value", "owner", "due", "review_on", "done"]]
    rows += [
        ["assessment", key, data[key] or "", "", "", "", ""]
        for key in ("id", "title", "owner", "scope", "stage", "review_date")
    ]
    rows += [
        ["answer", item["question"], item["answer"], "", "", "", ""] for item in data["answers"]
    ]
    rows += [
        [
            "action",
            "",
            a["description"],
            a["owner"],
            a["due"],
            a["review_on"] or "",
            "yes" if a["done"] else "no",
        ]
        for a in data["actions"]
    ]
    out = io.StringIO()
    csv.writer(out).writerows([[safe_csv_cell(cell) for cell in row] for row in rows])
    return out.getvalue().encode("utf-8")


@require_permission(Permission.VIEW_EQUALITY)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    ehia = readable_or_404(request, ImpactAssessment, pk)
    if request.GET.get("format") == "csv":
        body, fmt = _csv(ehia), "csv"
    else:
        body, fmt = ehia_of(ehia).markdown().encode("utf-8"), "md"
    return download(
        request,
        ehia,
        body,
        what=f"the EHIA {ehia.title}",
        fmt=fmt,
        policy="public",
        name=f"ehia-{ehia.pk}.{fmt}",
    )
