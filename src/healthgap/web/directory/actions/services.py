"""Services, locations and the links between them (service_at_location)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthgap.web.directory.actions import _common
from healthgap.web.directory.models import (
    Community,
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)


def create_service(
    *,
    by: Any,
    organisation: Organisation,
    taxonomy_terms: Iterable[TaxonomyTerm] = (),
    languages: Iterable[Community] = (),
    locations: Iterable[Location] = (),
    **fields: Any,
) -> Service:
    """Create a service of `organisation`, tagged with `taxonomy_terms`, delivered in
    `languages` and at `locations` (one service_at_location each)."""
    with transaction.atomic():
        service = _common.create(
            by=by,
            instance=Service(organisation=organisation, **fields),
            fields={"organisation": organisation, **fields},
            m2m={"taxonomy_terms": taxonomy_terms, "languages": languages},
        )
        for location in locations:
            create_service_at_location(by=by, service=service, location=location)
    return service


def update_service(
    *,
    by: Any,
    service: Service,
    taxonomy_terms: Iterable[TaxonomyTerm] | None = None,
    languages: Iterable[Community] | None = None,
    locations: Iterable[Location] | None = None,
    **fields: Any,
) -> Service:
    """Change `service`; `locations`, when given, become exactly its locations (links are
    added and removed, each audited). Unless `last_modified` is given (an import), it moves
    on to now when anything changed."""
    with transaction.atomic():
        changes = _common.update(
            by=by,
            instance=service,
            fields=fields,
            m2m={"taxonomy_terms": taxonomy_terms, "languages": languages},
        )
        linked = set_service_locations(by=by, service=service, locations=locations)
        if (changes or linked) and "last_modified" not in fields:
            service.last_modified = timezone.now()
            Service.objects.filter(pk=service.pk).update(last_modified=service.last_modified)
    return service


def set_service_locations(
    *, by: Any, service: Service, locations: Iterable[Location] | None
) -> bool:
    """Link `service` to exactly `locations` (None: leave alone); True if anything changed."""
    if locations is None:
        return False
    wanted = {location.pk: location for location in locations}
    current = {sal.location_id: sal for sal in service.service_at_locations.all()}
    for location_id, sal in current.items():
        if location_id not in wanted:
            delete_service_at_location(by=by, service_at_location=sal)
    for location_id, location in wanted.items():
        if location_id not in current:
            create_service_at_location(by=by, service=service, location=location)
    return set(wanted) != set(current)


def delete_service(*, by: Any, service: Service) -> None:
    with transaction.atomic():
        _common.delete(by=by, instance=service)


def create_service_at_location(
    *, by: Any, service: Service, location: Location, **fields: Any
) -> ServiceAtLocation:
    """Link `service` to `location` (`fields` may give the ORUK `uuid` of the link)."""
    with transaction.atomic():
        return _common.create(
            by=by,
            instance=ServiceAtLocation(service=service, location=location, **fields),
            fields={"service": service, "location": location, **fields},
        )


def delete_service_at_location(*, by: Any, service_at_location: ServiceAtLocation) -> None:
    with transaction.atomic():
        _common.delete(by=by, instance=service_at_location)


def create_location(*, by: Any, organisation: Organisation, **fields: Any) -> Location:
    with transaction.atomic():
        return _common.create(
            by=by,
            instance=Location(organisation=organisation, **fields),
            fields={"organisation": organisation, **fields},
        )


def update_location(*, by: Any, location: Location, **fields: Any) -> Location:
    """Change `location`; the services delivered there count as modified too."""
    with transaction.atomic():
        if _common.update(by=by, instance=location, fields=fields):
            Service.objects.filter(service_at_locations__location=location).update(
                last_modified=timezone.now()
            )
    return location


def delete_location(*, by: Any, location: Location) -> None:
    """Delete `location` and its service_at_location links."""
    with transaction.atomic():
        _common.delete(by=by, instance=location)
