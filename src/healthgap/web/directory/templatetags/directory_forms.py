"""`{% load directory_forms %}`: render Django form fields with NHS.UK frontend markup.

{% include "directory/includes/field.html" with field=form.name %}
{{ field|nhs_widget }}                   the input with NHS.UK classes and aria-describedby
{% for heading, options in field|grouped_options %}   checkboxes under headings
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

_CLASSES = {
    "textarea": "nhsuk-textarea",
    "select": "nhsuk-select",
}
_WIDTHS = {"number": " nhsuk-input--width-5", "date": " nhsuk-input--width-10"}


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def nhs_widget(field: BoundField) -> str:
    """The field's widget with NHS.UK classes (error variant when invalid)."""
    kind = field.widget_type
    base = _CLASSES.get(kind, "nhsuk-input")
    css = base + _WIDTHS.get(kind, "")
    if field.errors:
        css += f" {base}--error"
    attrs = {"class": css}
    if described := _described_by(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.filter
def described_by(field: BoundField) -> str:
    return _described_by(field)


def _selected(field: BoundField) -> set[str]:
    value = field.value()
    if value is None:
        return set()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(getattr(v, "pk", v)) for v in values}


@register.filter
def grouped_options(field: BoundField) -> list[tuple[str, list[dict[str, Any]]]]:
    """[(heading, [{id, value, label, checked}])] for a GroupedChoiceField or any
    ModelMultipleChoiceField (one group without a heading)."""
    model_field = field.field
    heading = getattr(model_field, "heading", lambda obj: "")
    selected = _selected(field)
    groups: dict[str, list[dict[str, Any]]] = {}
    for index, obj in enumerate(model_field.queryset):
        groups.setdefault(heading(obj), []).append(
            {
                "id": f"{field.auto_id}-{index}",
                "value": obj.pk,
                "label": model_field.label_from_instance(obj),
                "checked": str(obj.pk) in selected,
            }
        )
    return list(groups.items())


@register.filter
def choice_options(field: BoundField) -> list[dict[str, Any]]:
    """[{id, value, label, checked}] for a radio or checkbox field with plain choices."""
    selected = _selected(field)
    return [
        {
            "id": f"{field.auto_id}-{index}",
            "value": value,
            "label": label,
            "checked": str(value) in selected,
        }
        for index, (value, label) in enumerate(field.field.choices)
    ]
