"""Forms of the directory pages. They only validate and clean; views pass `cleaned_data` to
the actions in `directory.actions`, which write and audit.

Many-to-many choices (communities, languages, taxonomy terms) are grouped for display (NHS.UK
checkboxes in fieldsets); area codes are typed one per line and checked by `directory.areas`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from healthgap.web.core.uploads import UploadField
from healthgap.web.directory.areas import validate_area_code
from healthgap.web.directory.models import (
    Community,
    CommunityChampion,
    CommunityKind,
    Location,
    Organisation,
    Service,
    TaxonomyTerm,
)
from healthgap.web.directory.models.champion import CONSENT_STATEMENT, CONSENT_VERSION
from healthgap.web.directory.models.location import POSTCODE_RE, normalise_postcode


class HttpsURLField(forms.URLField):
    """A web address; one typed without a scheme gets https:// (Django 6's default)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class GroupedChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes for model rows, shown under headings given by `heading(obj)` (the
    `grouped_options` template filter does the grouping when the form is rendered)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset: QuerySet, heading: Any, **kwargs: Any) -> None:
        super().__init__(queryset, required=False, **kwargs)
        self.heading = heading


def community_heading(community: Community) -> str:
    if community.kind == CommunityKind.ETHNIC_GROUP and community.group.endswith("(all)"):
        return "Ethnic groups (Census 2021): whole high-level groups"
    return community.group or community.get_kind_display()


class AreaCodesField(forms.CharField):
    """Area codes, one per line (or separated by commas or spaces), each a known code."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, levels: Iterable[str], **kwargs: Any) -> None:
        self.levels = tuple(levels)
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value: Any) -> list[str]:
        codes = [c for c in re.split(r"[\s,;]+", super().clean(value) or "") if c]
        errors, cleaned = [], []
        for code in codes:
            try:
                cleaned.append(validate_area_code(code, self.levels))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return sorted(set(cleaned))


class OrganisationForm(forms.ModelForm):
    communities = GroupedChoiceField(
        Community.objects.all(),
        community_heading,
        label="Communities served",
        help_text="Ethnic groups, languages and PLUS groups you work with.",
    )
    coverage_areas = AreaCodesField(
        levels=("lsoa", "msoa", "lad"),
        label="Areas covered",
        help_text=(
            "2021 LSOA (E01…), 2021 MSOA (E02…) or local authority (E08…) codes, one per line."
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "description",
            "website",
            "email",
            "lsoa21",
            "ods_code",
            "charity_number",
            "company_number",
            "communities",
            "coverage_areas",
            "capacity_sessions_per_month",
            "capacity_people_per_month",
            "capacity_notes",
            "active",
        ]
        labels = {"lsoa21": "Based in (2021 LSOA code)"}
        field_classes = {"website": HttpsURLField}
        help_texts = {
            "active": "Inactive organisations are hidden from the public directory and API."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["coverage_areas"] = list(
                self.instance.coverage_areas.values_list("code", flat=True)
            )

    def clean_coverage_areas(self) -> list[str]:
        return self.cleaned_data["coverage_areas"]


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "description",
            "location_type",
            "address_1",
            "address_2",
            "city",
            "county",
            "postcode",
            "latitude",
            "longitude",
            "lsoa21",
            "accessibility",
        ]
        help_texts = {
            "latitude": "WGS84 decimal degrees, e.g. 52.5860.",
            "longitude": "WGS84 decimal degrees, e.g. -1.9829.",
            "lsoa21": "The 2021 LSOA the place is in (E01…).",
        }

    def clean_lsoa21(self) -> str:
        code = self.cleaned_data["lsoa21"]
        return validate_area_code(code, ("lsoa",)) if code else code

    def clean_postcode(self) -> str:
        """The postcode in normal form ("ws11tp" -> "WS1 1TP"); anything that is not a
        postcode is kept as typed, so the model's message quotes the user's own input."""
        typed = self.cleaned_data["postcode"].strip()
        normalised = normalise_postcode(typed)
        return normalised if POSTCODE_RE.match(normalised) else typed


class ServiceForm(forms.ModelForm):
    taxonomy_terms = GroupedChoiceField(
        TaxonomyTerm.objects.select_related("taxonomy", "parent"),
        lambda term: term.taxonomy.name if term.taxonomy else (term.taxonomy_label or "Other"),
        label="What kind of service is it?",
    )
    languages = GroupedChoiceField(
        Community.objects.filter(kind=CommunityKind.LANGUAGE),
        lambda community: "Languages",
        label="Languages the service is delivered in",
    )
    locations = forms.ModelMultipleChoiceField(
        Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Where is it delivered?",
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "status",
            "taxonomy_terms",
            "eligibility",
            "minimum_age",
            "maximum_age",
            "languages",
            "cost_amount",
            "cost_description",
            "url",
            "email",
            "alert",
            "assured_date",
            "locations",
        ]
        widgets = {"assured_date": forms.DateInput(attrs={"type": "date"})}
        field_classes = {"url": HttpsURLField}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = organisation.locations.all()
        if self.instance.pk:
            self.initial["locations"] = [
                sal.location_id for sal in self.instance.service_at_locations.all()
            ]


class ChampionForm(forms.ModelForm):
    """`organisation` is offered only to administrators; partners add champions to their own
    organisation. Consent is asked for when the champion is added."""

    languages = GroupedChoiceField(
        Community.objects.filter(kind=CommunityKind.LANGUAGE),
        lambda community: "Languages",
        label="Languages spoken",
    )
    communities = GroupedChoiceField(
        Community.objects.exclude(kind=CommunityKind.LANGUAGE),
        community_heading,
        label="Communities they work with",
    )
    neighbourhoods = AreaCodesField(
        levels=("lsoa", "msoa"),
        label="Neighbourhoods",
        help_text="2021 LSOA (E01…) or MSOA (E02…) codes, one per line.",
    )
    consent = forms.BooleanField(
        label=f"The champion has agreed to the consent statement (version {CONSENT_VERSION})",
        help_text=CONSENT_STATEMENT,
    )
    consent_given_on = forms.DateField(
        label="Date consent was given", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = CommunityChampion
        fields = ["organisation", "name", "email", "phone", "languages", "communities"]
        labels = {"organisation": "Organisation (leave empty for an independent champion)"}

    def __init__(self, *args: Any, may_choose_organisation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        if not may_choose_organisation:
            del self.fields["organisation"]
        if self.instance.pk:
            del self.fields["consent"], self.fields["consent_given_on"]
            self.initial["neighbourhoods"] = list(
                self.instance.neighbourhoods.values_list("code", flat=True)
            )


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that the personal details will be erased and cannot be recovered"
    )


class ImportForm(forms.Form):
    file = UploadField(
        label="Open Referral UK file",
        help_text=(
            "A JSON file (HSDS 3.0 objects, a page of results, or healthgap's export), or a ZIP "
            "of CSV tables (organizations.csv, services.csv, …)."
        ),
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("json", "JSON (one file)"), ("csv", "CSV tables (a ZIP file)")],
        widget=forms.RadioSelect,
        initial="json",
        label="Format",
    )
