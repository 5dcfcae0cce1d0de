"""CSRF: every page URL refuses a signed-in POST without a token (403, Django's CSRF failure),
every API write refuses a session request without the X-CSRFToken header, and the same request
with the token is let through (so the 403s above come from the missing token, not the URL)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.access import collect

pytestmark = pytest.mark.django_db
EXPECTED = collect()
PAGES = sorted(name for name in EXPECTED if not name.startswith("api:"))
API_WRITES = sorted(
    (name, number)
    for name, cases in EXPECTED.items()
    if name.startswith("api:")
    for number, case in enumerate(cases)
    if case.method in {"post", "put", "patch", "delete"}
)


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_every_page_refuses_a_post_without_a_csrf_token(role_users, name):
    case = EXPECTED[name][0]
    url = reverse(name, kwargs=case.kwargs(role_users))
    response = _client(role_users["administrator"]).post(url, case.body(role_users))
    assert response.status_code == 403, f"POST {url} without a CSRF token: {response.status_code}"
    assert b"CSRF" in response.content


@pytest.mark.parametrize(("name", "number"), API_WRITES)
def test_every_api_write_refuses_a_session_without_the_csrf_header(role_users, name, number):
    case = EXPECTED[name][number]
    url = reverse(name, kwargs=case.kwargs(role_users))
    response = getattr(_client(role_users["administrator"]), case.method)(
        url, data=case.body(role_users), content_type="application/json"
    )
    assert response.status_code == 403, f"{case.method.upper()} {url}: {response.status_code}"
    assert "CSRF" in response.content.decode()


def test_the_same_post_with_the_token_passes_the_check(role_users):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("accounts:login"),
        {"username": "partner", "password": "wrong", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200  # the form's own error, not a CSRF 403
    assert "There is a problem" in response.content.decode()


def test_an_api_write_with_the_csrf_header_passes_the_check(role_users):
    client = _client(role_users["administrator"])
    client.get(reverse("core:home"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("api:action-programmes"),
        data={},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 422  # validation of the empty body, past the CSRF check
