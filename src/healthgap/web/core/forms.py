"""Django forms with NHS.UK frontend markup: the one form renderer of the site.

Templates::

    {% include "core/includes/error_summary.html" %}       (above the form, `id="main-form"`)
    {% include "core/includes/form_fields.html" %}         every field of `form`, or
    {% include "core/includes/field.html" with field=form.name %}

The error summary lists every error as a link to its field (non-field errors link to the
form), under NHS.UK's `nhsuk-error-summary` with `role="alert"`. Each field shows its hint and
`nhsuk-error-message` and points `aria-describedby` at both; inputs in error get the
`--error` class (`{% load nhs_forms %}`: `nhs_widget`, `described_by`, `grouped_options`,
`choice_options`).

Views: `submit(request, form, write, saved)` is the POST half of a create or edit page.

`NHSFormMixin` gives widgets that a template renders directly (`{{ row.count }}` in a formset)
the same classes and `aria-describedby`. `attach_errors` copies a model ValidationError raised
by an action onto a form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.widgets import Input
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

#: NHS.UK class and its error variant for each kind of widget (first match wins).
_CLASSES: dict[type, tuple[str, str]] = {
    forms.CheckboxSelectMultiple: ("nhsuk-checkboxes__input", ""),
    forms.CheckboxInput: ("nhsuk-checkboxes__input", ""),
    forms.RadioSelect: ("nhsuk-radios__input", ""),
    forms.Textarea: ("nhsuk-textarea", "nhsuk-textarea--error"),
    forms.Select: ("nhsuk-select", "nhsuk-select--error"),
    forms.SelectMultiple: ("nhsuk-select", "nhsuk-select--error"),
    Input: ("nhsuk-input", "nhsuk-input--error"),
}
#: Fixed widths (in characters) of short inputs, by `BoundField.widget_type`.
_WIDTHS = {"number": " nhsuk-input--width-5", "date": " nhsuk-input--width-10"}


def widget_classes(widget: forms.Widget) -> tuple[str, str]:
    """(NHS.UK class, its error class) for `widget`; ("", "") for hidden and unknown widgets."""
    if widget.is_hidden:
        return "", ""
    return next((c for kind, c in _CLASSES.items() if isinstance(widget, kind)), ("", ""))


def widget_css(field: forms.BoundField) -> str:
    """The class attribute of `field`'s input: NHS.UK class, width, and error variant."""
    base, error = widget_classes(field.field.widget)
    css = base + _WIDTHS.get(field.widget_type, "") if base == "nhsuk-input" else base
    if field.errors and error:
        css += f" {error}"
    return css


def described_by(field: forms.BoundField) -> str:
    """The ids of `field`'s hint and error message, for `aria-describedby`."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "nhsuk-input nhsuk-input--width-10", **(attrs or {})})


class NHSFormMixin:
    """Mix into a Form: NHS.UK classes on widgets and error/hint wiring after validation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            base, _ = widget_classes(field.widget)
            if base and "class" not in field.widget.attrs:
                field.widget.attrs["class"] = base

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            self._describe(name, field)

    def _describe(self, name: str, field: forms.Field) -> None:
        bound = self[name]
        if name in self.errors:
            _, error_class = widget_classes(field.widget)
            if error_class and error_class not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{field.widget.attrs['class']} {error_class}"
        if described := described_by(bound):
            field.widget.attrs["aria-describedby"] = described


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


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[], Any],
    saved: str,
    then: Any = None,
) -> HttpResponse | None:
    """The POST half of a form page: for a valid POST, call `write()` (an action), show `saved`
    and redirect to `then`, or else to the record `write` returned.

    A ValidationError the action raises goes onto the form (`attach_errors`). None means "render
    the form page" (a GET, invalid input, or input the action refused).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write()
    except ValidationError as error:
        attach_errors(form, error)
        return None
    messages.success(request, saved)
    return redirect(then if then is not None else result)
