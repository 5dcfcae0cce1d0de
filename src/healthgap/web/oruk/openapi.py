"""The OpenAPI description served at /oruk/openapi.json: the official ORUK 3.0 document
(`schemata/openapi.json`) with this server's URL, and with the endpoints and parameters
healthgap serves beyond it (`/organizations`, `organization_id`, `modified_after`, ...)."""

from __future__ import annotations

import copy
from typing import Any

from healthgap.web.oruk import schema as oruk_schema

HSDS_SCHEMA = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _paged(description: str, items: str, parameters: list[str]) -> dict[str, Any]:
    return {
        "get": {
            "summary": description,
            "description": description,
            "parameters": [_ref(p) for p in parameters],
            "responses": {
                "200": {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": {
                                "properties": {
                                    "contents": {"type": "array", "items": {"$ref": items}}
                                },
                                "allOf": [{"$ref": "#/components/schemas/Page"}],
                            }
                        }
                    },
                }
            },
        }
    }


def document(base_url: str) -> dict[str, Any]:
    """The OpenAPI document for the API served at `base_url` (no trailing slash)."""
    doc = copy.deepcopy(oruk_schema.openapi())
    doc["info"]["description"] += (
        ". Served by healthgap: public directory of health-inequalities partners. Not "
        "supported: start_time, end_time and day (no opening times are held) and format=ndjson."
    )
    doc["servers"] = [{"url": base_url}]
    # The official document gives these two parameters `"type": "time"`, which is not an
    # OpenAPI type (tools refuse the document); "time" is a string format.
    for name in ("start_time", "end_time"):
        doc["components"]["parameters"][name]["schema"] = {"type": "string", "format": "time"}
    paths = doc["paths"]
    for path in ("/services", "/service_at_locations"):
        paths[path]["get"]["parameters"] += [_ref("organization_id"), _ref("modified_after")]
    paths["/taxonomy_terms"]["get"]["parameters"] += [
        _ref("search"),
        _ref("taxonomy_id"),
        {
            "name": "parent_id",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "Only the children of this term.",
        },
        {
            "name": "top_only",
            "in": "query",
            "required": False,
            "schema": {"type": "boolean"},
            "description": "Only terms without a parent.",
        },
    ]
    paths["/taxonomies"]["get"]["parameters"].append(_ref("search"))
    paths["/organizations"] = _paged(
        "Paginated listing of organizations (HSDS 3.0).",
        f"{HSDS_SCHEMA}organization.json",
        ["search", "page", "per_page"],
    )
    paths["/organizations/{id}"] = {
        "parameters": [
            {
                "in": "path",
                "name": "id",
                "required": True,
                "schema": {"type": "string"},
                "description": "The id of the organization.",
            }
        ],
        "get": {
            "summary": "An organization with its identifiers and fully nested services.",
            "description": "An organization with its identifiers and fully nested services.",
            "responses": {
                "200": {
                    "description": "The organization.",
                    "content": {
                        "application/json": {"schema": {"$ref": f"{HSDS_SCHEMA}organization.json"}}
                    },
                },
                "404": {"description": "No such organization."},
            },
        },
    }
    return doc
