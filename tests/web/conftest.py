"""Django for the web tests: settings `healthgap.web.settings`, on SQLite by default or on
PostgreSQL when HEALTHGAP_DATABASE_URL is set (pytest-django creates and drops test_<name>).

Django is configured here, not in pyproject, so that the rest of the suite does not load it.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.web.settings")
os.environ.setdefault("HEALTHGAP_SECRET_KEY", "tests-only-secret-key")

import django

django.setup()

import pytest  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402

from tests.web.factories import make_organisation, make_user  # noqa: E402

#: Every role the permission tests run as; "public" is an anonymous visitor.
ROLE_KEYS = ("public", "administrator", "analyst", "partner", "champion", "equality_lead")


@pytest.fixture(scope="session", autouse=True)
def _block_database_by_default(django_db_blocker):
    """Tests touch the database only through pytest-django's `db` fixtures or marks."""
    django_db_blocker.block()
    yield
    django_db_blocker.restore()


@pytest.fixture
def role_users(db):
    """One user per role key (the partner and champion belong to their own organisations);
    "public" maps to AnonymousUser."""
    return {
        "public": AnonymousUser(),
        "administrator": make_user("administrator", username="admin"),
        "analyst": make_user("analyst", username="analyst"),
        "partner": make_user(
            "partner", username="partner", organisation=make_organisation(name="Partner org")
        ),
        "champion": make_user(
            "champion", username="champion", organisation=make_organisation(name="Champion org")
        ),
        "equality_lead": make_user(
            "equality_lead", username="equality-lead", organisation=make_organisation(name="Trust")
        ),
    }


@pytest.fixture
def client_for(client, role_users):
    """`client_for(role_key)`: the test client signed in as that role (anonymous for public)."""

    def sign_in(role: str):
        client.logout()
        if role != "public":
            client.force_login(role_users[role])
        return client

    return sign_in
