"""Writes to the directory. Each takes the acting user as `by` and writes the audit event in
the same transaction as the change (see healthgap.web.audit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from healthgap.web.audit.models import Action
from healthgap.web.audit.record import field_changes, record
from healthgap.web.directory.models import Organisation


def create_organisation(*, by: Any, **fields: Any) -> Organisation:
    """Create an organisation from model `fields` (validated with `full_clean`)."""
    with transaction.atomic():
        organisation = Organisation(**fields)
        organisation.full_clean()
        organisation.save()
        record(
            by=by,
            action=Action.CREATE,
            obj=organisation,
            summary=f"Created organisation {organisation.name}",
            changes={name: str(value) for name, value in fields.items()},
        )
    return organisation


def update_organisation(*, by: Any, organisation: Organisation, **fields: Any) -> Organisation:
    """Change `fields` of `organisation`; records field -> [old, new] for what changed."""
    with transaction.atomic():
        changes = field_changes(organisation, fields)
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        record(
            by=by,
            action=Action.CHANGE,
            obj=organisation,
            summary=f"Changed organisation {organisation.name}",
            changes=changes,
        )
    return organisation


def delete_organisation(*, by: Any, organisation: Organisation) -> None:
    """Delete `organisation` (its members keep their accounts, without an organisation)."""
    with transaction.atomic():
        record(
            by=by,
            action=Action.DELETE,
            obj=organisation,
            summary=f"Deleted organisation {organisation.name}",
        )
        organisation.delete()
