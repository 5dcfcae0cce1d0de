"""The need API: the same suppression and permissions as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from healthgap.web.need import actions
from healthgap.web.need.models import Priority
from tests.web.factories import TEST_JOB, make_organisation
from tests.web.need import stores

pytestmark = pytest.mark.django_db


def test_indicators_and_areas(loaded, client):
    indicators = client.get(reverse("api:need-indicators")).json()["items"]
    assert [i["id"] for i in indicators] == [stores.ADMISSIONS, stores.FLU]
    assert indicators[1]["unit"] == "%" and indicators[1]["target"] == 75.0
    area = client.get(reverse("api:need-area", args=["E02000001"])).json()
    assert (area["parent_code"], area["imd_decile"], area["core20"]) == ("E08000001", 1, True)
    assert client.get(reverse("api:need-area", args=["E01999999"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "raw"), [("analyst", True), ("public", False), ("partner", False)]
)
def test_area_results_are_suppressed_for_non_analysts(loaded, client_for, role, raw):
    url = reverse("api:need-area-results", args=["E01000002"])
    body = client_for(role).get(url, {"indicator": stores.FLU}).json()
    assert body["count"] == 2
    rows = {r["category"]: r for r in body["items"]}
    assert rows["All"]["value"] == 75.0 and rows["All"]["numerator"] == 30.0
    asian = rows["Asian"]  # numerator 3
    assert asian["suppressed"] is not raw
    assert (asian["value"], asian["numerator"]) == ((30.0, 3.0) if raw else (None, None))


def test_priorities_leave_unpublished_rows_out_for_non_analysts(loaded, client_for):
    # Published by the public policy: E02000003 (70 of 180) and E01000003 (20 of 50). Hidden:
    # E01000001 (5 of 40, a small count) and E01000005's Black group (no published figure).
    # The public ranking renumbers what is left: 65 people first, then 17.5.
    public = client_for("public").get(reverse("api:need-priorities")).json()
    assert [(p["rank"], p["area_code"], p["headroom"]) for p in public["items"]] == [
        (1, "E02000003", 65.0),
        (2, "E01000003", 17.5),
    ]
    assert public["count"] == 2 and public["items"][0]["unit"] == "people"
    analyst = client_for("analyst").get(reverse("api:need-priorities"), {"area_type": "lsoa21"})
    rows = analyst.json()["items"]
    assert [p["rank"] for p in rows] == [1, 2, 4]
    assert rows[1]["headroom"] == 25.0 and "5 of 40" in rows[1]["explanation"]


def test_list_page_sizes_are_capped_with_a_422(loaded, client):
    for name in ("api:need-priorities", "api:need-cold-spots"):
        assert client.get(reverse(name), {"page_size": 100}).status_code == 200
        too_big = client.get(reverse(name), {"page_size": 101})
        assert too_big.status_code == 422 and "detail" in too_big.json()
        assert client.get(reverse(name), {"page": 0}).status_code == 422


def test_cold_spots(loaded, client, client_for):
    spots = client.get(reverse("api:need-cold-spots")).json()["items"]
    assert [s["area_code"] for s in spots] == ["E02000003", "E01000003"]
    analyst = client_for("analyst").get(reverse("api:need-cold-spots")).json()["items"]
    codes = [s["area_code"] for s in analyst]
    assert codes == ["E01000005", "E01000001", "E02000003", "E01000003"]
    assert analyst[1]["explanation"].endswith("5 of 40 people vaccinated.")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 401),
        ("partner", 403),
        ("champion", 403),
        ("analyst", 200),
        ("administrator", 200),
    ],
)
def test_introductions_need_the_broker_permission(loaded, client_for, role, status):
    actions.propose_introduction(
        by=TEST_JOB,
        priority=Priority.objects.get(rank=1),
        to_organisation=make_organisation(),
    )
    response = client_for(role).get(reverse("api:need-introductions"))
    assert response.status_code == status
    if status == 200:
        assert response.json()["items"][0]["status"] == "proposed"
