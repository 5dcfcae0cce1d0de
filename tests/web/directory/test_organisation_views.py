"""The public directory search and organisation pages; editing is for the organisation's own
partners and champions, and administrators."""

from __future__ import annotations

import pytest

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import CoverageArea, Organisation
from tests.web.directory.factories import (
    WALSALL_LAD,
    WALSALL_LSOA,
    WALSALL_MSOA,
    community,
    make_champion,
    make_service,
)
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


def organisation_names(response):
    return [o.name for o in response.context["page"]]


@pytest.fixture
def listed(db):
    mosque = make_organisation(name="Mosque Circle", kind="faith")
    mosque.communities.add(community("asian-asian-british-or-asian-welsh"), community("ur"))
    CoverageArea.objects.create(organisation=mosque, code=WALSALL_MSOA)
    hub = make_organisation(name="Polish Hub", kind="voluntary")
    hub.communities.add(community("other-white"))
    make_service(hub, name="GP registration help").languages.add(community("pl"))
    CoverageArea.objects.create(organisation=hub, code="E08000031")
    council = make_organisation(name="Walsall Council", kind="council")
    CoverageArea.objects.create(organisation=council, code=WALSALL_LAD)
    make_organisation(name="Closed", active=False)
    return mosque, hub, council


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Mosque Circle", "Polish Hub", "Walsall Council"]),
        ({"kind": "faith"}, ["Mosque Circle"]),
        ({"search": "registration"}, ["Polish Hub"]),  # a service's name
        ({"community": "pakistani"}, ["Mosque Circle"]),  # serves all Asian groups
        ({"community": "asian-asian-british-or-asian-welsh"}, ["Mosque Circle"]),
        ({"community": "other-white"}, ["Polish Hub"]),
        ({"language": "ur"}, ["Mosque Circle"]),
        ({"language": "pl"}, ["Polish Hub"]),  # through a service's language
        ({"area": WALSALL_LSOA}, ["Mosque Circle", "Walsall Council"]),  # its MSOA and LAD
        ({"area": WALSALL_LAD}, ["Walsall Council"]),
        ({"area": WALSALL_LSOA, "kind": "council"}, ["Walsall Council"]),
    ],
)
def test_directory_filters(client, listed, query, expected):
    response = client.get("/directory/", query)
    assert response.status_code == 200
    assert organisation_names(response) == expected


def test_htmx_requests_get_only_the_results(client, listed):
    response = client.get("/directory/", {"kind": "faith"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Mosque Circle" in page and "<html" not in page
    assert response.templates[0].name == "directory/includes/organisation_results.html"


def test_directory_query_count_does_not_grow_with_organisations(
    client, listed, django_assert_num_queries
):
    client.get("/directory/")  # warm the area-name lookup cache
    # the count for the pagination, organisations, communities, services, two filter lists
    with django_assert_num_queries(6):
        client.get("/directory/")
    for n in range(5):
        make_service(make_organisation(name=f"More {n}"))
    with django_assert_num_queries(6):
        client.get("/directory/")


def test_detail_shows_coverage_with_names_and_suppresses_small_champion_counts(client_for, listed):
    mosque = listed[0]
    make_champion(mosque)
    page = client_for("public").get(f"/directory/organisations/{mosque.pk}/").content.decode()
    assert f"{WALSALL_MSOA} Walsall 006" in page
    assert "Urdu" in page and "Asian, Asian British or Asian Welsh" in page
    assert '<dd class="nhsuk-summary-list__value">*</dd>' in page
    analyst_page = (
        client_for("analyst").get(f"/directory/organisations/{mosque.pk}/").content.decode()
    )
    assert '<dd class="nhsuk-summary-list__value">1</dd>' in analyst_page


def _form(organisation, **changes):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "description": "",
        "website": "",
        "email": "",
        "lsoa21": "",
        "ods_code": "",
        "charity_number": "",
        "company_number": "",
        "coverage_areas": "",
        "capacity_sessions_per_month": "",
        "capacity_people_per_month": "",
        "capacity_notes": "",
        "active": "on",
    }
    return {**data, **changes}


def test_partner_edits_own_organisation_and_the_change_is_audited(client_for, role_users):
    organisation = role_users["partner"].organisation
    response = client_for("partner").post(
        f"/directory/organisations/{organisation.pk}/edit/",
        _form(
            organisation,
            description="We run health events.",
            coverage_areas=f"{WALSALL_LSOA}\n{WALSALL_LAD}",
            communities=[community("pa").pk],
            website="palfrey.example.org",
        ),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "We run health events."
    assert organisation.website == "https://palfrey.example.org"
    assert sorted(organisation.coverage_areas.values_list("code", flat=True)) == [
        WALSALL_LSOA,
        WALSALL_LAD,
    ]
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.actor == role_users["partner"]
    assert event.changes["description"] == ["", "We run health events."]
    assert event.changes["communities"] == [[], ["pa"]]
    assert event.changes["coverage_areas"] == [[], [WALSALL_LSOA, WALSALL_LAD]]


def test_invalid_edit_shows_errors_and_changes_nothing(client_for, role_users):
    organisation = role_users["partner"].organisation
    response = client_for("partner").post(
        f"/directory/organisations/{organisation.pk}/edit/",
        _form(organisation, name="", coverage_areas="E01999999 E54000062", ods_code="nhs"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "nhsuk-error-summary" in page
    assert "E01999999 is not in the ONS lookups" in page
    assert "kinds allowed here" in page and "Enter an ODS code" in page
    assert not AuditEvent.objects.exclude(action=Action.LOGIN).exists()


@pytest.mark.parametrize("role", ["partner", "champion", "analyst"])
def test_nobody_but_an_administrator_changes_another_organisation(client_for, role):
    other = make_organisation(name="Someone else")
    response = client_for(role).post(
        f"/directory/organisations/{other.pk}/edit/", _form(other, name="Taken")
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=other.pk).name == "Someone else"


def test_public_posting_an_edit_is_sent_to_sign_in(client_for):
    other = make_organisation(name="Someone else")
    response = client_for("public").post(f"/directory/organisations/{other.pk}/edit/", _form(other))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_administrator_adds_an_organisation(client_for):
    response = client_for("administrator").post(
        "/directory/organisations/new/", _form(Organisation(name="New Group", kind="school"))
    )
    created = Organisation.objects.get(name="New Group")
    assert response["Location"] == f"/directory/organisations/{created.pk}/"
    assert AuditEvent.objects.get(action=Action.CREATE).object_id == str(created.pk)


def test_forms_render_nhsuk_markup_with_labels(client_for, role_users):
    organisation = role_users["partner"].organisation
    page = (
        client_for("partner")
        .get(f"/directory/organisations/{organisation.pk}/edit/")
        .content.decode()
    )
    assert '<label class="nhsuk-label" for="id_name">Name</label>' in page
    assert 'class="nhsuk-checkboxes__input" id="id_communities-0"' in page
    assert "Ethnic groups (Census 2021): whole high-level groups" in page
    assert "<script>" not in page
