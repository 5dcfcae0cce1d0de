"""`{% load nhs_forms %}`: the filters behind `core/includes/field.html` (see `core.forms`).

{{ field|nhs_widget }}                   the input with NHS.UK classes and aria-describedby
{{ field|described_by }}                 ids of the hint and error message
{% for heading, options in field|grouped_options %}   checkboxes, under headings if any
{% for option in field|choice_options %}              radios
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from healthgap.web.core import forms as nhs

register = template.Library()


@register.filter
def nhs_widget(field: BoundField) -> str:
    """The field's widget with NHS.UK classes (error variant when invalid)."""
    attrs = {"class": nhs.widget_css(field)}
    if described := nhs.described_by(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.filter
def described_by(field: BoundField) -> str:
    return nhs.described_by(field)


def _selected(field: BoundField) -> set[str]:
    value = field.value()
    if value is None:
        return set()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(getattr(v, "pk", v)) for v in values}


def _option(field: BoundField, index: int, value: Any, label: Any, selected: set[str]) -> dict:
    return {
        "id": f"{field.auto_id}-{index}",
        "value": value,
        "label": label,
        "checked": str(value) in selected,
    }


@register.filter
def grouped_options(field: BoundField) -> list[tuple[str, list[dict[str, Any]]]]:
    """[(heading, [{id, value, label, checked}])]: a GroupedChoiceField's rows under their
    headings; any other model field's rows, or a plain field's choices, as one group without
    a heading."""
    model_field = field.field
    selected = _selected(field)
    queryset = getattr(model_field, "queryset", None)
    if queryset is None:
        options = [
            _option(field, i, value, label, selected)
            for i, (value, label) in enumerate(model_field.choices)
        ]
        return [("", options)] if options else []
    heading = getattr(model_field, "heading", lambda obj: "")
    groups: dict[str, list[dict[str, Any]]] = {}
    for index, obj in enumerate(queryset):
        option = _option(field, index, obj.pk, model_field.label_from_instance(obj), selected)
        groups.setdefault(heading(obj), []).append(option)
    return list(groups.items())


@register.filter
def choice_options(field: BoundField) -> list[dict[str, Any]]:
    """[{id, value, label, checked}] for a radio field with plain choices."""
    selected = _selected(field)
    return [
        _option(field, index, value, label, selected)
        for index, (value, label) in enumerate(field.field.choices)
    ]
