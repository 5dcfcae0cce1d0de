"""Django forms rendered with NHS.UK frontend markup (`action/includes/field.html`).

`NHSFormMixin` gives each widget its NHS.UK class, and after validation marks fields in error
(`nhsuk-input--error` etc.) and points `aria-describedby` at the hint and error message, as the
NHS.UK design system asks. `attach_errors` copies a model ValidationError onto a form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.widgets import Input

_CLASSES: dict[type, tuple[str, str]] = {
    forms.CheckboxSelectMultiple: ("nhsuk-checkboxes__input", ""),
    forms.CheckboxInput: ("nhsuk-checkboxes__input", ""),
    forms.RadioSelect: ("nhsuk-radios__input", ""),
    forms.Textarea: ("nhsuk-textarea", "nhsuk-textarea--error"),
    forms.Select: ("nhsuk-select", "nhsuk-select--error"),
    forms.SelectMultiple: ("nhsuk-select", "nhsuk-select--error"),
    Input: ("nhsuk-input", "nhsuk-input--error"),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "nhsuk-input nhsuk-input--width-10", **(attrs or {})})


def _classes(widget: forms.Widget) -> tuple[str, str]:
    return next((c for kind, c in _CLASSES.items() if isinstance(widget, kind)), ("", ""))


class NHSFormMixin:
    """Mix into a Form: NHS.UK classes on widgets and error/hint wiring after validation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            base, _ = _classes(field.widget)
            if base and "class" not in field.widget.attrs:
                field.widget.attrs["class"] = base

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            self._describe(name, field)

    def _describe(self, name: str, field: forms.Field) -> None:
        bound = self[name]
        described = []
        if field.help_text:
            described.append(f"{bound.auto_id}-hint")
        if name in self.errors:
            described.append(f"{bound.auto_id}-error")
            _, error_class = _classes(field.widget)
            if error_class and error_class not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{field.widget.attrs['class']} {error_class}"
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Add a ValidationError raised by an action to `form`, by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        messages = [
            msg if target or field == NON_FIELD_ERRORS else f"{field}: {msg}"
            for e in errors
            for msg in e.messages
        ]
        form.add_error(target, messages)
