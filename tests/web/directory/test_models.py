"""Directory models: database constraints, postcodes, area codes, seeded vocabularies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from healthgap.population.ethnicity import CENSUS_2021_GROUPS, HIGH_LEVEL_2021_LABELS
from healthgap.web.directory.areas import area_name, codes_reaching, validate_area_code
from healthgap.web.directory.models import (
    Community,
    CommunityChampion,
    CoverageArea,
    Location,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from healthgap.web.directory.models.location import normalise_postcode
from healthgap.web.directory.seeding import seed
from healthgap.web.directory.vocabularies import LANGUAGES, PLUS_GROUPS, TERMS
from tests.web.directory.factories import (
    WALSALL_LAD,
    WALSALL_LSOA,
    WALSALL_MSOA,
    make_champion,
    make_location,
)
from tests.web.factories import build_organisation, make_organisation


def integrity_error(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


@pytest.mark.django_db
def test_a_coverage_area_has_exactly_one_owner():
    organisation, champion = make_organisation(), make_champion()
    integrity_error(lambda: CoverageArea.objects.create(code=WALSALL_LSOA))
    integrity_error(
        lambda: CoverageArea.objects.create(
            code=WALSALL_LSOA, organisation=organisation, champion=champion
        )
    )
    CoverageArea.objects.create(code=WALSALL_LSOA, organisation=organisation)
    integrity_error(
        lambda: CoverageArea.objects.create(code=WALSALL_LSOA, organisation=organisation)
    )


@pytest.mark.django_db
def test_a_withdrawn_champion_cannot_keep_personal_details():
    champion = make_champion(name="Named", email="named@example.org")
    rows = CommunityChampion.objects.filter(pk=champion.pk)
    integrity_error(lambda: rows.update(withdrawn_at="2026-01-01T00:00Z"))
    integrity_error(lambda: rows.update(withdrawn_at="2026-01-01T00:00Z", name=""))
    rows.update(withdrawn_at="2026-01-01T00:00Z", name="", email="")
    integrity_error(lambda: rows.update(phone="01632 960000"))
    integrity_error(lambda: make_champion(name=""))  # until withdrawal, a champion is named


@pytest.mark.django_db
def test_service_ages_and_cost_are_checked():
    organisation = make_organisation()
    with pytest.raises(ValidationError, match="minimum age must not be above the maximum"):
        Service(organisation=organisation, name="S", minimum_age=30, maximum_age=20).full_clean()
    with pytest.raises(ValidationError, match="cost must not be negative"):
        Service(organisation=organisation, name="S", cost_amount=-1).full_clean()
    integrity_error(
        lambda: Service.objects.create(
            organisation=organisation, name="S", minimum_age=9, maximum_age=8
        )
    )


@pytest.mark.django_db
def test_location_coordinates_come_in_pairs_on_earth():
    organisation = make_organisation()
    with pytest.raises(ValidationError, match="both latitude and longitude"):
        Location(organisation=organisation, name="L", latitude=52.5).full_clean()
    with pytest.raises(ValidationError, match="less than or equal to 90"):
        Location(organisation=organisation, name="L", latitude=91, longitude=0).full_clean()
    place = Location(organisation=organisation, name="L", latitude=52.1234567, longitude=-1.98)
    place.full_clean()  # floats are rounded to the 6 decimal places stored
    assert str(place.latitude) == "52.123457"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("ws11tp", "WS1 1TP"), (" WV10  0QP ", "WV10 0QP"), ("b701aa", "B70 1AA"), ("DY1", "DY1")],
)
def test_postcodes_are_normalised(given, expected):
    assert normalise_postcode(given) == expected


def test_uk_postcodes_are_checked_and_other_countries_left_alone():
    location = Location(name="L", postcode="ws1 1tp", organisation=build_organisation())
    location.clean()
    assert location.postcode == "WS1 1TP"
    with pytest.raises(ValidationError, match="WS1 is not a UK postcode"):
        Location(name="L", postcode="WS1").clean()
    Location(name="L", postcode="ABC 1234", country="US").clean()


def test_area_codes_are_checked_against_the_ons_lookups():
    assert validate_area_code(" e01010290 ") == WALSALL_LSOA
    assert area_name(WALSALL_LSOA) == "Walsall 006D"
    assert area_name(WALSALL_MSOA) == "Walsall 006" and area_name(WALSALL_LAD) == "Walsall"
    with pytest.raises(ValidationError, match="E01999999 is not in the ONS lookups"):
        validate_area_code("E01999999")
    with pytest.raises(ValidationError, match="kinds allowed here"):
        validate_area_code(WALSALL_LAD, ("lsoa", "msoa"))
    with pytest.raises(ValidationError, match="kinds allowed here"):
        validate_area_code("E54000062")  # an ICB is not a coverage area
    assert codes_reaching(WALSALL_LSOA) == [WALSALL_LSOA, WALSALL_MSOA, WALSALL_LAD]


@pytest.mark.django_db
def test_vocabularies_are_seeded_once_and_in_full():
    ethnic = Community.objects.filter(kind="ethnic_group")
    assert ethnic.count() == len(CENSUS_2021_GROUPS) + len(HIGH_LEVEL_2021_LABELS) == 24
    assert Community.objects.get(code="pakistani").group == "Asian, Asian British or Asian Welsh"
    assert Community.objects.filter(kind="language").count() == len(LANGUAGES)
    assert Community.objects.get(kind="language", code="so").label == "Somali"
    assert Community.objects.filter(kind="plus_group").count() == len(PLUS_GROUPS)
    assert TaxonomyTerm.objects.filter(taxonomy__isnull=False).count() == len(TERMS)
    assert TaxonomyTerm.objects.get(code="cancer-screening").parent.code == "screening"
    seed()  # again: nothing duplicated
    assert Community.objects.filter(kind="ethnic_group").count() == 24
    assert Taxonomy.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_vocabularies_survive_a_database_flush():
    """post_migrate runs after `flush` too, which transactional test cases use."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    assert Community.objects.filter(code="pa").exists()
    assert TaxonomyTerm.objects.filter(code="vaccination").exists()


@pytest.mark.django_db
def test_service_at_location_is_owned_by_the_service_organisation():
    from tests.web.directory.factories import link, make_service

    organisation = make_organisation()
    service = make_service(organisation)
    assert link(service, make_location()).owning_organisation_id == organisation.pk
