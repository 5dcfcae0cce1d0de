"""The official ORUK 3.0 JSON schemata (`schemata/`, see its PROVENANCE.md), loaded once.

`validator(name)` checks an object against `schemata/<name>.json` (JSON Schema draft 2020-12;
the `$ref`s between files are resolved with `referencing`); `field_types(name)` gives each
scalar field's type, for reading CSV cells; `csv_name(name)` is the file name of the table in a
tabular (CSV) package, from the schema's own `path`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMATA = Path(__file__).resolve().parent / "schemata"
BASE_URI = "https://healthgap.invalid/oruk/3.0/schemata/"


@functools.cache
def schemas() -> dict[str, dict[str, Any]]:
    """Schema name ("service") -> the schema, for every file in `schemata/` but openapi.json."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMATA.glob("*.json"))
        if path.stem != "openapi"
    }


@functools.cache
def _registry() -> Registry:
    resources = [
        (BASE_URI + f"{name}.json", Resource.from_contents(schema, DRAFT202012))
        for name, schema in schemas().items()
    ]
    return Registry().with_resources(resources)


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """A draft 2020-12 validator for `name` with format checks (uuid, email, date, ...)."""
    schema = {**schemas()[name], "$id": BASE_URI + f"{name}.json"}
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def field_types(name: str) -> dict[str, str]:
    """Scalar field -> "string", "number" or "integer" (arrays and objects left out)."""
    properties = schemas()[name]["properties"]
    return {
        field: spec["type"]
        for field, spec in properties.items()
        if spec.get("type") in ("string", "number", "integer")
    }


def csv_name(name: str) -> str:
    return schemas()[name]["path"]


def openapi() -> dict[str, Any]:
    """The official ORUK 3.0 OpenAPI description (a fresh copy each call)."""
    return json.loads((SCHEMATA / "openapi.json").read_text(encoding="utf-8"))
