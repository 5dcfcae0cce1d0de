"""Who sees and changes equality records.

- Equality leads (MANAGE_EQUALITY, no EDIT_ANY) read and write their own organisation's
  records only; another organisation's records do not exist for them (404).
- Analysts (VIEW_EQUALITY with VIEW_UNSUPPRESSED) read every organisation's records; they
  change nothing.
- Administrators (EDIT_ANY) read and change every organisation's records.
- Partners, champions and the public have no access, except a published EDS summary, which
  NHS organisations must publish anyway (docs/equality.md, "Pages and reports").
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from healthgap.web.accounts.authorization import Permission, has_permission


def sees_all_organisations(user: Any) -> bool:
    """Administrators and analysts read every organisation's equality records."""
    return has_permission(user, Permission.VIEW_EQUALITY) and (
        has_permission(user, Permission.EDIT_ANY)
        or has_permission(user, Permission.VIEW_UNSUPPRESSED)
    )


def can_read(user: Any, organisation_id: int | None) -> bool:
    if not has_permission(user, Permission.VIEW_EQUALITY):
        return False
    return sees_all_organisations(user) or (
        organisation_id is not None and organisation_id == user.organisation_id
    )


def can_change(user: Any, organisation_id: int | None) -> bool:
    if not has_permission(user, Permission.MANAGE_EQUALITY):
        return False
    if has_permission(user, Permission.EDIT_ANY):
        return True
    return organisation_id is not None and organisation_id == user.organisation_id


def readable(user: Any, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` (a model with `organisation`) that `user` may read."""
    if sees_all_organisations(user):
        return queryset
    if has_permission(user, Permission.VIEW_EQUALITY) and user.organisation_id:
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.none()


def organisation_id_of(obj: Model) -> int:
    if hasattr(obj, "owning_organisation_id"):
        return obj.owning_organisation_id
    return obj.organisation_id


def check_read(user: Any, obj: Model) -> None:
    """404 unless `user` may read `obj` (records of other organisations stay invisible)."""
    if not can_read(user, organisation_id_of(obj)):
        raise Http404("No such record.")


def check_change(user: Any, obj: Model) -> None:
    """404 when `user` may not read `obj`; PermissionDenied when they may read but not change."""
    from django.core.exceptions import PermissionDenied

    check_read(user, obj)
    if not can_change(user, organisation_id_of(obj)):
        raise PermissionDenied("Only the organisation's equality lead can change this record.")
