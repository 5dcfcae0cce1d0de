"""Helpers shared by the equality views: object lookups with the object permissions, reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from healthgap.web.equality import actions
from healthgap.web.equality.permissions import check_change, check_read

FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def readable_or_404(request: HttpRequest, model: type[Model], pk: int) -> Any:
    """The object, or 404 when it does not exist or belongs to another organisation."""
    obj = get_object_or_404(model, pk=pk)
    check_read(request.user, obj)
    return obj


def changeable(request: HttpRequest, model: type[Model], pk: int) -> Any:
    """The object, 404 as above, 403 when the user may read but not change it."""
    obj = get_object_or_404(model, pk=pk)
    check_change(request.user, obj)
    return obj


def download(
    request: HttpRequest, obj: Model, body: bytes, *, what: str, fmt: str, policy: str, name: str
) -> HttpResponse:
    """Send a report or export and audit-log it as an export."""
    actions.record_export(by=request.user, obj=obj, what=what, fmt=fmt, policy=policy)
    response = HttpResponse(body, content_type=FORMATS.get(fmt, "text/plain; charset=utf-8"))
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
