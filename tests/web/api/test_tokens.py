"""Personal API tokens: the account page, the administrators' page, actions and audit."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from healthgap.web.audit import record as audit_record
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.tokens import actions
from healthgap.web.tokens.models import ApiToken
from tests.web.factories import TEST_JOB, make_user

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"hg_[A-Za-z0-9_-]{43}")


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_creating_a_token_shows_the_secret_once_and_stores_only_its_sha256(client_for):
    client = client_for("partner")
    response = client.post(reverse("tokens:account"), {"name": "weekly import"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = SECRET.search(response.content.decode()).group()
    token = ApiToken.objects.get()
    assert (token.name, token.user.username) == ("weekly import", "partner")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    # Nowhere else: not on the account page, not in the audit log.
    assert secret not in client.get(reverse("tokens:account")).content.decode()
    event = AuditEvent.objects.get(object_type="tokens.apitoken")
    assert (event.action, event.actor.username) == (Action.CREATE, "partner")
    assert event.changes == {"name": "weekly import", "user": "partner"}
    assert secret not in str(event.changes) + event.summary
    assert token.token_hash not in str(event.changes) + event.summary


def test_each_secret_is_new(role_users):
    user = role_users["analyst"]
    secrets = {actions.create_token(by=user, user=user, name=f"t{i}")[1] for i in range(3)}
    assert len(secrets) == 3 and all(SECRET.fullmatch(s) for s in secrets)


def test_a_nameless_token_is_refused_with_an_error_summary(client_for):
    response = client_for("champion").post(reverse("tokens:account"), {"name": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(object_type="tokens.apitoken").exists()


def test_account_page_lists_only_your_tokens(client_for, role_users):
    actions.create_token(by=TEST_JOB, user=role_users["partner"], name="mine")
    actions.create_token(by=TEST_JOB, user=role_users["analyst"], name="theirs")
    page = client_for("partner").get(reverse("tokens:account")).content.decode()
    assert "mine" in page and "theirs" not in page
    assert "Partner org" in page  # the account's organisation


def test_revoking_your_token_stops_it_and_is_audited(client_for, role_users):
    token, secret = actions.create_token(by=TEST_JOB, user=role_users["partner"], name="old")
    client = client_for("partner")
    assert client.get(reverse("api:me"), **bearer(secret)).status_code == 200
    response = client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("tokens:account")
    token.refresh_from_db()
    assert token.revoked
    client.logout()
    assert client.get(reverse("api:me"), **bearer(secret)).status_code == 401
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.actor.username == "partner" and event.object_id == str(token.pk)
    assert event.changes == {"revoked_at": [None, token.revoked_at.isoformat()]}


def test_revoking_twice_writes_one_audit_event(role_users):
    user = role_users["partner"]
    token, _ = actions.create_token(by=user, user=user, name="t")
    first = actions.revoke_token(by=user, token=token).revoked_at
    assert actions.revoke_token(by=user, token=token).revoked_at == first
    assert AuditEvent.objects.filter(action=Action.CHANGE).count() == 1


@pytest.mark.parametrize("role", ["analyst", "champion"])
def test_nobody_but_an_administrator_revokes_another_users_token(client_for, role_users, role):
    token, _ = actions.create_token(by=TEST_JOB, user=role_users["partner"], name="partner's")
    response = client_for(role).post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 403
    token.refresh_from_db()
    assert not token.revoked and not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_administrators_list_every_token_create_for_others_and_revoke_any(client_for, role_users):
    actions.create_token(by=TEST_JOB, user=role_users["champion"], name="champion's")
    client = client_for("administrator")
    page = client.get(reverse("tokens:manage")).content.decode()
    assert "champion&#x27;s" in page and "champion (Community Champion)" in page
    response = client.post(
        reverse("tokens:manage"), {"name": "service", "user": role_users["partner"].pk}
    )
    secret = SECRET.search(response.content.decode()).group()
    client.logout()
    me = client.get(reverse("api:me"), **bearer(secret)).json()
    assert (me["username"], me["role"], me["token"]) == ("partner", "partner", "service")
    event = AuditEvent.objects.get(object_id=str(ApiToken.objects.get(name="service").pk))
    assert event.actor.username == "admin" and event.changes["user"] == "partner"
    client.force_login(role_users["administrator"])
    token = ApiToken.objects.get(name="champion's")
    response = client.post(reverse("tokens:revoke", args=[token.pk]), {"back": "manage"})
    assert response["Location"] == reverse("tokens:manage")
    token.refresh_from_db()
    assert token.revoked


def test_back_to_the_administrators_page_only_for_administrators(client_for, role_users):
    token, _ = actions.create_token(by=TEST_JOB, user=role_users["partner"], name="t")
    response = client_for("partner").post(
        reverse("tokens:revoke", args=[token.pk]), {"back": "manage"}
    )
    assert response["Location"] == reverse("tokens:account")


@pytest.mark.django_db(transaction=True)
def test_no_token_is_left_when_the_audit_write_fails(monkeypatch):
    user = make_user("partner")

    def broken_create(**kwargs):
        raise IntegrityError("audit table unavailable")

    token, _ = actions.create_token(by=user, user=user, name="kept")
    monkeypatch.setattr(audit_record.AuditEvent.objects, "create", broken_create)
    with pytest.raises(IntegrityError, match="audit table unavailable"):
        actions.create_token(by=user, user=user, name="lost")
    with pytest.raises(IntegrityError, match="audit table unavailable"):
        actions.revoke_token(by=user, token=token)
    assert [(t.name, t.revoked) for t in ApiToken.objects.all()] == [("kept", False)]


def test_the_header_links_to_the_account_page(client_for):
    page = client_for("analyst").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("tokens:account")}"' in page
