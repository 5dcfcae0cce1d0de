"""Forms of the equality pages (writes happen in `actions`). NHS.UK markup via NHSFormMixin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator

from healthgap.equality.eds import GRADES, ORGANISATION_OUTCOMES, OUTCOMES
from healthgap.equality.ehia import ASSESS_QUESTIONS, REFINE_QUESTIONS, REVIEW_QUESTIONS, Stage
from healthgap.equality.maturity import Framework
from healthgap.reports.equality import NARRATIVE_PROMPTS
from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.accounts.models import User
from healthgap.web.core.forms import DateInput, NHSFormMixin
from healthgap.web.core.uploads import UploadField
from healthgap.web.directory.models import Organisation

GRADE_CHOICES = [(g, f"{g} {name}") for g, name in GRADES.items()]
year_text = RegexValidator(r"^\d{4}(/\d{2})?$", "Give the year as 2025 or 2025/26.")


class OrganisationMixin:
    """Administrators pick the organisation; everyone else acts for their own (no field)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if has_permission(user, Permission.EDIT_ANY):
            choice = forms.ModelChoiceField(queryset=Organisation.objects.all())
            choice.widget.attrs["class"] = "nhsuk-select"
            self.fields = {"organisation": choice, **self.fields}

    def organisation(self) -> Organisation:
        if "organisation" in self.fields:
            return self.cleaned_data["organisation"]
        return self.user.organisation


