"""The fixed vocabularies of the action app: programme types and statuses, activity kinds,
insight themes, and the population groups that programmes target, activities reach and
insights speak for.

A *group* is a pair (group type, group): an ethnic group from Census 2021's 19 categories
(`healthgap.population.ethnicity`), a Core20PLUS5 "PLUS" group, a language, or a Census 2021
age band (the PLUS groups and languages are the directory's, `directory.vocabularies`). It
is written as the key ``"<type>:<group>"`` (e.g. ``"ethnicity:Pakistani"``) where one string is
needed (programme targets, query parameters, CSV).
"""

from __future__ import annotations

from django.db import models

from healthgap.population.ethnicity import CENSUS_2021_GROUPS
from healthgap.web.directory import vocabularies as directory_vocabularies


class ProgrammeKind(models.TextChoices):
    VACCINE_AMBASSADORS = "vaccine_ambassadors", "Vaccine ambassadors"
    LANGUAGE_DOULAS = "language_doulas", "Language-specific doulas"
    SCHOOL_WORK_EXPERIENCE = "school_work_experience", "School work experience"
    COMMUNITY_HEALTH_CHECKS = "community_health_checks", "Community health checks"
    OTHER = "other", "Other"


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"


class ActivityKind(models.TextChoices):
    OUTREACH = "outreach", "Outreach session"
    EVENT = "event", "Event"
    CLINIC = "clinic", "Clinic"
    COPRODUCTION = "coproduction", "Co-production meeting"
    TRAINING = "training", "Training"


class Theme(models.TextChoices):
    """What an insight is about: the barrier (or idea) a community reported."""

    LANGUAGE = "language", "Language"
    TRUST = "trust", "Trust"
    ACCESS = "access", "Access and opening times"
    TRANSPORT = "transport", "Transport"
    COST = "cost", "Cost"
    DIGITAL = "digital", "Digital exclusion"
    AWARENESS = "awareness", "Awareness"
    CULTURE = "culture", "Cultural or religious needs"
    DISCRIMINATION = "discrimination", "Discrimination"
    OTHER = "other", "Other"


class InsightKind(models.TextChoices):
    BARRIER = "barrier", "Barrier"
    IDEA = "idea", "Idea"


class GroupType(models.TextChoices):
    ETHNICITY = "ethnicity", "Ethnic group (Census 2021)"
    PLUS = "plus", "PLUS group"
    LANGUAGE = "language", "Language"
    AGE = "age", "Age band"


ETHNIC_GROUPS: tuple[str, ...] = tuple(group.label for group in CENSUS_2021_GROUPS)
"""The 19 Census 2021 ethnic groups, in ONS order (ethnic_group_tb codes 1–19)."""

PLUS_GROUPS: tuple[str, ...] = tuple(directory_vocabularies.PLUS_GROUPS)
"""Core20PLUS5 "PLUS" groups (reference/standards.md §2), shared with the directory so that
programmes and the organisations that reach a group use the same names."""

LANGUAGES: tuple[str, ...] = tuple(directory_vocabularies.LANGUAGES.values())
"""Languages people speak (the directory's list: Census 2021 main languages met in the Black
Country, English, Welsh and British Sign Language)."""

AGE_BANDS: tuple[str, ...] = (
    "0 to 15",
    "16 to 24",
    "25 to 34",
    "35 to 49",
    "50 to 64",
    "65 and over",
)
"""Census 2021 age bands (the bands of the synthetic population and of TS007A groupings)."""

GROUPS: dict[str, tuple[str, ...]] = {
    GroupType.ETHNICITY: ETHNIC_GROUPS,
    GroupType.PLUS: PLUS_GROUPS,
    GroupType.LANGUAGE: LANGUAGES,
    GroupType.AGE: AGE_BANDS,
}


def group_key(group_type: str, group: str) -> str:
    """``"ethnicity:Pakistani"`` from ("ethnicity", "Pakistani")."""
    return f"{group_type}:{group}"


def split_group_key(key: str) -> tuple[str, str]:
    """("ethnicity", "Pakistani") from ``"ethnicity:Pakistani"``; ValueError if unknown."""
    group_type, _, group = str(key).partition(":")
    if group not in GROUPS.get(group_type, ()):
        raise ValueError(f"{key!r} is not a known group.")
    return group_type, group


def is_group(group_type: str, group: str) -> bool:
    return group in GROUPS.get(group_type, ())


def group_label(key: str) -> str:
    """A group key as readers see it: "Pakistani", "Aged 65 and over", "Punjabi speakers"."""
    group_type, _, group = key.partition(":")
    if group_type == GroupType.AGE:
        return f"Aged {group}"
    if group_type == GroupType.LANGUAGE:
        return f"{group} speakers"
    return group


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every group as select options grouped by type: [(type label, [(key, label)])]."""
    return [
        (GroupType(group_type).label, [(group_key(group_type, g), g) for g in groups])
        for group_type, groups in GROUPS.items()
    ]
