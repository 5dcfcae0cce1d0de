"""Directory records as Open Referral UK 3.0 objects (for the API and the export).

ORUK's rule: "optional fields without a value should be omitted rather than included with null
or empty values", so `_compact` drops None, "" and [] (required fields are always present,
`description` as "" when a record has none). Ids are the records' UUIDs; sub-objects healthgap
keeps inside its own records (an address, a language, an identifier, a cost) get stable derived
UUIDs (`vocabularies.derived_uuid`).

Fields outside the UK profile but in HSDS 3.0 are used where ORUK has no place for what healthgap
holds: `service.eligibility_description`, `language.name`/`code`, `location.organization_id`,
`address.address_2`. Champions and other personal details are never serialised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from healthgap.web.directory.models import (
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from healthgap.web.directory.vocabularies import derived_uuid

#: organization_identifier schemes (org-id.guide) for the identifiers healthgap keeps.
IDENTIFIERS = (
    ("ods_code", "GB-NHS", "ODS code"),
    ("charity_number", "GB-CHC", "Charity number"),
    ("company_number", "GB-COH", "Company number"),
)


def _compact(fields: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        name: value
        for name, value in fields.items()
        if name in required or value not in (None, "", [])
    }


def _number(value: Decimal | int | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _datetime(value: datetime) -> str:
    """ISO 8601 in UTC with milliseconds ("2026-01-02T03:04:05.678Z")."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def organization(org: Organisation, *, full: bool = False) -> dict[str, Any]:
    fields = {
        "id": str(org.uuid),
        "name": org.name,
        "description": org.description,
        "email": org.email,
        "website": org.website,
    }
    if full:
        fields["organization_identifiers"] = [
            {
                "id": derived_uuid(org.uuid, "identifier", scheme),
                "organization_id": str(org.uuid),
                "identifier_scheme": scheme,
                "identifier_type": label,
                "identifier": getattr(org, attribute),
            }
            for attribute, scheme, label in IDENTIFIERS
            if getattr(org, attribute)
        ]
    return _compact(fields, ("id", "name", "description"))


def address(location: Location) -> dict[str, Any] | None:
    """The location's address (ORUK requires address_1, city, postal_code), or None."""
    if not (location.address_1 and location.city and location.postcode):
        return None
    return _compact(
        {
            "id": derived_uuid(location.uuid, "address", "main"),
            "location_id": str(location.uuid),
            "address_1": location.address_1,
            "address_2": location.address_2,
            "city": location.city,
            "state_province": location.county,
            "postal_code": location.postcode,
            "country": location.country,
            "address_type": "postal" if location.location_type == "postal" else "physical",
        },
        ("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    )


def location(loc: Location, *, full: bool = False) -> dict[str, Any]:
    fields = {
        "id": str(loc.uuid),
        "location_type": loc.location_type,
        "organization_id": str(loc.organisation.uuid),
        "name": loc.name,
        "description": loc.description,
        "latitude": _number(loc.latitude),
        "longitude": _number(loc.longitude),
    }
    if full:
        fields["addresses"] = [a for a in [address(loc)] if a]
        if loc.accessibility:
            fields["accessibility"] = [
                {
                    "id": derived_uuid(loc.uuid, "accessibility", "main"),
                    "location_id": str(loc.uuid),
                    "description": loc.accessibility,
                }
            ]
    return _compact(fields, ("id", "location_type"))


def taxonomy(tax: Taxonomy) -> dict[str, Any]:
    return _compact(
        {
            "id": str(tax.uuid),
            "name": tax.name,
            "description": tax.description,
            "uri": tax.uri,
            "version": tax.version,
        },
        ("id", "name", "description"),
    )


def taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    """A term; `taxonomy` (free text) is its taxonomy's name when it has one."""
    return _compact(
        {
            "id": str(term.uuid),
            "name": term.name,
            "description": term.description,
            "code": term.code,
            "parent_id": str(term.parent.uuid) if term.parent_id else None,
            "taxonomy": term.taxonomy.name if term.taxonomy_id else term.taxonomy_label,
            "taxonomy_id": str(term.taxonomy.uuid) if term.taxonomy_id else None,
            "term_uri": term.term_uri,
        },
        ("id", "name", "description"),
    )


def service(svc: Service, *, full: bool = False) -> dict[str, Any]:
    """A service: one-to-one fields and its organization (list items), or fully nested."""
    fields: dict[str, Any] = {
        "id": str(svc.uuid),
        "organization_id": str(svc.organisation.uuid),
        "name": svc.name,
        "description": svc.description,
        "url": svc.url,
        "email": svc.email,
        "status": svc.status,
        "eligibility_description": svc.eligibility,
        "minimum_age": svc.minimum_age,
        "maximum_age": svc.maximum_age,
        "assured_date": svc.assured_date.isoformat() if svc.assured_date else None,
        "alert": svc.alert,
        "last_modified": _datetime(svc.last_modified),
        "organization": organization(svc.organisation, full=full),
    }
    if full:
        fields |= {
            "service_at_locations": [
                service_at_location(sal, full=True, with_service=False)
                for sal in svc.service_at_locations.all()
            ],
            "languages": [
                {
                    "id": derived_uuid(svc.uuid, "language", language.code),
                    "service_id": str(svc.uuid),
                    "name": language.label,
                    "code": language.code,
                }
                for language in svc.languages.all()
            ],
            "cost_options": _cost_options(svc),
            "attributes": [
                {
                    "id": derived_uuid(svc.uuid, "attribute", str(term.uuid)),
                    "link_id": str(svc.uuid),
                    "link_entity": "service",
                    "taxonomy_term_id": str(term.uuid),
                    "taxonomy_term": taxonomy_term(term),
                }
                for term in svc.taxonomy_terms.all()
            ],
        }
    return _compact(fields, ("id", "name", "status"))


def _cost_options(svc: Service) -> list[dict[str, Any]]:
    if svc.cost_amount is None and not svc.cost_description:
        return []
    return [
        _compact(
            {
                "id": derived_uuid(svc.uuid, "cost", "main"),
                "service_id": str(svc.uuid),
                "amount": _number(svc.cost_amount),
                "amount_description": svc.cost_description,
            },
            ("id",),
        )
    ]


def service_at_location(
    sal: ServiceAtLocation, *, full: bool = False, with_service: bool = True
) -> dict[str, Any]:
    """A service_at_location with its location (and, for the list endpoint, its service)."""
    fields = {
        "id": str(sal.uuid),
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
        "location": location(sal.location, full=full),
    }
    if with_service:
        fields["service"] = service(sal.service, full=full)
    return _compact(fields, ("id",))
