"""Learning library pages: list and detail (drafts only for editors), create and edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from healthgap.web.accounts.authorization import Permission, can_edit, require_permission
from healthgap.web.core.forms import submit
from healthgap.web.core.paging import paginate
from healthgap.web.library import actions
from healthgap.web.library.forms import CaseStudyForm
from healthgap.web.library.models import CaseStudy
from healthgap.web.library.permissions import can_create, can_read, readable


def case_study_list(request: HttpRequest) -> HttpResponse:
    case_studies = readable(request.user).select_related("programme")
    tag = request.GET.get("tag", "").strip().lower()
    if tag:
        case_studies = [cs for cs in case_studies if tag in cs.tags]
    page, query = paginate(request, case_studies)
    return render(
        request,
        "library/case_study_list.html",
        {"page": page, "query": query, "tag": tag, "can_create": can_create(request.user)},
    )


def case_study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = get_object_or_404(
        CaseStudy.objects.select_related("programme", "organisation"), pk=pk
    )
    if not can_read(request.user, case_study):
        raise Http404("No such case study.")  # drafts stay invisible to others
    return render(
        request,
        "library/case_study_detail.html",
        {"case_study": case_study, "can_edit": can_edit(request.user, case_study)},
    )


@require_permission(Permission.EDIT_OWN_ORGANISATION)
def case_study_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_create(user):
        raise PermissionDenied("You need to belong to an organisation to write a case study.")
    form = CaseStudyForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: actions.create_case_study(
            by=user, contacts=form.cleaned_data["contacts"], **form.case_study_fields()
        ),
        "Case study saved.",
    )
    if done:
        return done
    return render(request, "library/case_study_form.html", {"form": form, "case_study": None})


@require_permission(Permission.EDIT_OWN_ORGANISATION)
def case_study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = get_object_or_404(CaseStudy, pk=pk)
    user = request.user
    if not can_edit(user, case_study):
        raise PermissionDenied("Only the organisation that wrote this case study can change it.")
    form = CaseStudyForm(request.POST or None, initial=CaseStudyForm.initial_for(case_study))
    done = submit(
        request,
        form,
        lambda: actions.update_case_study(
            by=user,
            case_study=case_study,
            contacts=form.cleaned_data["contacts"],
            **form.case_study_fields(),
        ),
        "Case study saved.",
    )
    if done:
        return done
    return render(request, "library/case_study_form.html", {"form": form, "case_study": case_study})
