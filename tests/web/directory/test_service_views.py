"""Services and locations: partners add, change and delete their own organisation's; nobody
else's (administrators excepted). Every write is audited."""

from __future__ import annotations

import pytest

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import Location, Service, ServiceAtLocation
from tests.web.directory.factories import community, link, make_location, make_service, term
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


def writes():
    return list(
        AuditEvent.objects.exclude(action__in=[Action.LOGIN, Action.REFUSED]).order_by("id")
    )


def service_form(**changes):
    data = {
        "name": "Vaccine clinic",
        "description": "Flu and COVID-19 vaccines",
        "status": "active",
        "eligibility": "",
        "minimum_age": "18",
        "maximum_age": "",
        "cost_amount": "0",
        "cost_description": "Free",
        "url": "",
        "email": "",
        "alert": "",
        "assured_date": "2026-11-01",
    }
    return {**data, **changes}


def location_form(**changes):
    data = {
        "name": "Community centre",
        "description": "",
        "location_type": "physical",
        "address_1": "12 Milton Street",
        "address_2": "",
        "city": "Walsall",
        "county": "West Midlands",
        "postcode": "ws1 4la",
        "latitude": "52.5745",
        "longitude": "-1.987",
        "lsoa21": "E01010343",
        "accessibility": "Step-free",
    }
    return {**data, **changes}


def test_partner_adds_a_location_and_a_service_delivered_there(client_for, role_users):
    organisation = role_users["partner"].organisation
    client = client_for("partner")
    response = client.post(
        f"/directory/organisations/{organisation.pk}/locations/new/", location_form()
    )
    assert response.status_code == 302
    location = Location.objects.get()
    assert (location.postcode, location.lsoa21, str(location.latitude)) == (
        "WS1 4LA",
        "E01010343",
        "52.574500",
    )
    response = client.post(
        f"/directory/organisations/{organisation.pk}/services/new/",
        service_form(
            taxonomy_terms=[term("vaccination").pk],
            languages=[community("pa").pk],
            locations=[location.pk],
        ),
    )
    service = Service.objects.get()
    assert response["Location"] == f"/directory/services/{service.pk}/"
    assert (service.minimum_age, service.cost_amount, service.organisation) == (18, 0, organisation)
    assert ServiceAtLocation.objects.get().location == location
    assert [e.object_type for e in writes()] == [
        "directory.location",
        "directory.service",
        "directory.serviceatlocation",
    ]
    page = client_for("public").get(f"/directory/services/{service.pk}/").content.decode()
    assert (
        "Vaccination" in page
        and "Punjabi" in page
        and "12 Milton Street" in page
        and "Free" in page
    )


def test_service_form_offers_only_the_organisation_s_own_locations(client_for, role_users):
    organisation = role_users["partner"].organisation
    mine, theirs = make_location(organisation, name="Mine"), make_location(name="Theirs")
    client = client_for("partner")
    page = client.get(f"/directory/organisations/{organisation.pk}/services/new/").content.decode()
    assert "Mine" in page and "Theirs" not in page
    response = client.post(
        f"/directory/organisations/{organisation.pk}/services/new/",
        service_form(locations=[theirs.pk]),
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Service.objects.exists() and mine.pk


def test_edit_service_checks_ages_and_records_changes(client_for, role_users):
    service = make_service(role_users["partner"].organisation, name="Clinic", minimum_age=18)
    client = client_for("partner")
    response = client.post(
        f"/directory/services/{service.pk}/edit/",
        service_form(name="Clinic", minimum_age="40", maximum_age="20"),
    )
    assert "The minimum age must not be above the maximum age." in response.content.decode()
    client.post(
        f"/directory/services/{service.pk}/edit/",
        service_form(name="Clinic", status="temporarily closed"),
    )
    service.refresh_from_db()
    assert service.status == "temporarily closed"
    (event,) = writes()
    assert event.changes["status"] == ["active", "temporarily closed"]


def test_delete_service_and_location_after_confirming(client_for, role_users):
    organisation = role_users["partner"].organisation
    service, location = make_service(organisation), make_location(organisation)
    link(service, location)
    client = client_for("partner")
    assert (
        "This cannot be undone"
        in client.get(f"/directory/services/{service.pk}/delete/").content.decode()
    )
    assert client.post(f"/directory/services/{service.pk}/delete/").status_code == 302
    assert client.post(f"/directory/locations/{location.pk}/delete/").status_code == 302
    assert not Service.objects.exists() and not Location.objects.exists()
    assert [e.action for e in writes()] == [Action.DELETE, Action.DELETE]
    assert writes()[0].changes == {"also_deleted": {"directory.serviceatlocation": 1}}


@pytest.mark.parametrize("role", ["partner", "champion", "analyst"])
def test_others_services_and_locations_cannot_be_changed(client_for, role):
    other = make_organisation()
    service, location = make_service(other, name="Theirs"), make_location(other, name="Theirs")
    client = client_for(role)
    assert client.post(f"/directory/services/{service.pk}/edit/", service_form()).status_code == 403
    assert client.post(f"/directory/services/{service.pk}/delete/").status_code == 403
    assert (
        client.post(f"/directory/locations/{location.pk}/edit/", location_form()).status_code == 403
    )
    assert client.post(f"/directory/locations/{location.pk}/delete/").status_code == 403
    assert (
        client.post(
            f"/directory/organisations/{other.pk}/services/new/", service_form()
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/directory/organisations/{other.pk}/locations/new/", location_form()
        ).status_code
        == 403
    )
    assert Service.objects.get().name == "Theirs" and Location.objects.get().name == "Theirs"
    assert writes() == []


def test_administrator_edits_any_location(client_for):
    location = make_location(name="Old")
    response = client_for("administrator").post(
        f"/directory/locations/{location.pk}/edit/", location_form(name="New", lsoa21="E01999999")
    )
    assert "E01999999 is not in the ONS lookups" in response.content.decode()
    client_for("administrator").post(
        f"/directory/locations/{location.pk}/edit/", location_form(name="New")
    )
    assert Location.objects.get().name == "New"


def test_services_of_inactive_organisations_are_hidden_from_the_public(client_for):
    service = make_service(make_organisation(active=False))
    assert client_for("public").get(f"/directory/services/{service.pk}/").status_code == 404
    assert client_for("administrator").get(f"/directory/services/{service.pk}/").status_code == 200
