"""Helpers every app's API router (django-ninja) uses, and the one error shape.

Every error answer has one shape, ``{"detail": <message or {field: [messages]}>}``:

- ``HttpError(status, message)`` raised in an endpoint: ``{"detail": message}`` (401, 403, 404);
- a `healthgap.errors.HealthgapError` (a rule the caller can fix; any subclass): **422**
  ``{"detail": message}``, never a 500 (`install_error_handlers`);
- a Django `ValidationError` (a model or action rule, or one an endpoint raises for its own
  checks): **422** ``{"detail": {field: [messages]}}``, non-field messages under ``"__all__"``.

So endpoints do not catch these: they raise, and declare ``422: Problem`` in `response`.
Request bodies subclass `Input`, so an unknown field is a 422 too.

Lists use `paged` (ninja's `PageNumberPagination`, `page` and `page_size` up to 100,
`{"items": [...], "count": n}`). See docs/api.md.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict, Field

from healthgap.errors import HealthgapError
from healthgap.web.tokens.auth import PUBLIC_AUTH, SIGNED_IN_AUTH

#: Reads are public but honour an API token or session (an analyst's token sees raw counts).
READ_AUTH = PUBLIC_AUTH
#: Writes need a signed-in caller: an API token, or the session with its CSRF token.
WRITE_AUTH = SIGNED_IN_AUTH
#: Default `page_size` of every API list (callers may ask for up to 100).
PAGE_SIZE = 50
#: The status of an error the caller can fix: the request is well formed but breaks a rule.
UNPROCESSABLE = 422

#: The highest `page` a list accepts (a larger one is a 422, not a database overflow: 500).
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    """Ninja's page-number pagination with `page` bounded by MAX_PAGE."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)


#: Decorator for list endpoints: `@router.get(..., response=list[Out])` then `@paged`.
paged = paginate(Pages, page_size=PAGE_SIZE)


class Input(Schema):
    """Base of every request body: a field the endpoint does not take is refused with 422
    (pydantic's ``extra="forbid"``, django-ninja's list-shaped detail), never silently
    ignored with a 200."""

    model_config = ConfigDict(extra="forbid")


class Problem(Schema):
    """The body of every error answer: a message, or messages by field (or, for a request
    body ninja itself refuses, its list of {loc, msg, type} errors)."""

    detail: dict[str, list[str]] | str | list[dict[str, Any]]


def caller(request: HttpRequest) -> Any:
    """The user behind a request: the authenticated principal if auth ran, else the session's."""
    auth = getattr(request, "auth", None)
    return auth if getattr(auth, "is_authenticated", False) else request.user


def validation_detail(error: ValidationError) -> dict[str, list[str]]:
    """{field: [messages]} of a ValidationError; messages without a field under "__all__"."""
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer `HealthgapError`, uncaught `ValidationError` and out-of-range numbers
    (`OverflowError`, `DataError`) with 422 and a `Problem` body."""

    def healthgap_error(request: HttpRequest, error: HealthgapError) -> HttpResponse:
        return api.create_response(request, {"detail": str(error)}, status=UNPROCESSABLE)

    def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
        detail = validation_detail(error)
        return api.create_response(request, {"detail": detail}, status=UNPROCESSABLE)

    def out_of_range(request: HttpRequest, error: Exception) -> HttpResponse:
        # A number too large for the database's integers (SQLite raises OverflowError,
        # PostgreSQL a DataError), e.g. an id of 10**30 in a filter or a body.
        detail = "A number in the request is out of range; ids and counts fit in 64 bits."
        return api.create_response(request, {"detail": detail}, status=UNPROCESSABLE)

    api.add_exception_handler(HealthgapError, healthgap_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(DataError, out_of_range)
