"""Authentication of the REST API: bearer tokens, the session with CSRF, and anonymous reads."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.tokens import actions
from healthgap.web.tokens.models import ApiToken
from tests.web.action.factories import make_activity
from tests.web.factories import TEST_JOB

pytestmark = pytest.mark.django_db

INSIGHT = {"theme": "trust", "summary": "People fear being charged.", "date": "2026-03-01"}


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def secret_for(role_users):
    """`secret_for(role)`: a new API token of that role's user."""
    return lambda role: actions.create_token(by=TEST_JOB, user=role_users[role], name="t")[1]


def test_a_token_acts_as_its_user(client, secret_for):
    me = client.get(reverse("api:me"), **bearer(secret_for("champion")))
    assert me.status_code == 200
    assert me.json() == {
        "username": "champion",
        "role": "champion",
        "permissions": ["edit_own_organisation", "record_activity"],
        "organisation_id": me.json()["organisation_id"],
        "organisation": "Champion org",
        "token": "t",
    }


def test_a_session_is_reported_without_a_token(client_for):
    me = client_for("analyst").get(reverse("api:me")).json()
    assert (me["username"], me["token"], me["organisation"]) == ("analyst", None, None)


def test_the_token_wins_over_the_session(client_for, secret_for):
    client = client_for("analyst")
    assert client.get(reverse("api:me"), **bearer(secret_for("partner"))).json()["username"] == (
        "partner"
    )


@pytest.mark.parametrize("url_name", ["api:status", "api:me", "api:action-programmes"])
def test_an_unknown_token_is_refused_even_on_public_endpoints(client, url_name):
    response = client.get(reverse(url_name), **bearer("hg_" + "x" * 43))
    assert response.status_code == 401
    assert response.json() == {"detail": "The API token is not valid: it is unknown or revoked."}


def test_revoked_tokens_and_tokens_of_inactive_users_are_refused(client, role_users, secret_for):
    partner = secret_for("partner")
    token = ApiToken.objects.get(user=role_users["partner"])
    actions.revoke_token(by=TEST_JOB, token=token)
    assert client.get(reverse("api:status"), **bearer(partner)).status_code == 401
    analyst = secret_for("analyst")
    assert client.get(reverse("api:me"), **bearer(analyst)).status_code == 200
    role_users["analyst"].is_active = False
    role_users["analyst"].save()
    assert client.get(reverse("api:me"), **bearer(analyst)).status_code == 401


def test_anonymous_callers_read_public_endpoints_and_get_401_elsewhere(client):
    assert client.get(reverse("api:action-programmes")).status_code == 200
    assert client.get(reverse("api:me")).status_code == 401
    assert client.get(reverse("api:need-introductions")).status_code == 401


def test_last_used_is_noted_at_most_once_a_minute(client, role_users, secret_for):
    secret = secret_for("analyst")
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    client.get(reverse("api:status"), **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(reverse("api:status"), **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(reverse("api:status"), **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)
    assert token.last_used_at <= timezone.now()


@pytest.mark.parametrize(("role", "roma"), [("analyst", 4), ("partner", "*")])
def test_public_reads_honour_the_token_role(client, secret_for, role, roma):
    """An analyst's token sees a count of 4 on a public endpoint; a partner's sees "*"."""
    make_activity(reach={"ethnicity:Roma": 4, "ethnicity:Indian": 20})
    body = client.get(reverse("api:action-activities"), **bearer(secret_for(role))).json()
    assert {r["group"]: r["count"] for r in body["items"][0]["reach"]}["Roma"] == roma


def post_json(client, url_name, payload, **extra):
    return client.post(
        reverse(url_name), json.dumps(payload), content_type="application/json", **extra
    )


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(role_users, secret_for):
    client = Client(enforce_csrf_checks=True)
    # Anonymous: 401 (sign in), not a CSRF failure.
    assert post_json(client, "api:action-insights", INSIGHT).status_code == 401
    client.force_login(role_users["partner"])
    refused = post_json(client, "api:action-insights", INSIGHT)
    assert (refused.status_code, refused.json()) == (403, {"detail": "CSRF check Failed"})
    client.get(reverse("core:home"))  # the page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    assert post_json(client, "api:action-insights", INSIGHT, HTTP_X_CSRFTOKEN=csrf).status_code == (
        201
    )
    tokens_only = Client(enforce_csrf_checks=True)
    created = post_json(
        tokens_only, "api:action-insights", INSIGHT, **bearer(secret_for("champion"))
    )
    assert created.status_code == 201


def test_token_writes_are_audited_as_the_tokens_user(client, secret_for):
    response = post_json(client, "api:action-insights", INSIGHT, **bearer(secret_for("champion")))
    assert response.status_code == 201
    event = AuditEvent.objects.get(object_type="action.insight")
    assert (event.action, event.actor.username) == (Action.CREATE, "champion")


def test_a_token_cannot_do_more_than_its_role(client, secret_for):
    response = post_json(client, "api:action-insights", INSIGHT, **bearer(secret_for("analyst")))
    assert response.status_code == 403
