"""The Open Referral UK 3.0 read API under /oruk/: plain Django views returning JSON.

Public and anonymous, as ORUK requires; every response (errors included) carries
`Access-Control-Allow-Origin: *`. Lists use ORUK's page envelope (`total_items`,
`total_pages`, `page_number`, `size` = items on this page, `first_page`, `last_page`, `empty`,
`contents`); query parameters combine with AND. Only public records appear: services and
organisations of active organisations, never champions or other personal details.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

import numpy as np
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from healthgap.web.directory.models import (
    Organisation,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from healthgap.web.oruk import geocode, serialize
from healthgap.web.oruk.exchange.write import PROFILE, VERSION, public_services
from healthgap.web.oruk.openapi import document

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
#: ORUK parameters healthgap cannot answer: it holds no schedules.
UNSUPPORTED = ("start_time", "end_time", "day")


class BadRequest(Exception):
    """A query parameter is malformed: answered with 400 and the message."""


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def oruk_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """GET (and HEAD/OPTIONS) only; JSON errors; `Access-Control-Allow-Origin: *` always."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _json({"detail": "Only GET is allowed."}, status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                result = view(request, *args, **kwargs)
            except BadRequest as error:
                result = _json({"detail": str(error)}, status=400)
            response = result if isinstance(result, HttpResponse) else _json(result)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _not_found(what: str) -> JsonResponse:
    return _json({"detail": f"No {what} with this id."}, status=404)


def _uuid(value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(UUID(value))
    except ValueError as error:
        raise BadRequest(f"{name} must be a UUID; got {value!r}.") from error


def _number(request: HttpRequest, name: str, *, minimum: float = 0) -> float | None:
    value = request.GET.get(name, "")
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError as error:
        raise BadRequest(f"{name} must be a number; got {value!r}.") from error
    if not math.isfinite(number) or number < minimum:
        raise BadRequest(f"{name} must be a number of at least {minimum:g}; got {value!r}.")
    return number


def _page_params(request: HttpRequest) -> tuple[int, int]:
    page, per_page = _number(request, "page", minimum=1), _number(request, "per_page", minimum=1)
    for name, value in (("page", page), ("per_page", per_page)):
        if value is not None and value != int(value):
            raise BadRequest(f"{name} must be a whole number.")
    return int(page or 1), min(int(per_page or DEFAULT_PER_PAGE), MAX_PER_PAGE)


def _envelope(items: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not items,
        "contents": items,
    }


def paged(request: HttpRequest, rows: QuerySet | list, serialise: Callable) -> dict[str, Any]:
    page, per_page = _page_params(request)
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chunk = rows[(page - 1) * per_page : page * per_page]
    return _envelope([serialise(row) for row in chunk], total, page, per_page)


def _check_unsupported(request: HttpRequest) -> None:
    given = [name for name in UNSUPPORTED if request.GET.get(name)]
    if given:
        raise BadRequest(f"healthgap holds no opening times, so {', '.join(given)} cannot be used.")
    if request.GET.get("format", "json") != "json":
        raise BadRequest("Only format=json is available.")


def _modified_after(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), time())
        except ValueError as error:
            raise BadRequest(
                f"modified_after must be an ISO 8601 date-time; got {value!r}."
            ) from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def filter_services(request: HttpRequest, services: QuerySet) -> QuerySet:
    """Apply the ORUK service filters of the query string (all must hold).

    `minimum_age=N`: services whose minimum age is at least N; `maximum_age=N`: services whose
    maximum age is at most N (the ORUK parameter descriptions, read literally: services without
    that age limit do not match).
    """
    _check_unsupported(request)
    get = request.GET.get
    if search := get("search", "").strip():
        services = services.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if term := _uuid(get("taxonomy_term_id"), "taxonomy_term_id"):
        services = services.filter(taxonomy_terms__uuid=term)
    if taxonomy := _uuid(get("taxonomy_id"), "taxonomy_id"):
        services = services.filter(taxonomy_terms__taxonomy__uuid=taxonomy)
    if organisation := _uuid(get("organization_id"), "organization_id"):
        services = services.filter(organisation__uuid=organisation)
    if (minimum := _number(request, "minimum_age")) is not None:
        services = services.filter(minimum_age__gte=minimum)
    if (maximum := _number(request, "maximum_age")) is not None:
        services = services.filter(maximum_age__lte=maximum)
    if modified := get("modified_after"):
        services = services.filter(last_modified__gte=_modified_after(modified))
    return services.distinct()


@oruk_view
def root(request: HttpRequest) -> dict[str, str]:
    return {
        "version": VERSION,
        "profile": PROFILE,
        "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
    }


@oruk_view
def openapi(request: HttpRequest) -> dict[str, Any]:
    return document(request.build_absolute_uri(reverse("oruk:root")).rstrip("/"))


@oruk_view
def services(request: HttpRequest) -> dict[str, Any]:
    rows = filter_services(request, public_services()).order_by("name", "uuid")
    return paged(request, rows, serialize.service)


