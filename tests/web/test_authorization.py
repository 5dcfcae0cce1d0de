"""The role/permission matrix, the view decorator and object-level edit checks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from healthgap.web.accounts.authorization import (
    PUBLIC,
    ROLES,
    Permission,
    can_edit,
    has_permission,
    require_permission,
    role_of,
)
from tests.web.factories import build_organisation

P = Permission
# The matrix as agreed for issue 5, written out by hand: role -> permissions it holds.
EXPECTED_MATRIX = {
    "administrator": {
        P.EDIT_ANY,
        P.EDIT_OWN_ORGANISATION,
        P.RECORD_ACTIVITY,
        P.BROKER_INTRODUCTIONS,
        P.EXPORT_DATA,
        P.IMPORT_DATA,
        P.VIEW_AUDIT_LOG,
        P.MANAGE_USERS,
        P.VIEW_EQUALITY,
        P.MANAGE_EQUALITY,
    },
    "analyst": {P.VIEW_UNSUPPRESSED, P.BROKER_INTRODUCTIONS, P.EXPORT_DATA, P.VIEW_EQUALITY},
    "partner": {P.EDIT_OWN_ORGANISATION, P.RECORD_ACTIVITY},
    "champion": {P.EDIT_OWN_ORGANISATION, P.RECORD_ACTIVITY},
    # Issue 11: equality assurance pages, for the lead's own organisation only.
    "equality_lead": {P.VIEW_EQUALITY, P.MANAGE_EQUALITY},
}


def user(role: str, organisation_id: int | None = None, *, active: bool = True):
    return SimpleNamespace(
        is_authenticated=True, is_active=active, role=role, organisation_id=organisation_id
    )


@pytest.mark.parametrize("role", sorted(EXPECTED_MATRIX))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_permission_matrix(role, permission):
    assert has_permission(user(role), permission) is (permission in EXPECTED_MATRIX[role])


def test_every_role_is_in_the_matrix_and_described():
    assert set(ROLES) == set(EXPECTED_MATRIX)
    for role in [*ROLES.values(), PUBLIC]:
        assert role.display_name and role.description.endswith(".")


def test_only_analysts_see_unsuppressed_figures():
    holders = {key for key in ROLES if has_permission(user(key), P.VIEW_UNSUPPRESSED)}
    assert holders == {"analyst"}


@pytest.mark.parametrize("permission", list(Permission))
def test_anonymous_inactive_and_unknown_roles_hold_nothing(permission):
    assert not has_permission(AnonymousUser(), permission)
    assert not has_permission(user("administrator", active=False), permission)
    assert not has_permission(user("superhero"), permission)
    assert not has_permission(None, permission)
    assert role_of(AnonymousUser()) is PUBLIC


@require_permission(P.VIEW_AUDIT_LOG)
def protected_view(request):
    return HttpResponse("secret")


def test_require_permission_sends_anonymous_visitors_to_login():
    request = RequestFactory().get("/audit/?user=x")
    request.user = AnonymousUser()
    response = protected_view(request)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/audit/%3Fuser%3Dx"


@pytest.mark.parametrize("role", ["analyst", "partner", "champion"])
def test_require_permission_denies_roles_without_it(role):
    request = RequestFactory().get("/audit/")
    request.user = user(role)
    with pytest.raises(PermissionDenied, match="view_audit_log"):
        protected_view(request)


def test_require_permission_lets_holders_through():
    request = RequestFactory().get("/audit/")
    request.user = user("administrator")
    assert protected_view(request).content == b"secret"


def test_can_edit_own_organisation_only():
    own = build_organisation(pk=1)
    other = build_organisation(pk=2)
    activity_of_own = SimpleNamespace(organisation_id=1)
    indirectly_owned = SimpleNamespace(owning_organisation_id=1, organisation_id=None)
    for role in ("partner", "champion"):
        member = user(role, organisation_id=1)
        assert can_edit(member, own)
        assert can_edit(member, activity_of_own)
        assert can_edit(member, indirectly_owned)
        assert not can_edit(member, other)
        assert not can_edit(member, SimpleNamespace(organisation_id=2))
        assert not can_edit(member, SimpleNamespace(organisation_id=None))
        assert not can_edit(user(role, organisation_id=None), SimpleNamespace(organisation_id=None))


def test_can_edit_for_administrators_analysts_and_the_public():
    records = [build_organisation(pk=1), SimpleNamespace(organisation_id=3)]
    for record in records:
        assert can_edit(user("administrator"), record)
        assert not can_edit(user("analyst"), record)
        assert not can_edit(AnonymousUser(), record)
