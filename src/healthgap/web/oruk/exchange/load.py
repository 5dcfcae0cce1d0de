"""Writing a checked `Plan` into the directory through `directory.actions` (each record
audited), creating records with the file's ids and updating those already there.

An import adds and updates; it never deletes, and fields a file leaves out keep their values.
Relations are replaced only when the file gives them (a service's languages when it has
language records, its taxonomy terms when it has attributes).
"""

from __future__ import annotations

from typing import Any

from healthgap.web.directory import actions
from healthgap.web.directory.models import (
    Community,
    CommunityKind,
    Location,
    Organisation,
    OrganisationKind,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from healthgap.web.oruk.exchange.plan import Plan
from healthgap.web.oruk.exchange.problems import Report


def _by_uuid(model: Any, keys: Any) -> dict[str, Any]:
    return {str(obj.uuid): obj for obj in model.objects.filter(uuid__in=list(keys))}


def load(plan: Plan, *, by: Any, report: Report) -> None:
    """Write `plan` (call inside a transaction); counts go to `report.created/updated`."""
    taxonomies = _upsert(
        "taxonomies",
        Taxonomy,
        plan.taxonomies,
        report,
        create=lambda key, f: actions.create_taxonomy(by=by, uuid=key, **f),
        update=lambda obj, f: actions.update_taxonomy(by=by, taxonomy=obj, **f),
    )
    wanted = {f.get("taxonomy") for f in plan.terms.values()} - {None} - set(taxonomies)
    all_taxonomies = taxonomies | _by_uuid(Taxonomy, wanted)

    def term_fields(fields: dict[str, Any]) -> dict[str, Any]:
        """Parents are set in a second pass, once every term exists."""
        out = {k: v for k, v in fields.items() if k != "parent"}
        if fields.get("taxonomy"):
            out["taxonomy"] = all_taxonomies[fields["taxonomy"]]
        return out

    terms = _upsert(
        "taxonomy_terms",
        TaxonomyTerm,
        plan.terms,
        report,
        create=lambda key, f: actions.create_taxonomy_term(by=by, uuid=key, **term_fields(f)),
        update=lambda obj, f: actions.update_taxonomy_term(by=by, term=obj, **term_fields(f)),
    )
    parents = {f.get("parent") for f in plan.terms.values()} - {None}
    all_terms = terms | _by_uuid(TaxonomyTerm, parents - set(terms))
    for key, fields in plan.terms.items():
        parent = all_terms.get(fields.get("parent") or "")
        if parent is not None and terms[key].parent_id != parent.pk:
            actions.update_taxonomy_term(by=by, term=terms[key], parent=parent)

    organisations = _upsert(
        "organizations",
        Organisation,
        plan.organisations,
        report,
        create=lambda key, f: actions.create_organisation(
            by=by, uuid=key, kind=OrganisationKind.OTHER, **f
        ),
        update=lambda obj, f: actions.update_organisation(by=by, organisation=obj, **f),
    )
    wanted = {f["organisation"] for f in [*plan.locations.values(), *plan.services.values()]}
    organisations |= _by_uuid(Organisation, {k for k in wanted if k} - set(organisations))

    def owned(fields: dict[str, Any]) -> dict[str, Any]:
        owner = fields.get("organisation")
        rest = {k: v for k, v in fields.items() if k != "organisation"}
        return rest | ({"organisation": organisations[owner]} if owner else {})

    locations = _upsert(
        "locations",
        Location,
        plan.locations,
        report,
        create=lambda key, f: actions.create_location(by=by, uuid=key, **owned(f)),
        update=lambda obj, f: actions.update_location(by=by, location=obj, **owned(f)),
    )

    languages = {c.code: c for c in Community.objects.filter(kind=CommunityKind.LANGUAGE)}
    term_ids = {t for f in plan.services.values() for t in (f["taxonomy_terms"] or [])}
    all_terms |= _by_uuid(TaxonomyTerm, term_ids - set(all_terms))

    def service_fields(fields: dict[str, Any]) -> dict[str, Any]:
        fields = owned(fields)
        codes, terms_of = fields.pop("languages"), fields.pop("taxonomy_terms")
        if codes is not None:
            fields["languages"] = [languages[c] for c in codes]
        if terms_of is not None:
            fields["taxonomy_terms"] = [all_terms[t] for t in terms_of]
        return fields

    services = _upsert(
        "services",
        Service,
        plan.services,
        report,
        create=lambda key, f: actions.create_service(by=by, uuid=key, **service_fields(f)),
        update=lambda obj, f: actions.update_service(by=by, service=obj, **service_fields(f)),
    )

    pairs = {s for s, _ in plan.links.values()}, {loc for _, loc in plan.links.values()}
    services |= _by_uuid(Service, pairs[0] - set(services))
    locations |= _by_uuid(Location, pairs[1] - set(locations))
    existing = _by_uuid(ServiceAtLocation, plan.links)
    for key, (service, location) in plan.links.items():
        if key in existing:
            report.updated["service_at_locations"] += 1
            continue
        actions.create_service_at_location(
            by=by, service=services[service], location=locations[location], uuid=key
        )
        report.created["service_at_locations"] += 1


def _upsert(
    table: str, model: Any, planned: dict[str, dict[str, Any]], report: Report, *, create, update
) -> dict[str, Any]:
    """Create the planned records that are new and update those that exist; id -> object."""
    existing = _by_uuid(model, planned)
    done = {}
    for key, fields in planned.items():
        if key in existing:
            done[key] = update(existing[key], fields)
            report.updated[table] += 1
        else:
            done[key] = create(key, fields)
            report.created[table] += 1
    return done
