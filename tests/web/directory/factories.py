"""Factories for directory records (plain functions; `make_*` save through the ORM directly,
so tests of actions and views start from a known state without audit events)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from healthgap.web.directory.models import (
    Community,
    CommunityChampion,
    CoverageArea,
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from tests.web.factories import make_organisation

_counter = itertools.count(1)

#: Real LSOA 2021 codes in the Black Country (Walsall 006D; Walsall 024A) and their MSOA/LAD.
WALSALL_LSOA = "E01010290"
WALSALL_LSOA_2 = "E01010317"
WALSALL_MSOA = "E02002115"  # Walsall 006, which holds E01010290
WALSALL_LAD = "E08000030"


def community(code: str) -> Community:
    return Community.objects.get(code=code)


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def make_service(organisation: Organisation | None = None, **fields: Any) -> Service:
    n = next(_counter)
    fields.setdefault("name", f"Service {n}")
    return Service.objects.create(organisation=organisation or make_organisation(), **fields)


def make_location(organisation: Organisation | None = None, **fields: Any) -> Location:
    n = next(_counter)
    fields.setdefault("name", f"Location {n}")
    return Location.objects.create(organisation=organisation or make_organisation(), **fields)


def link(service: Service, location: Location) -> ServiceAtLocation:
    return ServiceAtLocation.objects.create(service=service, location=location)


def make_champion(organisation: Organisation | None = None, **fields: Any) -> CommunityChampion:
    n = next(_counter)
    fields.setdefault("name", f"Champion {n}")
    fields.setdefault("consent_given_on", datetime.date(2026, 1, 15))
    areas = fields.pop("neighbourhoods", ())
    languages = fields.pop("languages", ())
    champion = CommunityChampion.objects.create(organisation=organisation, **fields)
    champion.languages.set([community(code) for code in languages])
    CoverageArea.objects.bulk_create([CoverageArea(champion=champion, code=c) for c in areas])
    return champion
