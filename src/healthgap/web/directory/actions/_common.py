"""The shared write path of every directory action: validate, save, set many-to-many fields,
and record one audit event, inside the caller's `transaction.atomic()` block."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models.deletion import Collector

from healthgap.web.audit.changes import apply_fields, json_value, save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import record

#: What the audit log shows instead of a personal value (champions' names and contacts).
REDACTED = "(personal data, not logged)"


def m2m_labels(values: Iterable[Any]) -> list[str]:
    return sorted(str(getattr(v, "code", "") or v) for v in values)


def describe(instance: models.Model) -> str:
    return f"{instance._meta.verbose_name} {instance}"


def create(
    *,
    by: Any,
    instance: models.Model,
    fields: dict[str, Any],
    m2m: dict[str, Iterable[Any]] | None = None,
    personal: Iterable[str] = (),
    label: str | None = None,
    after_save: Callable[[Any], dict[str, Any]] | None = None,
) -> models.Model:
    """Validate and save `instance` (built from `fields`), set `m2m`, audit a CREATE.

    `after_save(instance)` may write related rows and return more changes to record."""
    save_valid(instance)
    changes = {name: json_value(value) for name, value in fields.items()}
    if after_save is not None:
        changes.update(after_save(instance))
    for name, values in (m2m or {}).items():
        values = list(values)
        getattr(instance, name).set(values)
        if values:
            changes[name] = m2m_labels(values)
    for name in personal:
        if changes.get(name) not in (None, ""):
            changes[name] = REDACTED
    label = label or describe(instance)
    record(by=by, action=Action.CREATE, obj=instance, summary=f"Created {label}", changes=changes)
    return instance


def update(
    *,
    by: Any,
    instance: models.Model,
    fields: dict[str, Any],
    m2m: dict[str, Iterable[Any] | None] | None = None,
    extra_changes: dict[str, Any] | None = None,
    personal: Iterable[str] = (),
    label: str | None = None,
) -> dict[str, Any]:
    """Apply `fields` and `m2m` (None values leave a relation alone) to `instance`; audit a
    CHANGE listing field -> [old, new] when anything changed. Returns the changes."""
    changes = apply_fields(instance, fields)
    changes.update(extra_changes or {})
    m2m_changes = {}
    for name, values in (m2m or {}).items():
        if values is None:
            continue
        values = list(values)
        old, new = m2m_labels(getattr(instance, name).all()), m2m_labels(values)
        if old != new:
            m2m_changes[name] = (values, [old, new])
    if not changes and not m2m_changes:
        return {}
    save_valid(instance)
    for name, (values, diff) in m2m_changes.items():
        getattr(instance, name).set(values)
        changes[name] = diff
    for name in personal:
        if name in changes:
            changes[name] = [REDACTED, REDACTED]
    label = label or describe(instance)
    record(by=by, action=Action.CHANGE, obj=instance, summary=f"Changed {label}", changes=changes)
    return changes


def delete(*, by: Any, instance: models.Model, label: str | None = None) -> None:
    """Audit a DELETE, then delete `instance`; the event counts what the deletion cascades
    to (`changes["also_deleted"]`: model label -> number of rows)."""
    collector = Collector(using=instance._state.db or "default")
    collector.collect([instance])
    rows: dict[str, set[Any]] = {}
    for model, objects in collector.data.items():
        if not model._meta.auto_created:  # skip many-to-many link rows
            rows.setdefault(model._meta.label_lower, set()).update(o.pk for o in objects)
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created:
            pks = queryset.values_list("pk", flat=True)
            rows.setdefault(queryset.model._meta.label_lower, set()).update(pks)
    rows[instance._meta.label_lower].discard(instance.pk)
    cascaded = {name: len(pks) for name, pks in rows.items()}
    also = {name: count for name, count in sorted(cascaded.items()) if count}
    label = label or describe(instance)
    record(
        by=by,
        action=Action.DELETE,
        obj=instance,
        summary=f"Deleted {label}",
        changes={"also_deleted": also} if also else None,
    )
    instance.delete()
