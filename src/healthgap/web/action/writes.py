"""Small helpers the action and library `actions` modules share: validated saves and the
JSON-safe `changes` an audit event records for creates and many-to-many edits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def jsonable(value: Any) -> Any:
    """`value` as JSON: model instances by primary key, other non-JSON values as text."""
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def created(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The `changes` of a create: field -> value."""
    return {name: jsonable(value) for name, value in fields.items()}


def ids(objects: Iterable[models.Model]) -> list[int]:
    return sorted(obj.pk for obj in objects)


def save_valid(instance: models.Model) -> None:
    """`full_clean` (fields, validators, constraints) then save."""
    instance.full_clean()
    instance.save()


def set_related(
    manager: Any, objects: Iterable[models.Model], changes: dict[str, Any], name: str
) -> None:
    """Replace a many-to-many relation, noting `name: [old ids, new ids]` if it changed."""
    objects = list(objects)
    old, new = ids(manager.all()), ids(objects)
    if old != new:
        changes[name] = [old, new]
    manager.set(objects)
