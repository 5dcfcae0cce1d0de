"""Factories for web tests: plain functions, one per model, with sensible defaults."""

from __future__ import annotations

import functools
import itertools
from typing import Any

from django.contrib.auth.hashers import make_password

from healthgap.web.accounts.models import User
from healthgap.web.audit.record import SystemActor
from healthgap.web.directory.models import Organisation, OrganisationKind

_counter = itertools.count(1)

#: The password every factory-made user has.
PASSWORD = "correct horse battery staple"

#: The audit actor of changes a test sets up without a signed-in user.
TEST_JOB = SystemActor("test")


def build_organisation(**fields: Any) -> Organisation:
    """An unsaved Organisation (no database needed)."""
    n = next(_counter)
    defaults: dict[str, Any] = {"name": f"Organisation {n}", "kind": OrganisationKind.VOLUNTARY}
    return Organisation(**{**defaults, **fields})


def make_organisation(**fields: Any) -> Organisation:
    organisation = build_organisation(**fields)
    organisation.save()
    return organisation


@functools.cache
def _password_hash() -> str:
    """PASSWORD hashed once with the configured (Argon2) hasher; hashing is slow on purpose."""
    return make_password(PASSWORD)


def make_user(role: str = "partner", **fields: Any) -> User:
    """A saved user with `role` (password `PASSWORD`)."""
    n = next(_counter)
    fields.setdefault("username", f"{role}{n}")
    user = User(role=role, password=_password_hash(), **fields)
    user.save()
    return user
