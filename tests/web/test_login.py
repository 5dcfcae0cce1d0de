"""Sign in, sign out, login throttling (django-axes) and the login audit."""

from __future__ import annotations

import pytest
from django.conf import settings

from healthgap.web.audit.models import Action, AuditEvent
from tests.web.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.mark.parametrize("role", ["administrator", "analyst", "partner", "champion"])
def test_each_role_can_sign_in_and_is_audited(client, role_users, role):
    response = client.post(LOGIN, {"username": role_users[role].username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert f"{role_users[role].username} (" in home.content.decode()
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == role_users[role]


def test_login_page_renders_for_the_public(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'autocomplete="current-password"' in page
    assert "csrfmiddlewaretoken" in page


def test_wrong_password_shows_an_error(client, role_users):
    response = client.post(LOGIN, {"username": "partner", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_sign_out_is_post_only_and_audited(client, role_users):
    client.force_login(role_users["partner"])
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=role_users["partner"]).exists()
    assert "Sign in" in client.get("/").content.decode()


def test_login_is_locked_after_too_many_failures(client, role_users):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert client.post(LOGIN, {"username": "partner", "password": "bad"}).status_code == 200
    locked = client.post(LOGIN, {"username": "partner", "password": "bad"})
    assert locked.status_code == 429
    # Even the right password is refused while locked out.
    again = client.post(LOGIN, {"username": "partner", "password": PASSWORD})
    assert again.status_code == 429
    assert "Too many sign-in attempts" in again.content.decode()
    # Another account from the same address is not locked (username + IP lockout).
    other = client.post(LOGIN, {"username": "analyst", "password": PASSWORD})
    assert other.status_code == 302
