"""Helpers shared by the equality views: object lookups with the object permissions, the form
page, the pieces a `write()` for `healthgap.web.core.forms.submit` needs, reports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from healthgap.web.core.forms import submit
from healthgap.web.equality import actions
from healthgap.web.equality.forms import PlanActionForm
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


def form_page(
    request: HttpRequest, form: BaseForm, title: str, back: Model | None = None
) -> HttpResponse:
    """The plain form page (`equality/form.html`), with a back link to `back` if given."""
    context: dict[str, Any] = {"form": form, "title": title}
    if back is not None:
        context["back"] = back
    return render(request, "equality/form.html", context)


def plan_action_page(
    request: HttpRequest,
    record: Model,
    add: Callable[..., Any],
    *,
    target: str,
    choices: list[tuple[str, str]],
    title: str,
) -> HttpResponse:
    """The page that adds a line to a return's action plan: `add(by=, <target>=, action=,
    owner=, due=)` is the action (record already bound), `target` its keyword for what the
    line is about ("indicator" for WRES, "outcome" for EDS)."""
    form = PlanActionForm(request.POST or None, choices=choices, label=target.capitalize())

    def write() -> Any:
        data = form.cleaned_data
        return add(
            by=request.user,
            **{target: data["target"]},
            action=data["action"],
            owner=data["owner"],
            due=data["due"],
        )

    return submit(request, form, write, "Action added.", then=record) or form_page(
        request, form, title, back=record
    )


def organisation_of(form: Any) -> Any:
    """The organisation the form writes for; a ValidationError (shown on the form by `submit`)
    when the signed-in account belongs to none."""
    organisation = form.organisation()
    if organisation is None:
        raise ValidationError("Your account belongs to no organisation.")
    return organisation


@contextmanager
def refused_as_validation_error(*kinds: type[Exception]) -> Iterator[None]:
    """Re-raise a library refusal (`AssessmentError`, ...) as a ValidationError, so that
    `submit` puts its message on the form as a non-field error."""
    try:
        yield
    except kinds as error:
        raise ValidationError(str(error)) from error


def download(
    request: HttpRequest, obj: Model, body: bytes, *, what: str, fmt: str, policy: str, name: str
) -> HttpResponse:
    """Send a report or export and audit-log it as an export."""
    actions.record_export(by=request.user, obj=obj, what=what, fmt=fmt, policy=policy)
    response = HttpResponse(body, content_type=FORMATS.get(fmt, "text/plain; charset=utf-8"))
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
