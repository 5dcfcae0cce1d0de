"""Public directory pages (a minimal list and detail; the directory app grows from here)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from healthgap.web.accounts.authorization import can_edit
from healthgap.web.directory.models import Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.all()
    return render(request, "directory/organisation_list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": organisation, "can_edit": can_edit(request.user, organisation)},
    )
