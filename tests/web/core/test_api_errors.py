"""`core.api.install_error_handlers`: rules the caller can fix give 422 with the one documented
error shape, {"detail": message or {field: [messages]}}, never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.testing import TestClient

from healthgap.errors import ArgumentError, DataSourceError, HealthgapError, InputDataError
from healthgap.web.api import api as site_api
from healthgap.web.core.api import install_error_handlers


@pytest.fixture(scope="module")
def client():
    api = NinjaAPI(urls_namespace="core-api-errors-test")
    install_error_handlers(api)
    errors = {
        "base": HealthgapError("The period 2030 has no results yet."),
        "input": InputDataError("A count is negative.", offenders=[3]),
        "argument": ArgumentError("Confidence must be 0.95 or 0.998."),
        "source": DataSourceError("The IMD 2019 file is not in the mirror."),
    }

    @api.get("/fail/{kind}")
    def fail(request, kind: str):
        raise errors[kind]

    @api.get("/invalid")
    def invalid(request):
        raise ValidationError({"name": ["This field cannot be blank."]})

    @api.get("/invalid-form")
    def invalid_form(request):
        raise ValidationError("Choose an organisation or a champion, not both.")

    @api.get("/forbidden")
    def forbidden(request):
        raise HttpError(403, "You may not start programmes.")

    return TestClient(api)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("base", "The period 2030 has no results yet."),
        ("input", "A count is negative."),
        ("argument", "Confidence must be 0.95 or 0.998."),
        ("source", "The IMD 2019 file is not in the mirror."),
    ],
)
def test_a_healthgap_error_is_a_422_with_its_message(client, kind, message):
    response = client.get(f"/fail/{kind}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    detail = json.loads(response.content)["detail"]
    assert detail.startswith(message)


def test_a_validation_error_is_a_422_with_messages_by_field(client):
    response = client.get("/invalid")
    assert response.status_code == 422
    assert json.loads(response.content) == {"detail": {"name": ["This field cannot be blank."]}}
    response = client.get("/invalid-form")
    assert json.loads(response.content) == {
        "detail": {"__all__": ["Choose an organisation or a champion, not both."]}
    }


def test_other_errors_keep_the_same_shape(client):
    response = client.get("/forbidden")
    assert (response.status_code, json.loads(response.content)) == (
        403,
        {"detail": "You may not start programmes."},
    )


def test_the_site_api_has_the_handlers():
    assert HealthgapError in site_api._exception_handlers
    assert ValidationError in site_api._exception_handlers
