"""schemathesis against the REST API (/api/openapi.json) and the ORUK API (/oruk/openapi.json),
anonymously and with an API token of each role: no 5xx, and every response matches its schema
(status code documented, body valid, content type as declared).

Bounded: a few generated examples per operation and role (SCHEMATHESIS_EXAMPLES, default 3),
no deadline, derandomised, in-process through the WSGI app (no network).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from healthgap.web.tokens.actions import create_token
from healthgap.web.wsgi import application
from tests.web.conftest import ROLE_KEYS
from tests.web.factories import TEST_JOB

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
#: No 5xx; a body that matches the documented schema of its status code, in the declared
#: content type. (Status codes the schema does not list, e.g. 401/403/404/422 on most operations,
#: are recorded in docs/reliability.md rather than failed here: see there.)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
ROLES = ROLE_KEYS  # every role of the permission walk, the equality lead included

api = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
oruk = schemathesis.openapi.from_wsgi("/oruk/openapi.json", application)

BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI app, not through Django's test client, so do what the
    client does: keep `close_old_connections` from closing the test's database connection
    (and its transaction) at the end of each request (on PostgreSQL it would be closed)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def headers(role_users, role) -> dict[str, str]:
    """No credentials for the public; else an API token of the role's user."""
    if role == "public":
        return {}
    _, secret = create_token(by=TEST_JOB, user=role_users[role], name=f"schemathesis {role}")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@api.parametrize()
@BOUNDED
def test_rest_api_conforms_to_its_schema(case, role, headers):
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
@oruk.parametrize()
@BOUNDED
def test_oruk_api_conforms_to_its_schema(case):
    case.call_and_validate(checks=CHECKS)
