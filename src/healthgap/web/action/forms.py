"""Forms for programmes, activities (with a formset of reach rows), insights and the insight
filters. They collect input; the writes happen in `actions`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.action.models import Activity, Insight, Programme
from healthgap.web.action.validators import (
    indicator_names,
    validate_lsoa,
    validate_neighbourhood,
    validate_target_areas,
)
from healthgap.web.action.vocab import (
    GROUPS,
    ActivityKind,
    GroupType,
    InsightKind,
    ProgrammeKind,
    ProgrammeStatus,
    Theme,
    group_key,
    grouped_choices,
)
from healthgap.web.core.forms import DateInput, NHSFormMixin
from healthgap.web.directory.models import Organisation

PERSONAL_DATA_WARNING = (
    "Do not include names, contact details, dates of birth or anything else that could "
    "identify a person. Summarise what was said."
)
_GROUP_FIELDS = {
    GroupType.ETHNICITY: "ethnic_groups",
    GroupType.PLUS: "plus_groups",
    GroupType.LANGUAGE: "languages",
    GroupType.AGE: "age_bands",
}


def _group_field(group_type: str, label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=[(group_key(group_type, g), g) for g in GROUPS[group_type]],
        widget=forms.CheckboxSelectMultiple,
    )


class GroupFieldsMixin:
    """Checkbox lists (ethnic groups, PLUS groups, languages, age bands) read as one key list."""

    def selected_groups(self) -> list[str]:
        return [key for name in _GROUP_FIELDS.values() for key in self.cleaned_data[name]]

    @staticmethod
    def initial_groups(keys: list[str]) -> dict[str, list[str]]:
        return {
            name: [k for k in keys if k.startswith(f"{group_type}:")]
            for group_type, name in _GROUP_FIELDS.items()
        }


def _organisation_field(label: str, help_text: str = "") -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class ProgrammeForm(GroupFieldsMixin, NHSFormMixin, forms.Form):
    """Create or change a programme. Only users who may edit any record choose the lead
    organisation; everyone else's programmes are led by their own organisation."""

    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Type", choices=ProgrammeKind.choices)
    aims = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    lead_organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    partners = _organisation_field("Partner organisations")
    status = forms.ChoiceField(choices=ProgrammeStatus.choices, initial=ProgrammeStatus.ACTIVE)
    start_date = forms.DateField(widget=DateInput())
    end_date = forms.DateField(required=False, widget=DateInput())
    target_indicators = forms.MultipleChoiceField(
        label="Target indicators",
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    target_areas = forms.CharField(
        label="Target areas",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="2021 LSOA, MSOA or local authority codes, separated by commas or spaces, "
        "e.g. E08000028 for Sandwell.",
    )
    ethnic_groups = _group_field(GroupType.ETHNICITY, "Ethnic groups (Census 2021)")
    plus_groups = _group_field(GroupType.PLUS, "PLUS groups")
    languages = _group_field(GroupType.LANGUAGE, "Languages")
    age_bands = _group_field(GroupType.AGE, "Age bands")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_indicators"].choices = sorted(indicator_names().items())
        if not has_permission(user, Permission.EDIT_ANY):
            del self.fields["lead_organisation"]

    def clean_target_areas(self) -> list[str]:
        codes = list(dict.fromkeys(re.split(r"[\s,;]+", self.cleaned_data["target_areas"])))
        codes = [code for code in codes if code]
        validate_target_areas(codes)
        return codes

    def programme_fields(self) -> dict[str, Any]:
        """Model fields for `actions.create_programme`/`update_programme` (not partners)."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("name", "kind", "aims", "status", "start_date", "end_date")
        }
        if "lead_organisation" in self.fields:
            fields["lead_organisation"] = data["lead_organisation"]
        return fields | {
            "target_indicators": data["target_indicators"],
            "target_areas": data["target_areas"],
            "target_groups": self.selected_groups(),
        }

    @classmethod
    def initial_for(cls, programme: Programme) -> dict[str, Any]:
        return {
            "name": programme.name,
            "kind": programme.kind,
            "aims": programme.aims,
            "lead_organisation": programme.lead_organisation_id,
            "partners": list(programme.partners.all()),
            "status": programme.status,
            "start_date": programme.start_date,
            "end_date": programme.end_date,
            "target_indicators": programme.target_indicators,
            "target_areas": " ".join(programme.target_areas),
            **cls.initial_groups(programme.target_groups),
        }


class ActivityForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What kind of activity", choices=ActivityKind.choices)
    date = forms.DateField(widget=DateInput())
    place = forms.CharField(max_length=200, help_text="The venue, e.g. Guru Nanak Gurdwara.")
    lsoa21 = forms.CharField(
        label="Neighbourhood (LSOA 2021 code)",
        required=False,
        max_length=9,
        validators=[validate_lsoa],
        help_text="Optional, e.g. E01010234. It puts the activity on the neighbourhood profile.",
    )
    partners = _organisation_field("Other organisations involved")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attendees = forms.IntegerField(
        label="How many people took part",
        required=False,
        min_value=0,
        help_text="Co-production meetings only.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}),
    )
    outcomes = forms.CharField(
        label="What came of it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Co-production meetings only: decisions made and what will change.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") != ActivityKind.COPRODUCTION:
            for name in ("attendees", "outcomes"):
                if data.get(name) not in (None, ""):
                    self.add_error(name, "Only co-production meetings record this.")
        return data

    def activity_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("kind", "date", "place", "lsoa21", "notes", "attendees", "outcomes")
        return {name: data[name] for name in names}

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        names = ("kind", "date", "place", "lsoa21", "notes", "attendees", "outcomes")
        return {name: getattr(activity, name) for name in names} | {
            "partners": list(activity.partners.all())
        }


class ReachForm(NHSFormMixin, forms.Form):
    """One row of people reached: a group and how many people of it."""

    group = forms.ChoiceField(choices=[("", "Choose a group"), *grouped_choices()])
    count = forms.IntegerField(
        label="People reached",
        min_value=0,
        error_messages={"min_value": "Enter 0 or more people."},
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4"}),
    )


class BaseReachFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
            form.fields["DELETE"].widget.attrs["class"] = "nhsuk-checkboxes__input"

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            group = form.cleaned_data.get("group")
            if group in seen:
                raise forms.ValidationError(
                    "Each group can be counted once per activity: add the counts together."
                )
            if group:
                seen.add(group)

    def reach(self) -> dict[str, int]:
        """{group key: count} from the rows that are filled in and not removed."""
        return {
            form.cleaned_data["group"]: form.cleaned_data["count"]
            for form in self.forms
            if form.cleaned_data.get("group")
            and not (self.can_delete and self._should_delete_form(form))
        }


ReachFormSet = forms.formset_factory(
    ReachForm, formset=BaseReachFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)
REACH_PREFIX = "reach"


def reach_formset(data: Any = None, activity: Activity | None = None) -> BaseReachFormSet:
    """The reach rows of `activity` (blank rows to add more), bound to `data` if given."""
    initial = (
        [{"group": row.key, "count": row.count} for row in activity.reach.all()]
        if activity is not None
        else None
    )
    return ReachFormSet(data, initial=initial, prefix=REACH_PREFIX)


class InsightForm(GroupFieldsMixin, NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Is this a barrier or an idea?",
        choices=InsightKind.choices,
        initial=InsightKind.BARRIER,
        widget=forms.RadioSelect,
    )
    theme = forms.ChoiceField(choices=Theme.choices)
    summary = forms.CharField(
        label="What people said",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=PERSONAL_DATA_WARNING,
    )
    ethnic_groups = _group_field(GroupType.ETHNICITY, "Ethnic groups (Census 2021)")
    plus_groups = _group_field(GroupType.PLUS, "PLUS groups")
    languages = _group_field(GroupType.LANGUAGE, "Languages")
    age_bands = _group_field(GroupType.AGE, "Age bands")
    neighbourhood = forms.CharField(
        label="Neighbourhood (LSOA or MSOA 2021 code)",
        required=False,
        max_length=9,
        validators=[validate_neighbourhood],
        help_text="Optional, e.g. E01010234 or E02002046.",
    )
    source_activity = forms.ModelChoiceField(
        label="Where was this heard?",
        required=False,
        queryset=Activity.objects.none(),
        empty_label="Not at a recorded activity",
    )
    date = forms.DateField(widget=DateInput(), initial=date.today)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_activity"].queryset = recordable_activities(user)

    def insight_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("kind", "theme", "summary", "neighbourhood", "source_activity", "date")
        return {name: data[name] for name in names}


def recordable_activities(user: Any) -> QuerySet[Activity]:
    """Activities of programmes `user`'s organisation takes part in (all, for EDIT_ANY)."""
    activities = Activity.objects.select_related("programme")
    if has_permission(user, Permission.EDIT_ANY):
        return activities
    org = user.organisation_id
    return activities.filter(
        Q(programme__lead_organisation_id=org) | Q(programme__partners__id=org)
    ).distinct()


class InsightFilterForm(NHSFormMixin, forms.Form):
    """Filters for the insight pages (GET); every field is optional."""

    group_type = forms.ChoiceField(
        label="Count insights by", choices=GroupType.choices, required=False
    )
    theme = forms.ChoiceField(choices=[("", "Any theme"), *Theme.choices], required=False)
    kind = forms.ChoiceField(
        label="Barriers or ideas",
        choices=[("", "Both"), *InsightKind.choices],
        required=False,
    )
    group = forms.ChoiceField(choices=[("", "Any group"), *grouped_choices()], required=False)
    neighbourhood = forms.CharField(
        label="Neighbourhood code",
        required=False,
        max_length=9,
        validators=[validate_neighbourhood],
    )
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), required=False, empty_label="Any programme"
    )
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())

    def filter(self, insights: QuerySet[Insight]) -> QuerySet[Insight]:
        """`insights` narrowed by the valid filters (an invalid form filters nothing)."""
        if not self.is_valid():
            return insights
        data = self.cleaned_data
        if data["theme"]:
            insights = insights.filter(theme=data["theme"])
        if data["kind"]:
            insights = insights.filter(kind=data["kind"])
        if data["group"]:
            group_type, _, group = data["group"].partition(":")
            insights = insights.filter(groups__group_type=group_type, groups__group=group)
        if data["neighbourhood"]:
            insights = insights.filter(neighbourhood=data["neighbourhood"])
        if data["programme"]:
            insights = insights.filter(source_activity__programme=data["programme"])
        if data["date_from"]:
            insights = insights.filter(date__gte=data["date_from"])
        if data["date_to"]:
            insights = insights.filter(date__lte=data["date_to"])
        return insights

    def chosen_group_type(self) -> str:
        chosen = self.cleaned_data.get("group_type") if self.is_valid() else None
        return chosen or GroupType.ETHNICITY


class ActivityFilterForm(NHSFormMixin, forms.Form):
    """Filters for the activity and reach exports (GET); every field is optional."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), required=False, empty_label="Any programme"
    )
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())

    def filter(self, activities: QuerySet[Activity]) -> QuerySet[Activity]:
        if not self.is_valid():
            return activities
        data = self.cleaned_data
        if data["programme"]:
            activities = activities.filter(programme=data["programme"])
        if data["date_from"]:
            activities = activities.filter(date__gte=data["date_from"])
        if data["date_to"]:
            activities = activities.filter(date__lte=data["date_to"])
        return activities
