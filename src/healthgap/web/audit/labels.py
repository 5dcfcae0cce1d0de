"""Audit events in words: each recorded field change as label, before and after.

`describe(event)` reads `event.changes` (field -> [old, new] for a change, field -> value for
anything else, see `healthgap.web.audit.changes`) against the model named by `object_type`:

- the label is the field's verbose name ("Neighbourhood (LSOA 2021 code)"), or the key with
  underscores as spaces when the model has no such field;
- a value with choices shows its label ("Outreach session", not "outreach");
- a foreign key or many-to-many id shows the related record's name (`str(obj)`), or
  "#<id> (deleted)" when it is gone;
- empty values are "—", booleans "Yes"/"No", lists joined with commas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from healthgap.web.audit.models import Action, AuditEvent

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    """One field of an event: `before` is None for values that were set, not changed."""

    label: str
    before: str | None
    after: str


def event_model(event: AuditEvent) -> type[models.Model] | None:
    """The model `event.object_type` names ("app_label.model"), or None."""
    try:
        return apps.get_model(event.object_type) if "." in event.object_type else None
    except LookupError:
        return None


def object_label(event: AuditEvent) -> str:
    """ "<model verbose name> <record name>" (e.g. "organisation Palfrey Voices"), falling back
    to the stored type and id when the model or the record is gone."""
    model = event_model(event)
    if model is None:
        return f"{event.object_type} {event.object_id}".strip()
    found = _lookup(model, [event.object_id]).get(event.object_id) if event.object_id else None
    name = str(found) if found is not None else (f"#{event.object_id}" if event.object_id else "")
    return f"{model._meta.verbose_name} {name}".strip()


def describe(event: AuditEvent) -> list[FieldChange]:
    """The event's recorded fields in words (see the module docstring)."""
    model = event_model(event)
    rows = []
    for key, value in (event.changes or {}).items():
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None else key.replace("_", " ")
        label = label[:1].upper() + label[1:]
        if event.action == Action.CHANGE and isinstance(value, list) and len(value) == 2:
            rows.append(FieldChange(label, _show(field, value[0]), _show(field, value[1])))
        else:
            rows.append(FieldChange(label, None, _show(field, value)))
    return rows


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = next((f for f in model._meta.concrete_fields if f.attname == key), None)
    # Reverse relations (e.g. an activity's "reach") have no verbose name: shown by key.
    return field if field is not None and hasattr(field, "verbose_name") else None


def _show(field: models.Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field is not None and field.is_relation and field.related_model is not None:
        keys = value if isinstance(value, list) else [value]
        return ", ".join(_related_names(field.related_model, keys))
    if isinstance(value, list):
        return ", ".join(_show(field, item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(None, v)}" for k, v in value.items())
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))


def _related_names(model: type[models.Model], keys: list[Any]) -> list[str]:
    found = _lookup(model, keys)
    return [found.get(str(key), f"#{key} (deleted)") for key in keys]


def _lookup(model: type[models.Model], keys: list[Any]) -> dict[str, str]:
    """{str(pk): str(record)} for the keys that are records of `model`. Keys that are not
    primary keys of it (e.g. codes recorded for a relation) find nothing: shown as stored."""
    try:
        records = list(model._default_manager.filter(pk__in=keys))
    except (ValueError, TypeError, ValidationError):
        return {str(key): str(key) for key in keys}
    return {str(obj.pk): str(obj) for obj in records}
