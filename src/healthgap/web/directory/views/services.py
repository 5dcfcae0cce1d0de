"""Services and locations of an organisation: view, add, change, delete (own organisation)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from healthgap.web.accounts.authorization import can_edit
from healthgap.web.directory import actions
from healthgap.web.directory.areas import area_name
from healthgap.web.directory.forms import LocationForm, ServiceForm
from healthgap.web.directory.models import Location, Organisation, Service
from healthgap.web.directory.views._guards import edit_denied, posted


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("organisation"), pk=pk)
    if not service.organisation.active and not can_edit(request.user, service):
        raise Http404("No such service.")
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "can_edit": can_edit(request.user, service),
            "terms": service.taxonomy_terms.all(),
            "languages": service.languages.all(),
            "locations": [
                (sal.location, area_name(sal.location.lsoa21))
                for sal in service.service_at_locations.select_related("location")
            ],
        },
    )


def _service_form(request: HttpRequest, organisation: Organisation, service: Service | None):
    form = ServiceForm(*posted(request), instance=service, organisation=organisation)
    if request.method != "POST" or not form.is_valid():
        return form, None
    data = dict(form.cleaned_data)
    related = {name: data.pop(name) for name in ("taxonomy_terms", "languages", "locations")}
    if service is None:
        saved = actions.create_service(
            by=request.user, organisation=organisation, **related, **data
        )
    else:
        current = Service.objects.get(pk=service.pk)  # form validation changed `service`
        saved = actions.update_service(by=request.user, service=current, **related, **data)
    return form, saved


def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if denied := edit_denied(request, organisation):
        return denied
    form, saved = _service_form(request, organisation, None)
    if saved:
        messages.success(request, f"Added the service {saved.name}.")
        return redirect("directory:service-detail", pk=saved.pk)
    return render(
        request, "directory/service_form.html", {"form": form, "organisation": organisation}
    )


def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("organisation"), pk=pk)
    if denied := edit_denied(request, service):
        return denied
    form, saved = _service_form(request, service.organisation, service)
    if saved:
        messages.success(request, "Saved your changes.")
        return redirect("directory:service-detail", pk=service.pk)
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "organisation": service.organisation, "service": service},
    )


def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("organisation"), pk=pk)
    if denied := edit_denied(request, service):
        return denied
    if request.method == "POST":
        organisation = service.organisation
        actions.delete_service(by=request.user, service=service)
        messages.success(request, f"Deleted the service {service.name}.")
        return redirect("directory:organisation-detail", pk=organisation.pk)
    return render(
        request,
        "directory/confirm_delete.html",
        {"object": service, "what": "service", "back": service.organisation},
    )


def location_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if denied := edit_denied(request, organisation):
        return denied
    form = LocationForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        location = actions.create_location(
            by=request.user, organisation=organisation, **form.cleaned_data
        )
        messages.success(request, f"Added the location {location.name}.")
        return redirect("directory:organisation-detail", pk=organisation.pk)
    return render(
        request, "directory/location_form.html", {"form": form, "organisation": organisation}
    )


def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_object_or_404(Location.objects.select_related("organisation"), pk=pk)
    if denied := edit_denied(request, location):
        return denied
    form = LocationForm(*posted(request), instance=location)
    if request.method == "POST" and form.is_valid():
        current = Location.objects.get(pk=location.pk)  # form validation changed `location`
        actions.update_location(by=request.user, location=current, **form.cleaned_data)
        messages.success(request, "Saved your changes.")
        return redirect("directory:organisation-detail", pk=location.organisation_id)
    return render(
        request,
        "directory/location_form.html",
        {"form": form, "organisation": location.organisation, "location": location},
    )


def location_delete(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_object_or_404(Location.objects.select_related("organisation"), pk=pk)
    if denied := edit_denied(request, location):
        return denied
    if request.method == "POST":
        actions.delete_location(by=request.user, location=location)
        messages.success(request, f"Deleted the location {location.name}.")
        return redirect("directory:organisation-detail", pk=location.organisation_id)
    return render(
        request,
        "directory/confirm_delete.html",
        {"object": location, "what": "location", "back": location.organisation},
    )
