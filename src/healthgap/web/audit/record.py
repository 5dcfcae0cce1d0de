"""`record(...)`: write one audit event. Call it inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.db import models

from healthgap.web.audit.models import Action, AuditEvent


def record(
    *,
    by: Any,
    action: Action,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write an audit event for `action` by user `by` on `obj` (or on object_type/object_id).

    `by` may be None only for system jobs (e.g. demo loading). `changes` must be JSON-safe.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        changes=changes or {},
    )


def field_changes(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [old, new] for the fields in `new_values` whose value differs on `instance`.

    Foreign keys are compared and stored by id (`<name>_id`); values are stringified when they
    are not JSON types (dates, decimals).
    """
    diff: dict[str, list[Any]] = {}
    for name, new in new_values.items():
        field = instance._meta.get_field(name)
        attname = field.attname
        old = getattr(instance, attname)
        new_cmp = new.pk if isinstance(new, models.Model) else new
        if old != new_cmp:
            diff[attname] = [_json_safe(old), _json_safe(new_cmp)]
    return diff


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
