"""Settings from the environment, and the security headers on every response."""

from __future__ import annotations

import os
import stat

import pytest
from django.conf import settings

from healthgap.web import config
from healthgap.web.middleware import CONTENT_SECURITY_POLICY


def test_argon2_is_the_password_hasher_and_debug_is_off():
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.DEBUG is False
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.django_db
def test_stored_passwords_are_argon2(role_users):
    assert role_users["partner"].password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_security_headers_on_pages(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "camera=()" in response["Permissions-Policy"]


def test_content_security_policy_allows_only_this_origin():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_csrf_is_enforced_on_forms():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    assert response.status_code == 403


def test_database_url_is_parsed_for_postgresql():
    db = config.database_from_url("postgresql://me:p%40ss@db.example:5433/health?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("health", "me", "p@ss")
    assert (db["HOST"], db["PORT"], db["OPTIONS"]) == ("db.example", "5433", {"sslmode": "require"})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/db", "must start with postgresql://"),
        ("postgresql://localhost/", "must name a database"),
    ],
)
def test_bad_database_urls_are_refused(url, message):
    with pytest.raises(ValueError, match=message):
        config.database_from_url(url)


def test_sqlite_lives_in_the_var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHGAP_VAR_DIR", str(tmp_path))
    monkeypatch.delenv(config.ENV_DATABASE_URL, raising=False)
    assert config.var_dir() == tmp_path
    db = config.database(config.var_dir())
    assert db == {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "web/db.sqlite3"}


def test_secret_key_is_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv(config.ENV_SECRET_KEY, raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) >= 50
    assert config.secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "web" / "secret_key").stat().st_mode)
    assert mode == 0o600
    monkeypatch.setenv(config.ENV_SECRET_KEY, "from-the-environment")
    assert config.secret_key(tmp_path) == "from-the-environment"


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("TRUE", True), ("", False), ("0", False)]
)
def test_env_flag(monkeypatch, value, expected):
    monkeypatch.setenv("HEALTHGAP_TEST_FLAG", value)
    assert config.env_flag("HEALTHGAP_TEST_FLAG") is expected


@pytest.mark.django_db
def test_database_backend_follows_the_environment():
    from django.db import connection

    expected = "postgresql" if config.ENV_DATABASE_URL in os.environ else "sqlite"
    assert connection.vendor == expected
