"""Directory step: organisations with their locations and services, then Community Champions.

The statutory bodies (the ICB, two NHS trusts, Walsall Council) are real, with their real ODS
codes; the voluntary, faith and community groups, the services, the champions and every street
address are **fictional**. Area codes are real: each location's LSOA 2021 is the one whose ONS
boundary contains its latitude/longitude (checked by `tests/web/demo/test_places.py`); postcode
districts are those of the places, full postcodes are made up. Champions' contact details use
reserved example addresses (example.org) and Ofcom's drama phone numbers.

An organisation that exists (by name) is left alone with its locations and services; a champion
that exists (by name) likewise. Each organisation is written with its locations and then its
services, in file order, so ids and audit events come out the same on every fresh load.
"""

from __future__ import annotations

from collections.abc import Iterable

from healthgap.web.audit.record import SystemActor
from healthgap.web.demo import data as records
from healthgap.web.directory import actions
from healthgap.web.directory.models import (
    Community,
    CommunityChampion,
    Location,
    Organisation,
    Service,
    TaxonomyTerm,
)


def communities(codes: Iterable[str]) -> list[Community]:
    """The Community rows for `codes`, in the order given (the codes are checked on reading)."""
    codes = list(codes)
    found = {c.code: c for c in Community.objects.filter(code__in=codes)}
    return [found[code] for code in codes]


def _organisation(spec: records.Organisation, data: records.DemoData, by: SystemActor) -> None:
    fields = {k: v for k, v in vars(spec).items() if k != "communities"}  # the action's names
    organisation = actions.create_organisation(
        by=by, communities=communities(spec.communities), **fields
    )
    for place in data.locations:
        if place.organisation == spec.name:
            fields = {k: v for k, v in vars(place).items() if k != "organisation"}
            actions.create_location(by=by, organisation=organisation, **fields)
    for service in data.services:
        if service.organisation != spec.name:
            continue
        named = Location.objects.filter(name__in=service.locations)
        places = {loc.name: loc for loc in named}  # the organisation's own places come first:
        places |= {loc.name: loc for loc in named.filter(organisation=organisation)}
        actions.create_service(
            by=by,
            organisation=organisation,
            name=service.name,
            description=service.description,
            eligibility=service.eligibility,
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
            cost_amount=service.cost_amount,
            cost_description=service.cost_description,
            assured_date=service.assured_date,
            taxonomy_terms=list(TaxonomyTerm.objects.filter(code__in=service.taxonomy_terms)),
            languages=communities(service.languages),
            locations=[places[name] for name in service.locations],
        )


def _champion(spec: records.Champion, by: SystemActor) -> None:
    home = Organisation.objects.get(name=spec.organisation) if spec.organisation else None
    actions.create_champion(
        by=by,
        organisation=home,
        consent_given_on=spec.consent_given_on,
        name=spec.name,
        email=spec.email,
        phone=spec.phone,
        languages=communities(spec.languages),
        communities=communities(spec.communities),
        neighbourhoods=spec.neighbourhoods,
    )


def load(data: records.DemoData, by: SystemActor) -> list[str]:
    """Create the organisations and champions that do not exist yet."""
    existing = set(Organisation.objects.values_list("name", flat=True))
    new = [spec for spec in data.organisations if spec.name not in existing]
    for spec in new:
        _organisation(spec, data, by)
    known = set(CommunityChampion.objects.values_list("name", flat=True))
    champions = [spec for spec in data.champions if spec.name not in known]
    for spec in champions:
        _champion(spec, by)
    return [
        f"Demo directory: {len(new)} organisations created, "
        f"{len(data.organisations) - len(new)} existed; {Service.objects.count()} services; "
        f"{len(champions)} champions created."
    ]
