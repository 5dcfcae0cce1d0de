"""The OpenAPI schema at /api/openapi.json: every operation states its authentication, lists
are paginated, and the schema agrees with the permission walk about who may call anonymously."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from tests.web.access import collect
from tests.web.test_permission_walk import _example_path

pytestmark = pytest.mark.django_db

TOKEN = {"BearerToken": []}
SESSION = {"SessionCookie": []}
OPTIONAL = {}


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_security_schemes_are_the_bearer_token_and_the_session_cookie(schema):
    assert schema["components"]["securitySchemes"] == {
        "BearerToken": {"type": "http", "scheme": "bearer"},
        "SessionCookie": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    }


def test_every_operation_accepts_a_token_or_the_session(schema):
    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in operations(schema)
        if not {str(TOKEN), str(SESSION)} <= {str(s) for s in operation.get("security", [])}
    ]
    assert not missing, f"operations without token and session auth: {missing}"


def test_credentials_are_optional_exactly_where_the_public_is_let_in(schema):
    """`{}` in `security` (anonymous allowed) iff the walk expects anything but 401 for the
    public, for each operation's method."""
    expected = collect()
    wrong = []
    for path, method, operation in operations(schema):
        name = f"api:{resolve(_example_path(path)).url_name}"
        public = {e.statuses["public"] for e in expected[name] if e.method == method}
        optional = OPTIONAL in operation["security"]
        if optional == (public == {401}):
            wrong.append(f"{method.upper()} {path}: optional={optional}, public gets {public}")
    assert not wrong, "\n".join(wrong)
    assert OPTIONAL in schema["paths"]["/api/action/programmes"]["get"]["security"]
    assert OPTIONAL not in schema["paths"]["/api/action/programmes"]["post"]["security"]


def _resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else ref_or_schema


def test_every_list_is_paginated_with_page_and_page_size(schema):
    bare, unpaged = [], []
    for path, method, operation in operations(schema):
        ok = operation["responses"].get("200") or operation["responses"].get("201") or {}
        content = ok.get("content", {}).get("application/json", {}).get("schema")
        if method != "get" or content is None:
            continue
        body = _resolve(schema, content)
        if body.get("type") == "array":
            bare.append(path)
        elif set(body.get("properties", {})) == {"items", "count"}:
            params = {p["name"] for p in operation["parameters"]}
            if not {"page", "page_size"} <= params:
                unpaged.append(path)
    assert not bare, f"lists must be paginated: {bare}"
    assert not unpaged, f"paged lists without page/page_size: {unpaged}"


def test_the_paged_envelope(client):
    body = client.get(reverse("api:action-programmes"), {"page": 1, "page_size": 1000}).json()
    assert set(body) == {"items", "count"}
    assert client.get(reverse("api:action-programmes"), {"page": 0}).status_code == 422
