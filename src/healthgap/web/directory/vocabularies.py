"""Fixed vocabularies of the directory: who an organisation or champion reaches (ethnic groups,
languages, PLUS groups) and the health-inequalities taxonomy that services are tagged with.

This module holds only the values (it imports no models); `directory.seeding.seed()` writes them
into the database (`Community`, `Taxonomy`, `TaxonomyTerm`) after every `migrate` and `flush`.

- Ethnic groups: the 19 Census 2021 groups and their 5 high-level groups, with ONS's labels,
  from `healthgap.population.ethnicity` (reference/standards.md §5.2).
- Languages: ISO 639-1 codes where one exists, else ISO 639-3 (HSDS 3.0 `language.code`
  allows either): the main languages of England and Wales in Census 2021 (table TS024, main
  language) that partners in the Black Country meet most, plus English, Welsh and British Sign
  Language. Add to `LANGUAGES` when a partnership needs more.
- PLUS groups: NHS England's Core20PLUS5 "PLUS" population groups (standards.md §2): inclusion
  health groups, people with a learning disability and autistic people, carers and others.
- Taxonomy: healthgap's own small taxonomy of health-inequalities service types, with fixed
  UUIDs (uuid5 in `HEALTHGAP_NAMESPACE`) so exports from any installation agree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.text import slugify

from healthgap.population.ethnicity import CENSUS_2021_GROUPS, HIGH_LEVEL_2021_LABELS

#: Namespace for healthgap's deterministic UUIDs (seeded taxonomy, derived ORUK sub-objects).
HEALTHGAP_NAMESPACE = uuid.UUID("5b1d0c52-3a8e-5d7c-9f0e-6c1a2b3d4e5f")

ETHNIC_GROUP, LANGUAGE, PLUS_GROUP = "ethnic_group", "language", "plus_group"


@dataclass(frozen=True)
class Entry:
    """One vocabulary entry: its kind, stable code, label and display group."""

    kind: str
    code: str
    label: str
    group: str = ""


def _ethnic_groups() -> list[Entry]:
    entries = []
    for short, label in HIGH_LEVEL_2021_LABELS.items():
        entries.append(Entry(ETHNIC_GROUP, slugify(label), label, f"{short} (all)"))
        entries += [
            Entry(ETHNIC_GROUP, slugify(g.label), g.label, label)
            for g in CENSUS_2021_GROUPS
            if g.high_level == short
        ]
    return entries


#: ISO 639 code -> English name.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "bfi": "British Sign Language",
    "cy": "Welsh",
    "sq": "Albanian",
    "am": "Amharic",
    "ar": "Arabic",
    "bn": "Bengali",
    "bg": "Bulgarian",
    "yue": "Cantonese",
    "cs": "Czech",
    "fa": "Persian (Farsi)",
    "fr": "French",
    "gu": "Gujarati",
    "hi": "Hindi",
    "hu": "Hungarian",
    "it": "Italian",
    "ku": "Kurdish",
    "lv": "Latvian",
    "lt": "Lithuanian",
    "ml": "Malayalam",
    "cmn": "Mandarin Chinese",
    "ne": "Nepali",
    "phr": "Pahari-Pothwari (Mirpuri)",
    "ps": "Pashto",
    "pl": "Polish",
    "pt": "Portuguese",
    "pa": "Punjabi",
    "ro": "Romanian",
    "rom": "Romani",
    "ru": "Russian",
    "sk": "Slovak",
    "so": "Somali",
    "es": "Spanish",
    "sw": "Swahili",
    "syl": "Sylheti",
    "ta": "Tamil",
    "ti": "Tigrinya",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
}

#: NHS England Core20PLUS5 PLUS groups (standards.md §2), label -> display group.
PLUS_GROUPS: dict[str, str] = {
    "People experiencing homelessness": "Inclusion health groups",
    "People with drug or alcohol dependence": "Inclusion health groups",
    "Vulnerable migrants": "Inclusion health groups",
    "Asylum seekers and refugees": "Inclusion health groups",
    "Gypsy, Roma and Traveller communities": "Inclusion health groups",
    "Sex workers": "Inclusion health groups",
    "People in contact with the justice system": "Inclusion health groups",
    "Victims of modern slavery": "Inclusion health groups",
    "Other socially excluded groups": "Inclusion health groups",
    "People with a learning disability": "Disability and long-term conditions",
    "Autistic people": "Disability and long-term conditions",
    "People with severe mental illness": "Disability and long-term conditions",
    "People with multiple long-term conditions": "Disability and long-term conditions",
    "Carers": "Other groups",
    "Young carers": "Other groups",
    "Looked-after children and care leavers": "Other groups",
    "Armed forces veterans": "Other groups",
    "LGBTQ+ people": "Other groups",
    "Coastal communities": "Other groups",
}


def communities() -> list[Entry]:
    """Every Community entry, in display order."""
    return [
        *_ethnic_groups(),
        *(Entry(LANGUAGE, code, name) for code, name in LANGUAGES.items()),
        *(Entry(PLUS_GROUP, slugify(label), label, group) for label, group in PLUS_GROUPS.items()),
    ]


@dataclass(frozen=True)
class SeedTerm:
    code: str
    name: str
    description: str
    parent: str = ""


TAXONOMY_NAME = "healthgap health inequalities services"
TAXONOMY_DESCRIPTION = (
    "Kinds of service that reduce health inequalities, used by healthgap to match partners "
    "with priorities (Core20PLUS5 clinical areas and the community support around them)."
)
TAXONOMY_VERSION = "1.0"

TERMS: tuple[SeedTerm, ...] = (
    SeedTerm("vaccination", "Vaccination", "Immunisation clinics, pop-ups and outreach."),
    SeedTerm("screening", "Screening", "NHS screening programmes and support to attend."),
    SeedTerm(
        "cancer-screening",
        "Cancer screening",
        "Bowel, breast and cervical screening support.",
        "screening",
    ),
    SeedTerm(
        "diabetic-eye-screening",
        "Diabetic eye screening",
        "Support to attend diabetic eye screening.",
        "screening",
    ),
    SeedTerm("health-check", "Health check", "NHS Health Checks and blood pressure checks."),
    SeedTerm("mental-health", "Mental health", "Wellbeing, talking therapies and peer support."),
    SeedTerm("maternity", "Maternity", "Pregnancy, birth and early parenthood support."),
    SeedTerm(
        "long-term-conditions",
        "Long-term conditions",
        "Diabetes, hypertension, COPD and other long-term conditions.",
    ),
    SeedTerm(
        "social-prescribing",
        "Social prescribing",
        "Link workers connecting people to community support.",
    ),
    SeedTerm(
        "language-support",
        "Language support",
        "Interpreting, translation and help in community languages.",
    ),
    SeedTerm("smoking-cessation", "Stop smoking", "Stop smoking advice and support."),
    SeedTerm(
        "physical-activity", "Physical activity", "Walking groups, exercise and healthy movement."
    ),
    SeedTerm("healthy-eating", "Healthy eating", "Cooking, nutrition and weight management."),
    SeedTerm("sexual-health", "Sexual health", "Sexual health advice, testing and contraception."),
    SeedTerm(
        "money-and-housing",
        "Money and housing advice",
        "Benefits, debt, cost of living and housing support.",
    ),
    SeedTerm(
        "digital-inclusion", "Digital inclusion", "Help getting online and using the NHS App."
    ),
    SeedTerm("carers-support", "Carers' support", "Support for unpaid carers."),
)


def taxonomy_uuid() -> uuid.UUID:
    return uuid.uuid5(HEALTHGAP_NAMESPACE, f"taxonomy:{TAXONOMY_NAME}")


def term_uuid(code: str) -> uuid.UUID:
    return uuid.uuid5(HEALTHGAP_NAMESPACE, f"taxonomy-term:{code}")


def derived_uuid(parent: uuid.UUID | str, kind: str, value: str) -> str:
    """A stable UUID for an ORUK sub-object healthgap does not store with its own id (an
    address, a language, an identifier): uuid5 of the parent's id, the kind and the value."""
    return str(uuid.uuid5(uuid.UUID(str(parent)), f"{kind}:{value}"))
