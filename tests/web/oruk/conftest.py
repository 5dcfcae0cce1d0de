"""A small directory for the ORUK tests: two active organisations (services, locations in
Walsall and Wolverhampton), one inactive organisation, and a champion whose personal details
must never appear in the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from healthgap.web.directory.models import Organisation, Service
from tests.web.directory.factories import (
    community,
    link,
    make_champion,
    make_location,
    make_service,
    term,
)
from tests.web.factories import make_organisation


@dataclass
class Directory:
    walsall: Organisation
    wolverhampton: Organisation
    closed: Organisation
    vaccination: Service
    wellbeing: Service
    maternity: Service
    hidden: Service


@pytest.fixture
def directory(db) -> Directory:
    walsall = make_organisation(
        name="Palfrey Voices",
        description="Residents' group.",
        ods_code="",
        charity_number="1123456",
        email="hello@palfrey.example.org",
        website="https://palfrey.example.org",
    )
    wolverhampton = make_organisation(name="Whitmore Hub", kind="voluntary", ods_code="RL4")
    closed = make_organisation(name="Closed Group", active=False)
    council_house = make_location(
        walsall,
        name="Council House",
        address_1="Lichfield Street",
        city="Walsall",
        postcode="WS1 1TP",
        latitude=Decimal("52.586000"),
        longitude=Decimal("-1.982900"),
        lsoa21="E01010368",
        accessibility="Step-free entrance.",
    )
    centre = make_location(
        walsall,
        name="Palfrey Centre",
        address_1="12 Milton Street",
        city="Walsall",
        postcode="WS1 4LA",
        latitude=Decimal("52.574500"),
        longitude=Decimal("-1.987000"),
    )
    hub = make_location(
        wolverhampton,
        name="Hub",
        address_1="85 Newhampton Road West",
        city="Wolverhampton",
        postcode="WV1 4BD",
        latitude=Decimal("52.594500"),
        longitude=Decimal("-2.142000"),
    )
    vaccination = make_service(
        walsall,
        name="Vaccine clinic",
        description="Flu and COVID-19 vaccines.",
        minimum_age=18,
        maximum_age=64,
        cost_amount=Decimal("0"),
        cost_description="Free",
        eligibility="Adults in Walsall.",
        assured_date=datetime.date(2026, 10, 1),
        last_modified=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC),
    )
    vaccination.taxonomy_terms.add(term("vaccination"))
    vaccination.languages.add(community("pa"), community("ur"))
    wellbeing = make_service(
        wolverhampton,
        name="Wellbeing circle",
        minimum_age=12,
        maximum_age=25,
        last_modified=datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC),
    )
    wellbeing.taxonomy_terms.add(term("mental-health"))
    maternity = make_service(
        walsall,
        name="Midwives drop-in",
        status="temporarily closed",
        last_modified=datetime.datetime(2026, 9, 1, 12, 0, tzinfo=datetime.UTC),
    )
    maternity.taxonomy_terms.add(term("cancer-screening"))
    hidden = make_service(closed, name="Hidden service")
    link(vaccination, council_house)
    link(vaccination, centre)
    link(maternity, centre)
    link(wellbeing, hub)
    link(
        hidden,
        make_location(
            closed, name="Closed place", latitude=52.5861, longitude=-1.9830, postcode="WS1 1TP"
        ),
    )
    make_champion(
        walsall, name="Zainab Secret", email="zainab.secret@example.org", phone="01632 960999"
    )
    return Directory(walsall, wolverhampton, closed, vaccination, wellbeing, maternity, hidden)
