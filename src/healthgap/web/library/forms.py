"""The case study form (writes happen in `actions`)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from healthgap.web.action.models import Programme
from healthgap.web.action.validators import indicator_names
from healthgap.web.core.forms import NHSFormMixin
from healthgap.web.directory.models import Organisation
from healthgap.web.library.models import CaseStudy

_FIELDS = ("title", "programme", "summary", "what_worked", "evidence", "published")


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, lower case, each once, in order."""
    tags = (tag.strip().lower() for tag in re.split(r"[,;\n]+", text))
    return list(dict.fromkeys(tag for tag in tags if tag))


class CaseStudyForm(NHSFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), required=False, empty_label="Not part of a programme"
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    what_worked = forms.CharField(label="What worked", widget=forms.Textarea(attrs={"rows": 6}))
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How you know it worked: uptake before and after, feedback, numbers reached.",
    )
    evidence_indicators = forms.MultipleChoiceField(
        label="Indicators the evidence is about",
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = forms.ModelMultipleChoiceField(
        label="Who to contact",
        required=False,
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Separate tags with commas, e.g. vaccination, Urdu.",
    )
    published = forms.BooleanField(
        label="Publish this case study (everyone can read it)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_indicators"].choices = sorted(indicator_names().items())

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data["tags"])

    def case_study_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in _FIELDS} | {
            "evidence_indicators": data["evidence_indicators"],
            "tags": data["tags"],
        }

    @staticmethod
    def initial_for(case_study: CaseStudy) -> dict[str, Any]:
        return {name: getattr(case_study, name) for name in _FIELDS} | {
            "programme": case_study.programme_id,
            "evidence_indicators": case_study.evidence_indicators,
            "contacts": list(case_study.contacts.all()),
            "tags": ", ".join(case_study.tags),
        }
