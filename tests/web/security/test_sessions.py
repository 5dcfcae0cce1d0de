"""Sessions: a new session key at sign-in (no fixation), a dead session after sign-out, no open
redirects through `next`, and brute-force throttling that does not reveal whether a user exists."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.web.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_signing_in_issues_a_new_session_key(client, role_users):
    session = client.session
    session["planted"] = "by an attacker"  # a session the visitor had before signing in
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = _session_key(client)
    response = client.post(LOGIN, {"username": "partner", "password": PASSWORD})
    assert response.status_code == 302
    after = _session_key(client)
    assert after != before
    # The planted key is no longer signed in.
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = before
    assert attacker.get(reverse("api:me")).status_code == 401


def test_signing_out_ends_the_session_on_the_server(client, role_users):
    client.post(LOGIN, {"username": "partner", "password": PASSWORD})
    key = _session_key(client)
    assert client.get(reverse("api:me")).status_code == 200
    client.post(LOGOUT)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key  # a stolen copy of the old cookie
    assert replay.get(reverse("api:me")).status_code == 401
    assert client.get(reverse("api:me")).status_code == 401


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "https:evil.example",
        "/\\evil.example",
        "http://127.0.0.1.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_sign_in_and_out_never_follow_next_to_another_site(client, role_users, target):
    response = client.post(
        f"{LOGIN}?next={target}", {"username": "partner", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    # A signed-in user visiting the login page is sent home, not to `next`.
    assert client.get(f"{LOGIN}?next={target}")["Location"] == "/"
    response = client.post(LOGOUT, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_local_next_is_followed(client, role_users):
    response = client.post(
        LOGIN, {"username": "partner", "password": PASSWORD, "next": "/directory/"}
    )
    assert response["Location"] == "/directory/"


def _page(response, username: str) -> str:
    """The page with the username and the per-request CSRF tokens (64 characters) blanked."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode().replace(username, "USER"))


def test_throttling_locks_unknown_and_known_usernames_alike(client, role_users):
    """After AXES_FAILURE_LIMIT (5) failures both answer 429 with the same page, so the lockout
    does not tell an attacker which usernames exist."""
    pages = {}
    for username in ("partner", "no-such-user"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            last = client.post(LOGIN, {"username": username, "password": "guess"})
        assert last.status_code == 429
        pages[username] = _page(last, username)
    assert pages["partner"] == pages["no-such-user"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, role_users):
    known = client.post(LOGIN, {"username": "partner", "password": "guess"})
    unknown = client.post(LOGIN, {"username": "nobody-here", "password": "guess"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known, "partner") == _page(unknown, "nobody-here")
