"""Demo directory for NHS Black Country ICB (E54000062), called by `load_demo` (idempotent).

The statutory bodies (the ICB, two NHS trusts, Walsall Council) are real, with their real ODS
codes; the voluntary, faith and community groups, the services, the champions and every street
address are **fictional**. Area codes are real: each place's LSOA 2021 is the one whose ONS
boundary (BSC 2021) contains its approximate latitude/longitude, checked against the ONS
lookups by `tests/web/directory/test_demo.py`; postcode districts (WS1, WV1, DY1, B70, ...) are
those of the places, full postcodes of the fictional addresses are made up. Champions' contact
details use reserved example addresses (example.org) and Ofcom's drama phone numbers.
"""

from __future__ import annotations

from typing import Any

from healthgap.web.directory import actions
from healthgap.web.directory.demo_data import (
    ASSURED_DATE,
    CHAMPIONS,
    CONSENT_DATE,
    DEMO_CHAMPION_NAME,
    DEMO_CHAMPION_ORGANISATION,
    DEMO_PARTNER_ORGANISATION,
    ORGANISATIONS,
    DemoOrganisation,
)
from healthgap.web.directory.models import (
    Community,
    CommunityChampion,
    Location,
    Organisation,
    Service,
    TaxonomyTerm,
)

__all__ = ["DEMO_CHAMPION_ORGANISATION", "DEMO_PARTNER_ORGANISATION", "load"]


def _communities(codes: tuple[str, ...]) -> list[Community]:
    found = {c.code: c for c in Community.objects.filter(code__in=codes)}
    missing = set(codes) - set(found)
    if missing:
        raise ValueError(f"Demo data names unknown communities: {sorted(missing)}")
    return [found[code] for code in codes]


def _load_organisation(spec: DemoOrganisation) -> int:
    organisation = Organisation.objects.filter(name=spec.name).first()
    if organisation is not None:
        return 0
    sessions, people, notes = spec.capacity
    organisation = actions.create_organisation(
        by=None,
        name=spec.name,
        kind=spec.kind,
        description=spec.description,
        lsoa21=spec.lsoa21,
        ods_code=spec.ods_code,
        website=spec.website,
        capacity_sessions_per_month=sessions,
        capacity_people_per_month=people,
        capacity_notes=notes,
        communities=_communities(spec.communities),
        coverage_areas=spec.coverage,
    )
    places = {
        place.name: actions.create_location(by=None, organisation=organisation, **vars(place))
        for place in spec.places
    }
    others = {loc.name: loc for loc in Location.objects.all()}
    for service in spec.services:
        actions.create_service(
            by=None,
            organisation=organisation,
            name=service.name,
            description=service.description,
            eligibility=service.eligibility,
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
            cost_amount=0 if service.free else None,
            cost_description="Free" if service.free else "A small charge for ingredients",
            assured_date=ASSURED_DATE,
            taxonomy_terms=list(TaxonomyTerm.objects.filter(code__in=service.terms)),
            languages=_communities(service.languages),
            locations=[places.get(name) or others[name] for name in service.places],
        )
    return 1


def _load_champions() -> int:
    created = 0
    for name, organisation, languages, communities, areas, email, phone in CHAMPIONS:
        if CommunityChampion.objects.filter(name=name).exists():
            continue
        home = Organisation.objects.get(name=organisation) if organisation else None
        actions.create_champion(
            by=None,
            organisation=home,
            consent_given_on=CONSENT_DATE,
            name=name,
            email=email,
            phone=phone,
            languages=_communities(languages),
            communities=_communities(communities),
            neighbourhoods=areas,
        )
        created += 1
    return created


def _link_demo_champion_account() -> None:
    """Give the demo champion account its own champion record, so the demo can show a
    champion withdrawing consent. Directory demo data loads before the accounts' (INSTALLED_APPS
    order), so the account is made here if missing; `accounts.demo` then sets its password."""
    from healthgap.web.accounts.demo import DEMO_ACCOUNTS
    from healthgap.web.accounts.models import User

    username = next(account[0] for account in DEMO_ACCOUNTS if account[2] == "champion")
    champion = CommunityChampion.objects.filter(name=DEMO_CHAMPION_NAME).first()
    if champion is None or champion.user_id is not None:
        return
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"role": "champion", "organisation": champion.organisation},
    )
    if not CommunityChampion.objects.filter(user=user).exists():
        actions.update_champion(by=None, champion=champion, user=user)


def load(stdout: Any) -> None:
    created = sum(_load_organisation(spec) for spec in ORGANISATIONS)
    champions = _load_champions()
    _link_demo_champion_account()
    stdout.write(
        f"Demo directory: {created} organisations created, {len(ORGANISATIONS) - created} "
        f"existed; {Service.objects.count()} services; {champions} champions created."
    )
