"""The `changes` an audit event records, built one way for every app.

One serialiser, `json_value`, turns a field value into JSON: a model instance becomes its
primary key, JSON values (None, bool, int, float, str, list, dict) stay as they are, a tuple
becomes a list, and anything else (dates, decimals, UUIDs) becomes its text.

- a create records field -> value (`created`);
- a change records field -> [old, new] for the fields that differ (`field_changes`, or
  `apply_fields`, which also sets the new values);
- a many-to-many edit records name -> [old ids, new ids] (`set_related`);
- `update(by=..., instance=..., fields=..., related=..., summary=...)` does a whole audited
  change of one record: apply, validate, save, replace relations, record.

Write the change and `record(...)` in one `transaction.atomic()` block, so both commit or
neither does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models, transaction

from healthgap.web.audit.models import Action
from healthgap.web.audit.record import Actor, record


def json_value(value: Any) -> Any:
    """`value` as JSON for the audit log: models by primary key, non-JSON values as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, tuple):
        return [json_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def created(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The `changes` of a create: field -> value."""
    return {name: json_value(value) for name, value in fields.items()}


def field_changes(instance: models.Model, new_values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field -> [old, new] for the fields in `new_values` whose value differs on `instance`.

    Foreign keys are compared and stored by id (`<name>_id`).
    """
    diff: dict[str, list[Any]] = {}
    for name, new in new_values.items():
        attname = instance._meta.get_field(name).attname
        old = getattr(instance, attname)
        new_cmp = new.pk if isinstance(new, models.Model) else new
        if old != new_cmp:
            diff[attname] = [json_value(old), json_value(new_cmp)]
    return diff


def apply_fields(instance: models.Model, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Set `fields` on `instance` (unsaved) and return their `field_changes`."""
    changes: dict[str, Any] = field_changes(instance, fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    return changes


def ids(objects: Iterable[models.Model]) -> list[Any]:
    """The sorted primary keys of `objects`."""
    return sorted(obj.pk for obj in objects)


def set_related(
    manager: Any, objects: Iterable[models.Model], changes: dict[str, Any], name: str
) -> None:
    """Replace a many-to-many relation, noting `name: [old ids, new ids]` if it changed."""
    objects = list(objects)
    old, new = ids(manager.all()), ids(objects)
    if old != new:
        changes[name] = [old, new]
    manager.set(objects)


def save_valid(instance: models.Model) -> None:
    """`full_clean` (fields, validators, constraints), then save: invalid data writes nothing."""
    instance.full_clean()
    instance.save()


def update(
    *,
    by: Actor,
    instance: models.Model,
    fields: Mapping[str, Any],
    related: Mapping[str, Iterable[models.Model] | None] | None = None,
    summary: Callable[[Any], str],
) -> dict[str, Any]:
    """Set `fields` on `instance`, validate and save it, replace the many-to-many relations in
    `related` (None leaves one alone), and record a CHANGE with `summary(instance)` and the
    changes, all in one transaction. Returns the changes."""
    with transaction.atomic():
        changes = apply_fields(instance, fields)
        save_valid(instance)
        for name, objects in (related or {}).items():
            if objects is not None:
                set_related(getattr(instance, name), objects, changes, name)
        record(
            by=by, action=Action.CHANGE, obj=instance, summary=summary(instance), changes=changes
        )
    return changes