def _full_services() -> QuerySet:
    return public_services().prefetch_related(
        "languages",
        "taxonomy_terms__taxonomy",
        "taxonomy_terms__parent",
        "service_at_locations__location__organisation",
    )


@oruk_view
def service(request: HttpRequest, id: str) -> Any:
    try:
        found = _full_services().get(uuid=UUID(id))
    except (ValueError, Service.DoesNotExist):
        return _not_found("service")
    return serialize.service(found, full=True)


def _public_links() -> QuerySet:
    return ServiceAtLocation.objects.filter(service__organisation__active=True).select_related(
        "service__organisation", "location__organisation"
    )


@oruk_view
def service_at_locations(request: HttpRequest) -> dict[str, Any]:
    services = filter_services(request, public_services())
    links = _public_links().filter(service__in=services).order_by("service__name", "uuid")
    postcode = request.GET.get("postcode", "").strip()
    proximity = _number(request, "proximity")
    if proximity is not None and not postcode:
        raise BadRequest("proximity (metres) needs a postcode to measure from.")
    if not postcode:
        return paged(request, links, serialize.service_at_location)
    place = geocode.locate(postcode)
    if place is None:
        raise BadRequest(
            f"Cannot place the postcode {postcode!r}: healthgap locates postcodes only from "
            "the directory's own locations, and none is in that postcode, sector or district."
        )
    links = links.filter(location__latitude__isnull=False)
    if proximity is not None:
        links = links.filter(
            **{f"location__{k}": v for k, v in geocode.bounding_box(place, proximity).items()}
        )
    rows = list(links)
    distances = geocode.distances_m(
        place,
        np.array([float(r.location.latitude) for r in rows]),
        np.array([float(r.location.longitude) for r in rows]),
    )
    order = np.argsort(distances, kind="stable")
    if proximity is not None:
        order = order[distances[order] <= proximity]
    return paged(request, [rows[i] for i in order], serialize.service_at_location)


@oruk_view
def service_at_location(request: HttpRequest, id: str) -> Any:
    try:
        found = _public_links().get(uuid=UUID(id))
    except (ValueError, ServiceAtLocation.DoesNotExist):
        return _not_found("service_at_location")
    found.service = _full_services().get(pk=found.service_id)
    return serialize.service_at_location(found, full=True)


@oruk_view
def taxonomies(request: HttpRequest) -> dict[str, Any]:
    rows = Taxonomy.objects.order_by("name", "uuid")
    if search := request.GET.get("search", "").strip():
        rows = rows.filter(name__icontains=search)
    return paged(request, rows, serialize.taxonomy)


@oruk_view
def taxonomy(request: HttpRequest, id: str) -> Any:
    try:
        found = Taxonomy.objects.get(uuid=UUID(id))
    except (ValueError, Taxonomy.DoesNotExist):
        return _not_found("taxonomy")
    terms = found.terms.select_related("taxonomy", "parent").order_by("name", "uuid")
    return serialize.taxonomy(found) | {
        "taxonomy_terms": [serialize.taxonomy_term(t) for t in terms]
    }


@oruk_view
def taxonomy_terms(request: HttpRequest) -> dict[str, Any]:
    rows = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("name", "uuid")
    get = request.GET.get
    if search := get("search", "").strip():
        rows = rows.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if taxonomy := _uuid(get("taxonomy_id"), "taxonomy_id"):
        rows = rows.filter(taxonomy__uuid=taxonomy)
    if parent := _uuid(get("parent_id"), "parent_id"):
        rows = rows.filter(parent__uuid=parent)
    if get("top_only", "").lower() in ("true", "1"):
        rows = rows.filter(parent__isnull=True)
    return paged(request, rows, serialize.taxonomy_term)


@oruk_view
def taxonomy_term(request: HttpRequest, id: str) -> Any:
    try:
        found = TaxonomyTerm.objects.select_related("taxonomy", "parent").get(uuid=UUID(id))
    except (ValueError, TaxonomyTerm.DoesNotExist):
        return _not_found("taxonomy_term")
    return serialize.taxonomy_term(found)


@oruk_view
def organizations(request: HttpRequest) -> dict[str, Any]:
    rows = Organisation.objects.filter(active=True).order_by("name", "uuid")
    if search := request.GET.get("search", "").strip():
        rows = rows.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return paged(request, rows, serialize.organization)


@oruk_view
def organization(request: HttpRequest, id: str) -> Any:
    try:
        found = Organisation.objects.get(uuid=UUID(id), active=True)
    except (ValueError, Organisation.DoesNotExist):
        return _not_found("organization")
    services = _full_services().filter(organisation=found).order_by("name", "uuid")
    nested = [serialize.service(s, full=True) for s in services]
    return serialize.organization(found, full=True) | {
        "services": [{k: v for k, v in s.items() if k != "organization"} for s in nested]
    }


@oruk_view
def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    return _json({"detail": f"No ORUK endpoint /{rest}."}, status=404)