class WRESUploadForm(OrganisationMixin, NHSFormMixin, forms.Form):
    year = forms.CharField(max_length=9, validators=[year_text], help_text="For example 2025.")
    counts = UploadField(
        label="Counts CSV",
        required=False,
        help_text="Columns indicator, ethnicity, numerator, denominator (and band, staff_group).",
    )
    workforce = UploadField(
        label="Workforce extract",
        required=False,
        help_text="Or one row per staff member (instead of the counts CSV).",
    )
    recruitment = UploadField(label="Recruitment extract", required=False)
    survey = UploadField(
        label="Staff Survey CSV",
        required=False,
        help_text="Indicators 5 to 8: indicator, ethnicity, percentage, respondents.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("counts")) == bool(data.get("workforce")):
            raise forms.ValidationError("Upload either a counts CSV or a workforce extract.")
        if data.get("recruitment") and not data.get("workforce"):
            raise forms.ValidationError("A recruitment extract goes with a workforce extract.")
        return data


class NarrativeForm(NHSFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, prompt in NARRATIVE_PROMPTS.items():
            self.fields[key] = forms.CharField(
                label=prompt, required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            self.fields[key].widget.attrs["class"] = "nhsuk-textarea"


class PlanActionForm(NHSFormMixin, forms.Form):
    """A line of an action plan; `target` is the indicator (WRES) or outcome (EDS)."""

    target = forms.ChoiceField(label="Indicator")
    action = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(max_length=200, help_text="A role or a name.")
    due = forms.DateField(widget=DateInput())

    def __init__(self, *args: Any, choices: list[tuple[str, str]], label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices
        self.fields["target"].label = label


WRES_INDICATOR_CHOICES = [(str(i), str(i)) for i in range(1, 10)]
EDS_OUTCOME_CHOICES = [(code, f"{code} {title}") for code, title in OUTCOMES.items()]


class EDSCreateForm(OrganisationMixin, NHSFormMixin, forms.Form):
    year = forms.CharField(max_length=9, validators=[year_text], help_text="For example 2025/26.")


class EDSServiceForm(NHSFormMixin, forms.Form):
    service = forms.CharField(max_length=200)
    grade_1a = forms.TypedChoiceField(
        label=f"1A {OUTCOMES['1A']}", choices=GRADE_CHOICES, coerce=int
    )
    grade_1b = forms.TypedChoiceField(
        label=f"1B {OUTCOMES['1B']}", choices=GRADE_CHOICES, coerce=int
    )
    grade_1c = forms.TypedChoiceField(
        label=f"1C {OUTCOMES['1C']}", choices=GRADE_CHOICES, coerce=int
    )
    grade_1d = forms.TypedChoiceField(
        label=f"1D {OUTCOMES['1D']}", choices=GRADE_CHOICES, coerce=int
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="One item a line."
    )
    stakeholders = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="Who agreed the grades, one a line."
    )


class EDSOutcomeForm(NHSFormMixin, forms.Form):
    grade = forms.TypedChoiceField(choices=GRADE_CHOICES, coerce=int)
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="One item a line."
    )
    stakeholders = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="Who agreed the grade, one a line."
    )


def valid_outcome(code: str) -> bool:
    return code in ORGANISATION_OUTCOMES


class MaturityForm(OrganisationMixin, NHSFormMixin, forms.Form):
    """One level (radio, with the framework's descriptors) and evidence per dimension."""

    assessed_on = forms.DateField(widget=DateInput())

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        for dim in framework.dimensions:
            choices = [
                (lv.number, f"{lv.number} {lv.name}: {dim.descriptors[lv.number]}")
                for lv in framework.levels
            ]
            self.fields[f"level_{dim.id}"] = forms.TypedChoiceField(
                label=dim.name,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
            )
            self.fields[f"evidence_{dim.id}"] = forms.CharField(
                label=f"Evidence for {dim.name}",
                help_text="One item a line.",
                widget=forms.Textarea(attrs={"rows": 2, "class": "nhsuk-textarea"}),
            )

    def ratings(self) -> dict[str, tuple[int, list[str]]]:
        data = self.cleaned_data
        return {
            d.id: (data[f"level_{d.id}"], data[f"evidence_{d.id}"].splitlines())
            for d in self.framework.dimensions
        }


class ModerationForm(NHSFormMixin, forms.Form):
    moderated_on = forms.DateField(widget=DateInput())
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        for dim in framework.dimensions:
            choices = [(lv.number, f"{lv.number} {lv.name}") for lv in framework.levels]
            self.fields[f"level_{dim.id}"] = forms.TypedChoiceField(
                label=dim.name,
                choices=choices,
                coerce=int,
                widget=forms.Select(attrs={"class": "nhsuk-select"}),
            )

    def levels(self) -> dict[str, int]:
        return {d.id: self.cleaned_data[f"level_{d.id}"] for d in self.framework.dimensions}


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class EHIACreateForm(OrganisationMixin, NHSFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    programme = forms.ModelChoiceField(
        queryset=None,
        required=False,  # type: ignore[arg-type]
        empty_label="Not a programme",
    )
    service_change = forms.CharField(
        max_length=200, required=False, help_text="Or the service change assessed."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from healthgap.web.action.models import Programme

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("programme") and not data.get("service_change", "").strip():
            raise forms.ValidationError("Choose a programme or name the service change.")
        return data


STAGE_FIELDS: dict[str, dict[str, str]] = {
    Stage.ASSESS.value: ASSESS_QUESTIONS,
    Stage.REFINE.value: REFINE_QUESTIONS,
    Stage.REVIEW.value: REVIEW_QUESTIONS,
}


class EHIAStageForm(NHSFormMixin, forms.Form):
    """The fields of the EHIA's current stage."""

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        textarea = {"rows": 3, "class": "nhsuk-textarea"}
        if stage == Stage.PREPARE.value:
            self.fields["scope"] = forms.CharField(widget=forms.Textarea(attrs=textarea))
            self.fields["groups_considered"] = forms.CharField(
                widget=forms.Textarea(attrs=textarea), help_text="One group a line."
            )
        for key, question in STAGE_FIELDS.get(stage, {}).items():
            self.fields[key] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs=textarea)
            )
        if stage == Stage.REFINE.value:
            self.fields["review_date"] = forms.DateField(required=False, widget=DateInput())

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        out: dict[str, Any] = {}
        if "scope" in data:
            out["scope"] = data.pop("scope")
            out["groups_considered"] = lines(data.pop("groups_considered"))
        if "review_date" in data:
            out["review_date"] = data.pop("review_date")
        if data:
            out["answers"] = data
        return out


class ProfileForm(NHSFormMixin, forms.Form):
    area = forms.ChoiceField(label="Area", help_text="The area the work covers.")
    indicators = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    need = forms.ChoiceField(required=False, label="Need indicator (optional)")
    uptake = forms.ChoiceField(required=False, label="Uptake indicator (optional)")

    def __init__(self, *args: Any, areas: list, indicators: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas
        self.fields["indicators"].choices = indicators
        self.fields["need"].choices = [("", "None"), *indicators]
        self.fields["uptake"].choices = [("", "None"), *indicators]


class EHIAActionForm(NHSFormMixin, forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    due = forms.DateField(widget=DateInput())
    review_on = forms.DateField(
        required=False, widget=DateInput(), help_text="When to check the action worked."
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            organisation=organisation, is_active=True
        )


class MoveForm(NHSFormMixin, forms.Form):
    direction = forms.ChoiceField(
        choices=[("advance", "advance"), ("back", "back")], widget=forms.HiddenInput
    )
    stage = forms.ChoiceField(required=False, choices=[(s.value, s.value) for s in Stage])
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
