"""Walk every URL in the URLconf as every role and compare with tests/web/access/; walk every
API URL again with an API token of each signed-in role; and check that every API operation
(method and path, from the OpenAPI schema) has an expectation for its method."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from healthgap.web.tokens.actions import create_token
from tests.web.access import ROLE_KEYS, Expect, collect
from tests.web.factories import TEST_JOB

EXPECTED = collect()
API_NAMES = sorted(name for name in EXPECTED if name.startswith("api:"))


def url_names(patterns=None, namespace: str = "") -> list[str]:
    """The full name ("ns:name") of every pattern; unnamed patterns are listed as their route."""
    names: list[str] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>")
    return names


def test_every_url_is_named_and_has_an_expectation():
    names = set(url_names())
    unnamed = sorted(n for n in names if n.startswith("<unnamed"))
    missing = sorted(names - set(EXPECTED) - set(unnamed))
    stale = sorted(set(EXPECTED) - names)
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    assert not missing, f"add these URLs to tests/web/access/<app>.py: {missing}"
    assert not stale, f"tests/web/access/ lists URLs that no longer exist: {stale}"


@pytest.mark.django_db
def test_every_api_operation_has_an_expectation_for_its_method(client):
    """Several operations share a URL name (GET and POST /programmes): each method needs a case."""
    schema = client.get(reverse("api:openapi-json")).json()
    missing = []
    for path, operations in schema["paths"].items():
        name = f"api:{resolve(_example_path(path)).url_name}"
        methods = {expect.method for expect in EXPECTED.get(name, [])}
        missing += [f"{m.upper()} {path} ({name})" for m in operations if m not in methods]
    assert not missing, f"add cases to tests/web/access/<app>.py for: {missing}"


def _example_path(template: str) -> str:
    """An OpenAPI path template with every {parameter} replaced by a value any converter takes."""
    parts = template.split("/")
    return "/".join("1" if p.startswith("{") and p.endswith("}") else p for p in parts)


def _send(client, expect: Expect, url: str, users, **headers: Any):
    options = {"content_type": "application/json"} if expect.json else {}
    return getattr(client, expect.method)(url, data=expect.body(users), **options, **headers)


def _walk(name: str, client, users, roles, sign_in) -> list[str]:
    """Request each case of `name` as each role (`sign_in(role)` returns extra headers)."""
    failures = []
    for case_number, expect in enumerate(EXPECTED[name]):
        url = reverse(name, kwargs=expect.kwargs(users))
        for role in roles:
            if expect.fresh:
                url = reverse(name, kwargs=expect.kwargs(users))
            response = _send(client, expect, url, users, **sign_in(role))
            if response.status_code != expect.statuses[role]:
                failures.append(
                    f"case {case_number} {expect.method.upper()} {url} as {role}: "
                    f"{response.status_code}, expected {expect.statuses[role]}"
                )
    return failures


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_status(name, client, role_users):
    def session(role: str) -> dict[str, str]:
        client.logout()
        if role != "public":
            client.force_login(role_users[role])
        return {}

    failures = _walk(name, client, role_users, ROLE_KEYS, session)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", API_NAMES)
def test_each_role_gets_the_same_status_with_an_api_token(name, client, role_users):
    """The token of a role gets exactly what the role's session gets (no session here)."""
    signed_in = [role for role in ROLE_KEYS if role != "public"]
    secrets = {
        role: create_token(by=TEST_JOB, user=role_users[role], name="walk")[1] for role in signed_in
    }

    def token(role: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {secrets[role]}"}

    failures = _walk(name, client, role_users, signed_in, token)
    assert not failures, "\n".join(failures)
