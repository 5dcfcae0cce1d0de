"""The public directory (search and organisation pages) and editing organisations."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from healthgap.web.accounts.authorization import Permission, can_edit, require_permission
from healthgap.web.core.paging import paginate
from healthgap.web.directory import actions
from healthgap.web.directory.areas import area_name
from healthgap.web.directory.forms import OrganisationForm
from healthgap.web.directory.models import (
    Community,
    CommunityKind,
    Organisation,
    OrganisationKind,
    Service,
)
from healthgap.web.directory.queries import DirectoryFilter, area_problem, search_organisations
from healthgap.web.directory.views._guards import edit_denied, posted
from healthgap.web.disclosure import suppress


def organisation_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the directory; HTMX requests get just the results."""
    spec = DirectoryFilter(
        **{
            name: request.GET.get(name, "").strip()
            for name in ("search", "kind", "community", "language", "area")
        }
    )
    organisations = search_organisations(spec).prefetch_related(
        Prefetch("communities", queryset=Community.objects.order_by("kind", "position")),
        Prefetch("services", queryset=Service.objects.only("name", "organisation_id")),
    )
    page, query = paginate(request, organisations)
    context = {
        "page": page,
        "query": query,
        "spec": spec,
        "kinds": OrganisationKind.choices,
        "communities": Community.objects.exclude(kind=CommunityKind.LANGUAGE),
        "languages": Community.objects.filter(kind=CommunityKind.LANGUAGE),
        "area_name": area_name(spec.area) if spec.area else "",
        "area_error": area_problem(spec.area) if spec.area else "",
    }
    if request.headers.get("HX-Request"):
        return render(request, "directory/includes/organisation_results.html", context)
    return render(request, "directory/organisation_list.html", context)


def _visible_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not organisation.active and not can_edit(request.user, organisation):
        raise Http404("No such organisation.")
    return organisation


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    champions = organisation.champions.count()
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": can_edit(request.user, organisation),
            "services": organisation.services.prefetch_related("taxonomy_terms"),
            "locations": organisation.locations.all(),
            "areas": [
                (area.code, area_name(area.code)) for area in organisation.coverage_areas.all()
            ],
            "communities": organisation.communities.order_by("kind", "position"),
            "champions": suppress(champions, request.user),
        },
    )


def _save_organisation(request: HttpRequest, form: OrganisationForm) -> Organisation:
    data = dict(form.cleaned_data)
    related = {"communities": data.pop("communities"), "coverage_areas": data.pop("coverage_areas")}
    if form.instance.pk:
        # A fresh copy: validating a ModelForm already wrote the new values onto form.instance,
        # and the action compares old with new for the audit log.
        current = Organisation.objects.get(pk=form.instance.pk)
        return actions.update_organisation(by=request.user, organisation=current, **related, **data)
    return actions.create_organisation(by=request.user, **related, **data)


@require_permission(Permission.EDIT_ANY)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        organisation = _save_organisation(request, form)
        messages.success(request, f"Added {organisation.name}.")
        return redirect("directory:organisation-detail", pk=organisation.pk)
    return render(request, "directory/organisation_form.html", {"form": form})


def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if denied := edit_denied(request, organisation):
        return denied
    form = OrganisationForm(*posted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        _save_organisation(request, form)
        messages.success(request, "Saved your changes.")
        return redirect("directory:organisation-detail", pk=organisation.pk)
    return render(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )
