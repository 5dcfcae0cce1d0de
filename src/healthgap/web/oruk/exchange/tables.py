"""The tables of an ORUK exchange and `flatten`, which turns nested ORUK objects (as the API
and the standard's examples give them) into rows of those tables.

A bundle is `{table: [row, ...]}` with HSDS table names. Each row is the object's one-to-one
fields plus `_at`, where it came from. Nested objects become rows of their own table, linked by
id (a service's `service_at_locations` become rows with `service_id` set, its `organization`
an organizations row, and so on), so a flat file, a CSV package and a fully nested service all
end up the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]
Bundle = dict[str, list[Row]]
AT = "_at"


@dataclass(frozen=True)
class Table:
    """One table: its bundle key, its ORUK schema, the columns healthgap reads and writes (in
    CSV order), columns it accepts without storing (`quiet`: they repeat a stored one), and
    the columns that must link to another record (`references`)."""

    name: str
    schema: str
    columns: tuple[str, ...]
    references: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()


def _table(name: str, schema: str, columns: str, references: str = "", quiet: str = "") -> Table:
    return Table(
        name, schema, tuple(columns.split()), tuple(references.split()), tuple(quiet.split())
    )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _table("taxonomies", "taxonomy", "id name description uri version"),
        _table(
            "taxonomy_terms",
            "taxonomy_term",
            "id name description code parent_id taxonomy taxonomy_id term_uri",
            quiet="term",
        ),
        _table("organizations", "organization", "id name description email website"),
        _table(
            "organization_identifiers",
            "organization_identifier",
            "id organization_id identifier_scheme identifier_type identifier",
            "organization_id",
        ),
        _table(
            "locations",
            "location",
            "id organization_id location_type name description latitude longitude",
        ),
        _table(
            "addresses",
            "address",
            "id location_id address_1 address_2 city state_province postal_code country "
            "address_type",
            "location_id",
        ),
        _table("accessibility", "accessibility", "id location_id description", "location_id"),
        _table(
            "services",
            "service",
            "id organization_id name description url email status eligibility_description "
            "minimum_age maximum_age assured_date alert last_modified",
            "organization_id",
        ),
        _table("languages", "language", "id service_id name code", "service_id"),
        _table(
            "cost_options",
            "cost_option",
            "id service_id amount amount_description",
            "service_id",
        ),
        _table(
            "attributes",
            "attribute",
            "id link_id link_entity taxonomy_term_id",
            "link_id taxonomy_term_id",
            quiet="link_type",
        ),
        _table(
            "service_at_locations",
            "service_at_location",
            "id service_id location_id",
            "service_id location_id",
        ),
    )
}
BY_SCHEMA = {table.schema: table for table in TABLES.values()}

#: Arrays of child objects: parent schema -> {field: (child schema, the child's link field)}.
CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "organization": {
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "services": ("service", "organization_id"),
        "locations": ("location", "organization_id"),
    },
    "service": {
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "attributes": ("attribute", "link_id"),
    },
    "location": {
        "addresses": ("address", "location_id"),
        "accessibility": ("accessibility", "location_id"),
    },
    "taxonomy": {"taxonomy_terms": ("taxonomy_term", "taxonomy_id")},
}
#: Single nested objects: parent schema -> {field: (child schema, the parent's link field)}.
NESTED: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id")},
    "service_at_location": {
        "location": ("location", "location_id"),
        "service": ("service", "service_id"),
    },
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
}
#: Values a child takes from its parent besides the link (an attribute of a service).
CHILD_DEFAULTS: dict[tuple[str, str], dict[str, str]] = {
    ("service", "attributes"): {"link_entity": "service"},
}


def guess_schema(obj: dict[str, Any]) -> str | None:
    """Which ORUK object `obj` is, from the fields only that object has, or None."""
    keys = set(obj)
    if "status" in keys:
        return "service"
    if "location_type" in keys:
        return "location"
    if keys & {"location", "service", "location_id", "service_id"}:
        return "service_at_location"
    if keys & {"taxonomy_terms", "version"}:
        return "taxonomy"
    if keys & {"parent_id", "taxonomy", "taxonomy_id", "term_uri", "code", "term"}:
        return "taxonomy_term"
    if keys & {"services", "organization_identifiers", "website", "email", "logo", "uri"}:
        return "organization"
    return None


@dataclass(frozen=True)
class Unsupported:
    """An array or object field that healthgap does not store (reported as a warning)."""

    at: str
    schema: str
    field: str


def flatten(schema: str, obj: Any, at: str, bundle: Bundle) -> Iterator[Unsupported]:
    """Add `obj` (an ORUK `schema` object, possibly nested) and its children to `bundle`;
    yields the nested fields that are not stored. Non-objects are added as they are, for the
    validator to report."""
    table = BY_SCHEMA[schema].name
    if not isinstance(obj, dict):
        bundle.setdefault(table, []).append({AT: at, "_not_an_object": obj})
        return
    row: Row = {AT: at}
    children = CHILDREN.get(schema, {})
    nested = NESTED.get(schema, {})
    for name, value in obj.items():
        if name in children:
            child_schema, link = children[name]
            defaults = CHILD_DEFAULTS.get((schema, name), {})
            for index, child in enumerate(value if isinstance(value, list) else [value]):
                if isinstance(child, dict):
                    child = {**defaults, **child}
                    child.setdefault(link, obj.get("id"))
                yield from flatten(child_schema, child, f"{at}.{name}[{index}]", bundle)
        elif name in nested:
            child_schema, link = nested[name]
            if isinstance(value, dict) and "id" in value:
                row.setdefault(link, value["id"])
            yield from flatten(child_schema, value, f"{at}.{name}", bundle)
        elif isinstance(value, list | dict):
            yield Unsupported(at, schema, name)
        else:
            row[name] = value
    bundle.setdefault(table, []).append(row)
