"""The one error shape of docs/api.md "Errors", checked on every operation of the OpenAPI
schema that takes a page, a path id or a request body (issue 12)."""

from __future__ import annotations

import re

import pytest

from tests.web.api.test_openapi import operations

pytestmark = pytest.mark.django_db

#: Larger than PostgreSQL's bigint (2**63 - 1) and SQLite's integer.
HUGE = 10**30


@pytest.fixture
def schema(client):
    return client.get("/api/openapi.json").json()


@pytest.fixture
def admin(client, role_users):
    client.force_login(role_users["administrator"])
    return client


def _fill(path: str, value: object) -> str:
    return re.sub(r"\{[a-z_]+\}", str(value), path)


def _params(operation) -> set[str]:
    return {p["name"] for p in operation.get("parameters", [])}


def test_page_zero_is_refused_with_422_on_every_list(schema, admin):
    lists = [
        path
        for path, method, op in operations(schema)
        if method == "get" and "page" in _params(op) and "{" not in path
    ]
    assert "/api/action/programmes" in lists and "/api/need/priorities" in lists
    for path in lists:
        response = admin.get(path, {"page": 0})
        assert response.status_code == 422, path
        (error,) = response.json()["detail"]
        assert error["loc"] == ["query", "page"], path


def test_a_huge_path_id_is_a_json_404_never_a_500(schema, admin):
    checked = []
    for path, method, _op in operations(schema):
        if "{pk}" not in path:
            continue
        body = {"content_type": "application/json", "data": "{}"} if method != "get" else {}
        response = getattr(admin, method)(_fill(path, HUGE), **body)
        assert response.status_code in (404, 422), f"{method} {path}: {response.status_code}"
        assert response["Content-Type"].startswith("application/json"), path
        assert "detail" in response.json(), path
        checked.append(f"{method} {path}")
    assert "get /api/action/programmes/{pk}" in checked
    assert "patch /api/directory/organisations/{pk}" in checked


def test_an_unsupported_body_field_is_refused_with_422_on_every_write(schema, admin):
    writes = [(path, method) for path, method, op in operations(schema) if op.get("requestBody")]
    assert ("/api/directory/organisations/{pk}", "patch") in writes
    for path, method in writes:
        response = getattr(admin, method)(
            _fill(path, 1), data={"colour": "red"}, content_type="application/json"
        )
        assert response.status_code == 422, f"{method} {path}: {response.status_code}"
        refused = [e for e in response.json()["detail"] if e["type"] == "extra_forbidden"]
        assert [e["loc"][-1] for e in refused] == ["colour"], f"{method} {path}"


def test_a_patch_with_a_known_and_an_unknown_field_changes_nothing(admin, role_users):
    from tests.web.factories import make_organisation

    organisation = make_organisation(name="Before")
    response = admin.patch(
        f"/api/directory/organisations/{organisation.pk}",
        data={"name": "After", "colour": "red"},
        content_type="application/json",
    )
    assert response.status_code == 422
    organisation.refresh_from_db()
    assert organisation.name == "Before"
