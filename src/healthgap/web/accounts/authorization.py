"""Permissions, roles, and the checks every view and API endpoint uses.

A `Permission` is one thing a person may do; a `Role` is a named list of permissions (as in
job-server's `authorization/roles.py`). A user has exactly one role (`User.role`); anonymous
visitors have the `PUBLIC` role, which holds no permissions. Views check permissions, never
role names, so a new role is a new list here and nothing else.

Use:

- `has_permission(user, Permission.X)` anywhere (templates get `perms_for_user`);
- `@require_permission(Permission.X)` on a view: anonymous visitors are sent to the login page,
  signed-in users without the permission get 403;
- `can_edit(user, obj)` before changing a record: `EDIT_ANY`, or `EDIT_OWN_ORGANISATION` when
  the record belongs to the user's organisation (see `owning_organisation_id`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


class Permission(StrEnum):
    """Everything a role can be allowed to do (values are stable strings, safe to store)."""

    VIEW_UNSUPPRESSED = "view_unsuppressed"
    EDIT_OWN_ORGANISATION = "edit_own_organisation"
    EDIT_ANY = "edit_any"
    RECORD_ACTIVITY = "record_activity"
    BROKER_INTRODUCTIONS = "broker_introductions"
    EXPORT_DATA = "export_data"
    IMPORT_DATA = "import_data"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_USERS = "manage_users"
    VIEW_EQUALITY = "view_equality"
    MANAGE_EQUALITY = "manage_equality"


@dataclass(frozen=True)
class Role:
    """A named set of permissions. `key` is what `User.role` stores."""

    key: str
    display_name: str
    description: str
    permissions: frozenset[Permission]


ADMINISTRATOR = Role(
    key="administrator",
    display_name="Administrator",
    description="Runs the platform: manages accounts, edits any record, reads the audit log.",
    permissions=frozenset(
        {
            Permission.EDIT_ANY,
            Permission.EDIT_OWN_ORGANISATION,
            Permission.RECORD_ACTIVITY,
            Permission.BROKER_INTRODUCTIONS,
            Permission.EXPORT_DATA,
            Permission.IMPORT_DATA,
            Permission.VIEW_AUDIT_LOG,
            Permission.MANAGE_USERS,
            Permission.VIEW_EQUALITY,
            Permission.MANAGE_EQUALITY,
        }
    ),
)
ANALYST = Role(
    key="analyst",
    display_name="Analyst",
    description=(
        "Works with the numbers: sees unsuppressed aggregates, exports data and brokers "
        "introductions between partners and priority neighbourhoods."
    ),
    permissions=frozenset(
        {
            Permission.VIEW_UNSUPPRESSED,
            Permission.BROKER_INTRODUCTIONS,
            Permission.EXPORT_DATA,
            Permission.VIEW_EQUALITY,
        }
    ),
)
EQUALITY_LEAD = Role(
    key="equality_lead",
    display_name="Equality lead",
    description=(
        "Runs equality assurance for their own organisation: WRES, EDS 2022, maturity "
        "self-assessments and equality impact assessments."
    ),
    permissions=frozenset({Permission.VIEW_EQUALITY, Permission.MANAGE_EQUALITY}),
)
PARTNER = Role(
    key="partner",
    display_name="Partner",
    description="Staff of a partner organisation: keeps its records and activities up to date.",
    permissions=frozenset({Permission.EDIT_OWN_ORGANISATION, Permission.RECORD_ACTIVITY}),
)
CHAMPION = Role(
    key="champion",
    display_name="Community Champion",
    description=(
        "A volunteer linked to an organisation: records outreach and what communities say."
    ),
    permissions=frozenset({Permission.EDIT_OWN_ORGANISATION, Permission.RECORD_ACTIVITY}),
)
PUBLIC = Role(
    key="public",
    display_name="Public",
    description="Anyone, without signing in: public pages with small numbers suppressed.",
    permissions=frozenset(),
)

#: The roles a user account can have, in display order (PUBLIC is for anonymous visitors only).
ROLES: dict[str, Role] = {
    r.key: r for r in (ADMINISTRATOR, ANALYST, PARTNER, CHAMPION, EQUALITY_LEAD)
}
ROLE_CHOICES = [(r.key, r.display_name) for r in ROLES.values()]


def role_of(user: Any) -> Role:
    """The role of `user` (PUBLIC for anonymous or inactive users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    return ROLES.get(user.role, PUBLIC)


def has_permission(user: Any, permission: Permission) -> bool:
    """True when `user`'s role grants `permission`."""
    return permission in role_of(user).permissions


def require_permission(permission: Permission) -> Callable[[Callable], Callable]:
    """View decorator: login redirect for anonymous visitors, 403 without `permission`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                # auth.views needs the app registry (User) loaded, so import it late.
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_permission(request.user, permission):
                raise PermissionDenied(f"You need the {permission.value} permission.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def owning_organisation_id(obj: Any) -> int | None:
    """The id of the organisation that owns `obj`.

    An Organisation owns itself; any other model either has an `organisation` foreign key or
    defines an `owning_organisation_id` attribute/property (for records owned indirectly).
    """
    from healthgap.web.directory.models import Organisation

    if isinstance(obj, Organisation):
        return obj.pk
    if hasattr(obj, "owning_organisation_id"):
        return obj.owning_organisation_id
    return getattr(obj, "organisation_id", None)


def can_edit(user: Any, obj: Any) -> bool:
    """True when `user` may change or delete `obj`.

    EDIT_ANY allows every record; EDIT_OWN_ORGANISATION allows records owned by the user's own
    organisation (partners and champions), and nothing when the user has no organisation.
    """
    if has_permission(user, Permission.EDIT_ANY):
        return True
    if not has_permission(user, Permission.EDIT_OWN_ORGANISATION):
        return False
    owner = owning_organisation_id(obj)
    return owner is not None and owner == user.organisation_id
