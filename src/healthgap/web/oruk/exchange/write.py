"""Exporting the public directory as ORUK tables: JSON (one file) or CSV (a ZIP of one file
per table, named as in the ORUK tabular package, with a Frictionless `datapackage.json`).

What is public: active organisations, all their services, their locations and any other
location their services use, the links between them, and every taxonomy and term. Records are
serialised exactly as the API serves them (`oruk.serialize`) and flattened into tables with the
importer's own `flatten`, so an export imports back unchanged (a test checks the round trip).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.db.models import Q

from healthgap.web.directory.models import (
    Location,
    Organisation,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from healthgap.web.oruk import schema as oruk_schema
from healthgap.web.oruk import serialize
from healthgap.web.oruk.exchange.tables import TABLES, Bundle, flatten

VERSION = "3.0"
#: Where the ORUK 3.0 profile is published (the schemas the official OpenAPI refers to).
PROFILE = "https://github.com/openreferral/uk-profile"


def public_services():
    return Service.objects.filter(organisation__active=True).select_related("organisation")


def export_tables() -> dict[str, list[dict[str, Any]]]:
    """Table name -> rows (columns in table order), each table sorted by id."""
    bundle: Bundle = {}
    objects: list[tuple[str, dict[str, Any]]] = []
    objects += [
        ("organization", serialize.organization(o, full=True))
        for o in Organisation.objects.filter(active=True)
    ]
    locations = (
        Location.objects.filter(
            Q(organisation__active=True)
            | Q(service_at_locations__service__organisation__active=True)
        )
        .distinct()
        .select_related("organisation")
    )
    objects += [("location", serialize.location(loc, full=True)) for loc in locations]
    services = public_services().prefetch_related(
        "languages",
        "taxonomy_terms__taxonomy",
        "taxonomy_terms__parent",
        "service_at_locations__location__organisation",
    )
    objects += [("service", serialize.service(s, full=True)) for s in services]
    objects += [("taxonomy", serialize.taxonomy(t)) for t in Taxonomy.objects.all()]
    terms = TaxonomyTerm.objects.select_related("taxonomy", "parent")
    objects += [("taxonomy_term", serialize.taxonomy_term(t)) for t in terms]
    for kind, obj in objects:
        for _ in flatten(kind, obj, kind, bundle):
            pass  # serialize only writes fields the tables hold
    tables = {}
    for name, table in TABLES.items():
        rows = {}
        for row in bundle.get(name, []):
            rows.setdefault(row["id"], {c: row[c] for c in table.columns if c in row})
        tables[name] = [rows[key] for key in sorted(rows)]
    return tables


def to_json(tables: dict[str, list[dict[str, Any]]], generated: str) -> bytes:
    document = {"version": VERSION, "profile": PROFILE, "generated": generated, **tables}
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def _field_type(spec: dict[str, Any]) -> str:
    return spec.get("datapackage_type") or spec.get("type", "string")


def datapackage(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A Frictionless tabular data package descriptor for the CSV files."""
    resources = []
    for name, table in TABLES.items():
        properties = oruk_schema.schemas()[table.schema]["properties"]
        resources.append(
            {
                "name": name,
                "path": oruk_schema.csv_name(table.schema),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "schema": {
                    "fields": [
                        {"name": c, "type": _field_type(properties.get(c, {}))}
                        for c in table.columns
                    ],
                    "primaryKey": "id",
                },
            }
        )
    return {
        "name": "healthgap-directory",
        "profile": "tabular-data-package",
        "version": VERSION,
        "resources": resources,
    }


def to_csv_zip(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(table.columns), lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables.get(name, []))
            archive.writestr(oruk_schema.csv_name(table.schema), text.getvalue())
        archive.writestr("datapackage.json", json.dumps(datapackage(tables), indent=2))
    return buffer.getvalue()
