"""Validation against the official ORUK 3.0 JSON schemata copied into `schemata/` (see its
PROVENANCE.md): JSON Schema draft 2020-12, `$ref`s between the files resolved with
`referencing`, with format checks (uuid, email, date; uri and date-time need optional
packages and are not checked by jsonschema here, so tests check those values themselves)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).resolve().parent
SCHEMATA = HERE / "schemata"
EXAMPLES = HERE / "examples"
BASE = "https://oruk.test/schemata/"


@functools.cache
def _registry() -> Registry:
    return Registry().with_resources(
        (BASE + path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMATA.glob("*.json")
    )


@functools.cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMATA / f"{name}.json").read_text())
    return Draft202012Validator(
        {**schema, "$id": BASE + f"{name}.json"},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(obj: Any, name: str) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(obj)
    ]


def assert_valid(obj: Any, name: str) -> None:
    problems = errors(obj, name)
    assert not problems, f"not a valid ORUK {name}: {problems}"


PAGE_FIELDS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def assert_page(body: dict[str, Any], item_schema: str) -> None:
    """The ORUK `Page` envelope (components/schemas/Page in the ORUK OpenAPI) and items."""
    assert set(body) == set(PAGE_FIELDS), sorted(body)
    for key, kind in PAGE_FIELDS.items():
        assert type(body[key]) is kind, (key, body[key])
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert_valid(item, item_schema)


def assert_compact(
    obj: Any, required_empty: frozenset[str] = frozenset({"description", "state_province"})
) -> None:
    """ORUK: optional fields without a value are omitted, never null or empty (`required_empty`:
    fields the schemata require, which may be empty strings)."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key not in required_empty:
                assert value not in (None, "", [], {}), f"{key} is present but empty"
            assert_compact(value, required_empty)
    elif isinstance(obj, list):
        for item in obj:
            assert_compact(item, required_empty)


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())
