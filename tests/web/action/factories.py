"""Factories for action and library tests: saved records with sensible defaults, written
straight to the database (the actions under test are called by the tests themselves)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from healthgap.web.action.models import Activity, ActivityReach, Insight, InsightGroup, Programme
from healthgap.web.action.vocab import ActivityKind, ProgrammeKind, Theme, split_group_key
from healthgap.web.directory.models import Organisation
from healthgap.web.library.models import CaseStudy
from tests.web.factories import make_organisation

_counter = itertools.count(1)

#: Real LSOA 2021 codes in NHS Black Country ICB (Sandwell 009C, 007A; Walsall 030A) and the
#: MSOA and local authority that hold the first: checked against the ONS lookups in
#: test_queries.py.
SANDWELL_LSOA = "E01010029"
SANDWELL_LSOA_2 = "E01010030"
WALSALL_LSOA = "E01010368"
SANDWELL_LAD = "E08000028"


def make_programme(
    lead: Organisation | None = None, partners: tuple[Organisation, ...] = (), **fields: Any
) -> Programme:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "name": f"Programme {n}",
        "kind": ProgrammeKind.VACCINE_AMBASSADORS,
        "aims": "Raise vaccine uptake.",
        "start_date": date(2026, 1, 1),
    }
    programme = Programme.objects.create(
        lead_organisation=lead or make_organisation(), **{**defaults, **fields}
    )
    programme.partners.set(partners)
    return programme


def make_activity(
    programme: Programme | None = None,
    organisation: Organisation | None = None,
    reach: dict[str, int] | None = None,
    **fields: Any,
) -> Activity:
    programme = programme or make_programme()
    defaults: dict[str, Any] = {
        "kind": ActivityKind.OUTREACH,
        "date": date(2026, 3, 1),
        "place": "Community hall",
    }
    activity = Activity.objects.create(
        programme=programme,
        organisation=organisation or programme.lead_organisation,
        **{**defaults, **fields},
    )
    for key, count in (reach or {}).items():
        group_type, group = split_group_key(key)
        ActivityReach.objects.create(
            activity=activity, group_type=group_type, group=group, count=count
        )
    return activity


def make_insight(
    theme: str = Theme.LANGUAGE,
    groups: tuple[str, ...] = (),
    organisation: Organisation | None = None,
    **fields: Any,
) -> Insight:
    defaults: dict[str, Any] = {"summary": "Letters only in English.", "date": date(2026, 3, 1)}
    insight = Insight.objects.create(
        theme=theme, organisation=organisation, **{**defaults, **fields}
    )
    for key in groups:
        group_type, group = split_group_key(key)
        InsightGroup.objects.create(insight=insight, group_type=group_type, group=group)
    return insight


def make_case_study(organisation: Organisation | None = None, **fields: Any) -> CaseStudy:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "title": f"Case study {n}",
        "summary": "What we did.",
        "what_worked": "Listening first.",
        "published": True,
    }
    return CaseStudy.objects.create(organisation=organisation, **{**defaults, **fields})
