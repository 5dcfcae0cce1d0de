"""The one NHS.UK form renderer: error summary, field markup and `attach_errors`."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from healthgap.web.core.forms import NHSFormMixin, attach_errors


class ExampleForm(NHSFormMixin, forms.Form):
    name = forms.CharField(help_text="As it appears on signs.")
    colours = forms.MultipleChoiceField(
        choices=[("red", "Red"), ("blue", "Blue")], widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        raise ValidationError("The whole form is wrong.")


def _render(form) -> str:
    return render_to_string("core/includes/error_summary.html", {"form": form}) + (
        render_to_string("core/includes/form_fields.html", {"form": form})
    )


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_the_error_summary_links_every_error_to_its_field():
    form = ExampleForm(data={"name": "", "notes": "x"})
    assert not form.is_valid()
    html = _render(form)
    summary = html[: html.index("</ul>")]
    assert 'class="nhsuk-error-summary"' in summary
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert 'aria-labelledby="error-summary-title"' in summary
    assert '<h2 class="nhsuk-error-summary__title" id="error-summary-title">' in summary
    assert '<a href="#id_name">Name: This field is required.</a>' in summary
    assert '<a href="#id_colours-0">Colours: This field is required.</a>' in summary
    assert '<a href="#main-form">The whole form is wrong.</a>' in summary
    # every link points at an element the fields render
    for target in re.findall(r'href="#(id_[^"]+)"', summary):
        assert target in _ids(html)


def test_a_field_in_error_is_described_by_its_hint_and_message():
    form = ExampleForm(data={"name": ""})
    form.is_valid()
    html = _render(form)
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert '<div class="nhsuk-hint" id="id_name-hint">As it appears on signs.</div>' in html
    assert (
        '<span class="nhsuk-error-message" id="id_name-error">'
        '<span class="nhsuk-u-visually-hidden">Error:</span> This field is required.</span>'
    ) in html
    assert 'class="nhsuk-input nhsuk-input--error"' in html
    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_colours-error">' in html
    assert "nhsuk-form-group--error" in html
    assert "Notes (optional)" in html and 'rows="3"' in html


def test_a_valid_or_unbound_form_has_no_summary_and_no_error_markup():
    html = _render(ExampleForm())
    assert "nhsuk-error-summary" not in html
    assert "nhsuk-error-message" not in html and "--error" not in html
    assert 'aria-describedby="id_name-hint"' in html


def test_attach_errors_puts_model_errors_on_fields_or_the_form():
    form = ExampleForm(data={"name": "Café", "colours": ["red"]})
    form.is_valid()
    attach_errors(form, ValidationError({"name": ["Too short."], "lsoa21": ["Unknown code."]}))
    assert form.errors["name"] == ["Too short."]
    assert "lsoa21: Unknown code." in form.non_field_errors()
