"""Programme pages: list and detail for everyone (suppressed counts), create and edit for the
lead organisation and administrators, with form errors shown and nothing written on error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from healthgap.web.action.models import Programme
from healthgap.web.audit.models import Action, AuditEvent
from tests.web.action.factories import SANDWELL_LAD, SANDWELL_LSOA, make_activity, make_programme
from tests.web.factories import make_user

pytestmark = pytest.mark.django_db

ROLES = ("public", "administrator", "analyst", "partner", "champion")


def form_data(**overrides):
    return {
        "name": "Doulas in Walsall",
        "kind": "language_doulas",
        "aims": "Support in Punjabi and Urdu.",
        "status": "active",
        "start_date": "2026-02-01",
        "end_date": "",
        "target_areas": f"{SANDWELL_LAD}, {SANDWELL_LSOA}",
        "target_indicators": ["mmr2_by_age_5"],
        "ethnic_groups": ["ethnicity:Pakistani"],
        "languages": ["language:Urdu"],
        "age_bands": ["age:25 to 34"],
        **overrides,
    }


def test_list_shows_programmes_and_filters_by_type(client_for):
    make_programme(name="Ambassadors", kind="vaccine_ambassadors")
    make_programme(name="Checks", kind="community_health_checks")
    page = client_for("public").get(reverse("action:programme-list"))
    assert "Ambassadors" in page.text and "Checks" in page.text
    filtered = client_for("public").get(
        reverse("action:programme-list"), {"kind": "community_health_checks"}
    )
    assert "Checks" in filtered.text and "Ambassadors" not in filtered.text


@pytest.mark.parametrize(("role", "shown"), [("public", "*"), ("partner", "*"), ("analyst", "5")])
def test_detail_suppresses_people_reached_for_non_analysts(client_for, role, shown):
    programme = make_programme(name="Ambassadors")
    make_activity(programme=programme, reach={"ethnicity:Roma": 5, "ethnicity:Indian": 30})
    page = client_for(role).get(reverse("action:programme-detail", args=[programme.pk]))
    assert page.context["reach_groups"][0].rows == (
        ("Indian", 30),
        ("Roma", 5 if shown == "5" else "*"),
    )
    assert page.context["reach_groups"][0].subtotal == 35
    assert page.context["activities"][0][1] == 35


def test_detail_offers_edit_and_record_only_to_those_allowed(client_for, role_users):
    programme = make_programme(
        lead=role_users["partner"].organisation, partners=(role_users["champion"].organisation,)
    )
    url = reverse("action:programme-detail", args=[programme.pk])
    expected = {
        "public": (False, False),
        "analyst": (False, False),
        "administrator": (True, True),
        "partner": (True, True),
        "champion": (False, True),  # partners the programme: records, does not edit
    }
    for role, (can_edit, can_record) in expected.items():
        page = client_for(role).get(url)
        assert (page.context["can_edit"], page.context["can_record"]) == (can_edit, can_record), (
            role
        )


@pytest.mark.parametrize(
    ("role", "status", "lead"),
    [
        ("public", 302, None),  # to the login page
        ("administrator", 302, "partner"),  # chooses the lead organisation
        ("analyst", 403, None),
        ("partner", 302, "partner"),  # led by their own organisation
        ("champion", 302, "champion"),
    ],
)
def test_create_by_role(client_for, role_users, role, status, lead):
    data = form_data(lead_organisation=role_users["partner"].organisation_id)
    response = client_for(role).post(reverse("action:programme-create"), data)
    assert response.status_code == status
    created = Programme.objects.filter(name="Doulas in Walsall").first()
    if lead is None:
        assert created is None
        return
    assert response.url == created.get_absolute_url()
    assert created.lead_organisation == role_users[lead].organisation
    assert created.target_areas == [SANDWELL_LAD, SANDWELL_LSOA]
    assert created.target_groups == ["ethnicity:Pakistani", "language:Urdu", "age:25 to 34"]
    assert created.target_indicators == ["mmr2_by_age_5"]
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=created.pk).exists()


def test_partner_without_organisation_cannot_create(client):
    client.force_login(make_user("partner"))
    assert client.get(reverse("action:programme-create")).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_areas", "E01 01002, E99999999", "Not an LSOA, MSOA or local authority code"),
        ("target_indicators", ["no_such_indicator"], "Select a valid choice"),
        ("end_date", "2025-01-01", "The end date must be on or after the start date"),
        ("name", "", "This field is required"),
    ],
)
def test_create_shows_errors_and_writes_nothing(client_for, field, value, message):
    page = client_for("partner").post(
        reverse("action:programme-create"), form_data(**{field: value})
    )
    assert page.status_code == 200
    assert message in page.text
    assert "There is a problem" in page.text
    assert not Programme.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_partner_edits_own_programme_but_not_another_organisations(client_for, role_users):
    own = make_programme(lead=role_users["partner"].organisation, name="Own")
    other = make_programme(lead=role_users["champion"].organisation, name="Other")
    client = client_for("partner")
    response = client.post(
        reverse("action:programme-edit", args=[own.pk]), form_data(name="Renamed")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Renamed"
    assert own.lead_organisation == role_users["partner"].organisation
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.changes["name"] == ["Own", "Renamed"]

    denied = client.post(
        reverse("action:programme-edit", args=[other.pk]), form_data(name="Hijack")
    )
    assert denied.status_code == 403
    other.refresh_from_db()
    assert other.name == "Other"


def test_edit_form_is_filled_in_with_the_programme(client_for, role_users):
    programme = make_programme(
        lead=role_users["partner"].organisation,
        target_areas=[SANDWELL_LSOA],
        target_groups=["plus:Young carers"],
    )
    form = (
        client_for("partner")
        .get(reverse("action:programme-edit", args=[programme.pk]))
        .context["form"]
    )
    assert form["target_areas"].value() == SANDWELL_LSOA
    assert form["plus_groups"].value() == ["plus:Young carers"]
    assert "lead_organisation" not in form.fields  # only administrators choose the lead


@pytest.mark.parametrize(("role", "status"), [(r, 403) for r in ("analyst", "partner", "champion")])
def test_others_cannot_post_to_an_administrators_programme(client_for, role, status):
    programme = make_programme(name="Admin's")
    response = client_for(role).post(
        reverse("action:programme-edit", args=[programme.pk]), form_data()
    )
    assert response.status_code == status
    assert Programme.objects.get().name == "Admin's"
