"""The /api/directory/ endpoints: the same permissions as the pages."""

from __future__ import annotations

import json

import pytest

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import CommunityChampion, Organisation
from tests.web.directory.factories import WALSALL_LAD, community, make_champion, make_service
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


def patch(client, path, payload):
    return client.patch(path, json.dumps(payload), content_type="application/json")


def test_organisations_are_listed_with_filters_and_pagination(client):
    hub = make_organisation(name="Hub", kind="voluntary")
    hub.communities.add(community("pl"))
    make_organisation(name="Council", kind="council")
    make_organisation(name="Closed", active=False)
    body = client.get("/api/directory/organisations").json()
    assert body["count"] == 2 and [o["name"] for o in body["items"]] == ["Council", "Hub"]
    body = client.get("/api/directory/organisations", {"language": "pl"}).json()
    assert [o["name"] for o in body["items"]] == ["Hub"] and body["items"][0]["communities"] == [
        "pl"
    ]


def test_partner_patches_own_organisation_only(client_for, role_users):
    own = role_users["partner"].organisation
    client = client_for("partner")
    response = patch(
        client,
        f"/api/directory/organisations/{own.pk}",
        {
            "description": "Health events",
            "communities": ["pa"],
            "coverage_areas": [WALSALL_LAD],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["coverage_areas"] == [WALSALL_LAD]
    assert AuditEvent.objects.get(action=Action.CHANGE).changes["description"] == [
        "",
        "Health events",
    ]
    bad = patch(client, f"/api/directory/organisations/{own.pk}", {"coverage_areas": ["E54000062"]})
    assert (
        bad.status_code == 422 and "coverage_areas" not in Organisation.objects.get(pk=own.pk).name
    )
    other = make_organisation(name="Other")
    assert (
        patch(client, f"/api/directory/organisations/{other.pk}", {"name": "Mine"}).status_code
        == 403
    )
    assert (
        patch(
            client_for("public"), f"/api/directory/organisations/{other.pk}", {"name": "X"}
        ).status_code
        == 401
    )
    assert Organisation.objects.get(pk=other.pk).name == "Other"


def test_services_list_and_detail(client):
    service = make_service(make_organisation(), name="Clinic")
    service.languages.add(community("so"))
    make_service(make_organisation(active=False), name="Hidden")
    body = client.get("/api/directory/services").json()
    assert [s["name"] for s in body["items"]] == ["Clinic"] and body["items"][0]["languages"] == [
        "so"
    ]
    assert client.get(f"/api/directory/services/{service.pk}").json()["name"] == "Clinic"


def test_champions_need_sign_in_and_counts_are_suppressed(client_for, role_users):
    own = make_champion(role_users["partner"].organisation, name="Own", languages=["bn"])
    make_champion(make_organisation(), name="Other")
    assert client_for("public").get("/api/directory/champions").status_code == 401
    names = [
        c["name"] for c in client_for("partner").get("/api/directory/champions").json()["items"]
    ]
    assert names == ["Own"]
    assert (
        client_for("partner").get(f"/api/directory/champions/{own.pk}").json()["email"] == own.email
    )
    counts = client_for("public").get("/api/directory/champions/counts").json()
    assert counts == {"total": "*", "language": {"Bengali": "*"}, "community": {}, "area": {}}
    assert client_for("analyst").get("/api/directory/champions/counts").json()["total"] == 2


def test_withdraw_consent_through_the_api(client_for, role_users):
    mine = make_champion(
        role_users["champion"].organisation, name="Me", user=role_users["champion"]
    )
    other = make_champion(role_users["partner"].organisation, name="Them")
    assert (
        client_for("partner").post(f"/api/directory/champions/{other.pk}/withdraw").status_code
        == 403
    )
    response = client_for("champion").post(f"/api/directory/champions/{mine.pk}/withdraw")
    assert (
        response.status_code == 200
        and response.json()["withdrawn"]
        and response.json()["name"] == ""
    )
    assert CommunityChampion.objects.get(pk=mine.pk).user is None
    assert (
        client_for("administrator")
        .post(f"/api/directory/champions/{other.pk}/withdraw")
        .status_code
        == 200
    )
