"""The action API: the same permissions as the pages, suppression, pagination, 422 on bad input."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from healthgap.disclosure import Relation
from healthgap.web.action.models import Activity, Insight, Programme
from healthgap.web.audit.models import Action, AuditEvent
from tests.web.action.factories import SANDWELL_LSOA, make_activity, make_insight, make_programme
from tests.web.disclosure.intruder import assert_published, narrowed

pytestmark = pytest.mark.django_db


def post(client, name, payload):
    return client.post(reverse(name), data=json.dumps(payload), content_type="application/json")


PROGRAMME = {
    "name": "Health checks",
    "kind": "community_health_checks",
    "aims": "Checks after prayers.",
    "start_date": "2026-01-05",
    "target_indicators": ["nhs_health_check_uptake"],
    "target_areas": [SANDWELL_LSOA],
    "target_groups": ["ethnicity:Indian"],
}


def test_programmes_are_paginated(client_for):
    for n in range(3):
        make_programme(name=f"P{n}")
    body = client_for("public").get(reverse("api:action-programmes"), {"page_size": 2}).json()
    assert body["count"] == 3
    assert [p["name"] for p in body["items"]] == ["P0", "P1"]
    second = client_for("public").get(reverse("api:action-programmes"), {"page_size": 2, "page": 2})
    assert [p["name"] for p in second.json()["items"]] == ["P2"]


def test_programme_detail(client_for):
    programme = make_programme(name="Doulas", target_groups=["language:Urdu"])
    body = client_for("public").get(reverse("api:action-programme", args=[programme.pk])).json()
    assert body["name"] == "Doulas"
    assert body["target_groups"] == ["language:Urdu"]
    assert body["lead_organisation"] == programme.lead_organisation.name


@pytest.mark.parametrize(
    ("role", "status", "lead"),
    [
        ("public", 401, None),
        ("analyst", 403, None),
        ("partner", 201, "partner"),
        ("champion", 201, "champion"),
        ("administrator", 201, "champion"),  # names the lead
    ],
)
def test_create_programme_by_role(client_for, role_users, role, status, lead):
    payload = {**PROGRAMME, "lead_organisation_id": role_users["champion"].organisation_id}
    response = post(client_for(role), "api:action-programmes", payload)
    assert response.status_code == status
    if lead is None:
        assert not Programme.objects.exists()
        return
    programme = Programme.objects.get()
    assert response.json()["id"] == programme.pk
    assert programme.lead_organisation == role_users[lead].organisation
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="action.programme").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_indicators": ["made_up"]}, "target_indicators", "Unknown indicator id: made_up"),
        ({"target_areas": ["W01000001x"]}, "target_areas", "Not an LSOA, MSOA or local authority"),
        ({"partner_ids": [999999]}, "partner_ids", "No organisation with id [999999]"),
    ],
)
def test_create_programme_validation(client_for, overrides, field, message):
    response = post(client_for("partner"), "api:action-programmes", {**PROGRAMME, **overrides})
    assert response.status_code == 422
    assert message in " ".join(response.json()["detail"][field])
    assert not Programme.objects.exists()


@pytest.mark.parametrize(("role", "roma"), [("public", "*"), ("partner", "*"), ("analyst", 4)])
def test_activities_suppress_reach_for_non_analysts(client_for, role, roma):
    make_activity(reach={"ethnicity:Roma": 4, "ethnicity:Indian": 20})
    item = client_for(role).get(reverse("api:action-activities")).json()["items"][0]
    shown = {r["group"]: r["count"] for r in item["reach"]} | {"all": item["people_reached"]}
    assert shown["Roma"] == roma
    truth = {"Roma": 4, "Indian": 20, "all": 4 + 20}
    if role == "analyst":
        assert shown == truth
    else:  # 20 -> 20, 24 -> 25 where shown; the intruder cannot narrow Roma's 4
        assert_published(shown, truth)
        assert narrowed(shown, truth, [Relation("all", ("Roma", "Indian"))]) == {}


def activity_payload(programme, **overrides):
    return {
        "programme_id": programme.pk,
        "kind": "clinic",
        "date": "2026-02-03",
        "place": "Gurdwara",
        "lsoa21": SANDWELL_LSOA,
        "reach": [{"group_type": "ethnicity", "group": "Indian", "count": 30}],
        **overrides,
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 401),
        ("analyst", 403),
        ("champion", 403),
        ("partner", 201),
        ("administrator", 201),
    ],
)
def test_record_activity_by_role(client_for, role_users, role, status):
    programme = make_programme(partners=(role_users["partner"].organisation,))
    response = post(client_for(role), "api:action-activities", activity_payload(programme))
    assert response.status_code == status
    if status == 201:
        activity = Activity.objects.get()
        assert response.json()["reach"] == [
            {"group_type": "ethnicity", "group": "Indian", "count": 30}
        ]
        assert list(activity.reach.values_list("count", flat=True)) == [30]
    else:
        assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("reach", "message"),
    [
        (
            [{"group_type": "ethnicity", "group": "Indian", "count": -1}],
            "greater than or equal to 0",
        ),
        ([{"group_type": "ethnicity", "group": "Elvish", "count": 1}], "not a known group"),
        (
            [{"group_type": "age", "group": "16 to 24", "count": 1}] * 2,
            "listed twice",
        ),
    ],
)
def test_record_activity_validation(client_for, role_users, reach, message):
    programme = make_programme(lead=role_users["partner"].organisation)
    response = post(
        client_for("partner"), "api:action-activities", activity_payload(programme, reach=reach)
    )
    assert response.status_code == 422
    assert message in json.dumps(response.json())
    assert not Activity.objects.exists()


def test_single_insights_follow_the_page_rules(client_for, role_users):
    make_insight("cost", organisation=role_users["partner"].organisation)
    make_insight("cost", organisation=role_users["champion"].organisation)
    url = reverse("api:action-insights")
    assert client_for("public").get(url).status_code == 401
    assert client_for("analyst").get(url).json()["count"] == 2
    assert client_for("administrator").get(url).json()["count"] == 2
    assert client_for("partner").get(url).json()["count"] == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 401),
        ("analyst", 403),
        ("partner", 201),
        ("champion", 201),
        ("administrator", 201),
    ],
)
def test_record_insight_by_role(client_for, role, status):
    payload = {"theme": "digital", "summary": "Booking only online.", "date": "2026-03-03",
               "groups": ["age:65 and over"], "neighbourhood": SANDWELL_LSOA}  # fmt: skip
    response = post(client_for(role), "api:action-insights", payload)
    assert response.status_code == status
    assert Insight.objects.count() == (1 if status == 201 else 0)


def test_record_insight_rejects_unknown_groups(client_for):
    payload = {"theme": "digital", "summary": "x", "date": "2026-03-03", "groups": ["age:old"]}
    response = post(client_for("champion"), "api:action-insights", payload)
    assert response.status_code == 422
    assert "not a known group" in json.dumps(response.json())


@pytest.mark.parametrize(("role", "small"), [("public", "*"), ("champion", "*"), ("analyst", 2)])
def test_aggregates(client_for, role, small):
    make_insight("trust", ("ethnicity:Indian", "ethnicity:Pakistani"), neighbourhood=SANDWELL_LSOA)
    make_insight("trust", ("ethnicity:Indian",))
    for _ in range(8):
        make_insight("cost", ("ethnicity:Indian",), neighbourhood=SANDWELL_LSOA)
    body = client_for(role).get(reverse("api:action-insight-aggregates")).json()
    assert body["themes"] == ["trust", "cost"]
    places = (
        client_for(role)
        .get(reverse("api:action-insight-aggregates"), {"dimension": "neighbourhood"})
        .json()
    )
    # Indian: trust 2 (both trust insights), cost 8, total 10; Pakistani: trust 1. By place:
    # the LSOA has trust 1 and cost 8 (9); the second trust insight has no neighbourhood.
    truth = {("Indian", "trust"): 2, ("Indian", "cost"): 8, ("Indian", "all"): 10,
             ("Pakistani", "trust"): 1, ("Pakistani", "cost"): 0, ("Pakistani", "all"): 1,
             ("theme", "trust"): 2, ("theme", "cost"): 8, "total": 10,
             (SANDWELL_LSOA, "trust"): 1, (SANDWELL_LSOA, "cost"): 8, (SANDWELL_LSOA, "all"): 9,
             ("", "trust"): 1, ("", "cost"): 0, ("", "all"): 1}  # fmt: skip
    shown = {"total": body["total"]}
    shown |= {("theme", t): n for t, n in body["theme_totals"].items()}
    for row in body["rows"] + places["rows"]:
        key = row["label"] if row["label"] in ("Indian", "Pakistani") else row["key"]
        shown |= {(key, t): n for t, n in row["counts"].items()} | {(key, "all"): row["total"]}
    assert shown[("Indian", "trust")] == small
    if small != "*":  # analysts: the true counts (the row without a place is theirs only)
        assert shown == {k: v for k, v in truth.items() if k[0] != ""}
        return
    assert shown[("Pakistani", "trust")] == "*" and shown[(SANDWELL_LSOA, "trust")] == "*"
    assert_published(shown, truth)
    rows = [("Indian", "Pakistani"), (SANDWELL_LSOA, "")]
    relations = [Relation((r, "all"), ((r, "trust"), (r, "cost"))) for pair in rows for r in pair]
    relations += [Relation(("theme", t), ((SANDWELL_LSOA, t), ("", t))) for t in ("trust", "cost")]
    relations += [Relation("total", (("theme", "trust"), ("theme", "cost")))]
    assert narrowed(shown, truth, relations) == {}


def test_aggregates_reject_unknown_dimensions_and_bad_filters(client_for):
    url = reverse("api:action-insight-aggregates")
    assert client_for("public").get(url, {"dimension": "religion"}).status_code == 422
    assert client_for("public").get(url, {"neighbourhood": "xyz"}).status_code == 422
