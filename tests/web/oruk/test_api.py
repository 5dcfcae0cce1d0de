"""The ORUK 3.0 read API: every response validates against the official schemata, is paged in
ORUK's envelope, filters as documented, sends `Access-Control-Allow-Origin: *`, and shows only
public records."""

from __future__ import annotations

import json
import math

import pytest
from django.urls import reverse

from healthgap.web.directory.vocabularies import taxonomy_uuid, term_uuid
from tests.web.oruk.schemas import assert_compact, assert_page, assert_valid

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(path, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def names(body):
    return [item["name"] for item in body["contents"]]


def test_root_gives_version_profile_and_the_openapi_url(client):
    body = get(client, "/oruk/").json()
    assert body == {
        "version": "3.0",
        "profile": "https://github.com/openreferral/uk-profile",
        "openapi_url": "http://testserver/oruk/openapi.json",
    }


def test_openapi_document_describes_this_server_and_every_endpoint(client):
    doc = get(client, "/oruk/openapi.json").json()
    assert doc["openapi"].startswith("3.") and doc["info"]["version"] == "3.0"
    assert doc["servers"] == [{"url": "http://testserver/oruk"}]
    for path in (
        "/",
        "/services",
        "/services/{id}",
        "/service_at_locations",
        "/taxonomies",
        "/taxonomy_terms",
        "/organizations",
        "/organizations/{id}",
    ):
        assert path in doc["paths"], path
    listed = {
        p.get("$ref", "").rsplit("/", 1)[-1] for p in doc["paths"]["/services"]["get"]["parameters"]
    }
    assert {
        "search",
        "page",
        "per_page",
        "taxonomy_term_id",
        "organization_id",
        "modified_after",
    } <= listed
    for parameter in doc["paths"]["/services"]["get"]["parameters"]:
        assert parameter["$ref"].rsplit("/", 1)[-1] in doc["components"]["parameters"]


def test_service_list_is_a_valid_page_of_public_services_by_name(client, directory):
    body = get(client, "/oruk/services").json()
    assert_page(body, "service")
    assert names(body) == ["Midwives drop-in", "Vaccine clinic", "Wellbeing circle"]
    assert body["total_items"] == 3 and body["total_pages"] == 1
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)
    first = body["contents"][1]
    assert first["organization"]["name"] == "Palfrey Voices"
    assert "service_at_locations" not in first  # list items carry one-to-one fields only
    assert_compact(body)


def test_paging(client, directory):
    second = get(client, "/oruk/services", per_page=2, page=2).json()
    assert_page(second, "service")
    assert names(second) == ["Wellbeing circle"]
    assert (second["total_items"], second["total_pages"], second["page_number"]) == (3, 2, 2)
    assert (second["size"], second["first_page"], second["last_page"]) == (1, False, True)
    beyond = get(client, "/oruk/services", per_page=2, page=5).json()
    assert beyond["contents"] == [] and beyond["empty"] and beyond["size"] == 0
    assert beyond["last_page"] and beyond["total_items"] == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "page must be a number of at least 1"),
        ({"per_page": "x"}, "per_page must be a number"),
        ({"page": "1.5"}, "page must be a whole number"),
        ({"taxonomy_term_id": "vaccination"}, "taxonomy_term_id must be a UUID"),
        ({"modified_after": "yesterday"}, "modified_after must be an ISO 8601"),
        ({"minimum_age": "-1"}, "minimum_age must be a number of at least 0"),
        ({"day": "MO"}, "no opening times, so day cannot be used"),
        ({"format": "ndjson"}, "Only format=json"),
    ],
)
def test_bad_parameters_are_400_with_a_reason(client, directory, params, message):
    response = get(client, "/oruk/services", **params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "vaccine"}, ["Vaccine clinic"]),
        ({"search": "COVID"}, ["Vaccine clinic"]),  # description, case-insensitive
        ({"taxonomy_term_id": str(term_uuid("mental-health"))}, ["Wellbeing circle"]),
        (
            {"taxonomy_id": str(taxonomy_uuid())},
            ["Midwives drop-in", "Vaccine clinic", "Wellbeing circle"],
        ),
        ({"minimum_age": "15"}, ["Vaccine clinic"]),  # minimum age at least 15
        ({"maximum_age": "30"}, ["Wellbeing circle"]),  # maximum age at most 30
        ({"minimum_age": "10", "maximum_age": "30"}, ["Wellbeing circle"]),  # AND
        ({"modified_after": "2026-05-01"}, ["Midwives drop-in", "Wellbeing circle"]),
        ({"modified_after": "2026-09-01T12:00:00Z"}, ["Midwives drop-in"]),
        ({"search": "nothing like this"}, []),
    ],
)
def test_service_filters(client, directory, params, expected):
    assert names(get(client, "/oruk/services", **params).json()) == expected


def test_organization_filter(client, directory):
    body = get(client, "/oruk/services", organization_id=str(directory.wolverhampton.uuid)).json()
    assert names(body) == ["Wellbeing circle"]


def test_full_service_is_nested_and_valid(client, directory):
    body = get(client, f"/oruk/services/{directory.vaccination.uuid}").json()
    assert_valid(body, "service")
    assert_compact(body)
    assert body["organization"]["organization_identifiers"] == [
        {
            "id": body["organization"]["organization_identifiers"][0]["id"],
            "organization_id": str(directory.walsall.uuid),
            "identifier_scheme": "GB-CHC",
            "identifier_type": "Charity number",
            "identifier": "1123456",
        }
    ]
    locations = {sal["location"]["name"]: sal["location"] for sal in body["service_at_locations"]}
    assert set(locations) == {"Council House", "Palfrey Centre"}
    council = locations["Council House"]
    assert (council["latitude"], council["longitude"]) == (52.586, -1.9829)
    assert council["addresses"][0]["postal_code"] == "WS1 1TP"
    assert council["accessibility"][0]["description"] == "Step-free entrance."
    assert sorted(language["code"] for language in body["languages"]) == ["pa", "ur"]
    assert body["cost_options"][0]["amount"] == 0
    assert body["attributes"][0]["taxonomy_term"]["name"] == "Vaccination"
    assert (body["minimum_age"], body["maximum_age"]) == (18, 64)
    assert body["last_modified"] == "2026-03-01T12:00:00.000Z"
    assert body["assured_date"] == "2026-10-01"


def test_unknown_malformed_and_hidden_services_are_404(client, directory):
    for key in ("not-a-uuid", "00000000-0000-4000-8000-000000000000", str(directory.hidden.uuid)):
        response = get(client, f"/oruk/services/{key}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No service with this id."}


def test_unknown_endpoint_is_json_404_with_cors(client):
    response = get(client, "/oruk/schedules")
    assert response.status_code == 404 and "No ORUK endpoint" in response.json()["detail"]


def test_only_get_is_allowed_and_preflight_is_answered(client):
    response = client.post("/oruk/services")
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/oruk/services")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_service_at_locations_list_and_detail_are_valid(client, directory):
    body = get(client, "/oruk/service_at_locations").json()
    assert_page(body, "service_at_location")
    assert body["total_items"] == 4  # the inactive organisation's link is hidden
    for item in body["contents"]:
        assert_valid(item["service"], "service")
        assert "addresses" not in item["location"]  # one-to-one fields in lists
    detail = get(client, f"/oruk/service_at_locations/{body['contents'][0]['id']}").json()
    assert_valid(detail, "service_at_location")
    assert_valid(detail["service"], "service")
    assert detail["location"]["addresses"]
    assert get(client, "/oruk/service_at_locations/nope").status_code == 404


def _distance_by_spherical_law_of_cosines(lat1, lon1, lat2, lon2):
    """An independent formula for the same great-circle distance (metres, mean radius)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6_371_008.8 * math.acos(min(1.0, cosine))


def test_proximity_is_measured_from_the_postcodes_own_locations(client, directory):
    # WS1 1TP has two locations at (52.586, -1.9829) and (52.5861, -1.9830) but the second is
    # the inactive organisation's; the postcode's position is their mean either way.
    centre = _distance_by_spherical_law_of_cosines(52.58605, -1.98295, 52.5745, -1.987)
    assert 1_200 < centre < 1_400  # Palfrey Centre is about 1.3 km away
    near = get(client, "/oruk/service_at_locations", postcode="ws11tp", proximity="1000").json()
    assert [i["location"]["name"] for i in near["contents"]] == ["Council House"]
    wider = get(
        client, "/oruk/service_at_locations", postcode="WS1 1TP", proximity=str(math.ceil(centre))
    ).json()
    assert [i["location"]["name"] for i in wider["contents"]] == [
        "Council House",
        "Palfrey Centre",
        "Palfrey Centre",
    ]
    narrower = get(
        client, "/oruk/service_at_locations", postcode="WS1 1TP", proximity=str(math.floor(centre))
    ).json()
    assert narrower["total_items"] == 1


def test_postcode_alone_orders_by_distance_and_falls_back_to_sector_and_district(client, directory):
    everything = get(client, "/oruk/service_at_locations", postcode="WV1 4BD").json()
    assert everything["contents"][0]["location"]["name"] == "Hub"
    assert everything["total_items"] == 4
    sector = get(client, "/oruk/service_at_locations", postcode="WS1 4ZZ", proximity="10").json()
    assert [i["location"]["name"] for i in sector["contents"]] == ["Palfrey Centre"] * 2
    district = get(client, "/oruk/service_at_locations", postcode="WV1", proximity="10").json()
    assert [i["location"]["name"] for i in district["contents"]] == ["Hub"]


def test_postcode_the_directory_cannot_place_is_400(client, directory):
    response = get(client, "/oruk/service_at_locations", postcode="ZZ9 9ZZ")
    assert response.status_code == 400 and "Cannot place the postcode" in response.json()["detail"]
    response = get(client, "/oruk/service_at_locations", proximity="100")
    assert response.status_code == 400 and "needs a postcode" in response.json()["detail"]


def test_taxonomies_and_terms(client, directory):
    taxonomies = get(client, "/oruk/taxonomies").json()
    assert_page(taxonomies, "taxonomy")
    detail = get(client, f"/oruk/taxonomies/{taxonomy_uuid()}").json()
    assert_valid(detail, "taxonomy")
    assert len(detail["taxonomy_terms"]) == 17
    terms = get(client, "/oruk/taxonomy_terms", per_page=100).json()
    assert_page(terms, "taxonomy_term")
    top = get(client, "/oruk/taxonomy_terms", top_only="true", per_page=100).json()
    assert top["total_items"] == terms["total_items"] - 2  # two kinds of screening are children
    children = get(client, "/oruk/taxonomy_terms", parent_id=str(term_uuid("screening"))).json()
    assert names(children) == ["Cancer screening", "Diabetic eye screening"]
    one = get(client, f"/oruk/taxonomy_terms/{term_uuid('cancer-screening')}").json()
    assert_valid(one, "taxonomy_term")
    assert one["parent_id"] == str(term_uuid("screening"))
    assert get(client, "/oruk/taxonomy_terms/nope").status_code == 404
    assert get(client, "/oruk/taxonomies/nope").status_code == 404


def test_organizations_list_and_detail(client, directory):
    body = get(client, "/oruk/organizations").json()
    assert_page(body, "organization")
    assert names(body) == ["Palfrey Voices", "Whitmore Hub"]  # not the inactive one
    assert names(get(client, "/oruk/organizations", search="whitmore").json()) == ["Whitmore Hub"]
    detail = get(client, f"/oruk/organizations/{directory.wolverhampton.uuid}").json()
    assert_valid(detail, "organization")
    assert detail["organization_identifiers"][0]["identifier_scheme"] == "GB-NHS"
    assert [s["name"] for s in detail["services"]] == ["Wellbeing circle"]
    for service in detail["services"]:
        assert_valid(service, "service")
    assert get(client, f"/oruk/organizations/{directory.closed.uuid}").status_code == 404


def test_no_champion_or_personal_detail_is_ever_served(client, directory):
    pages = [
        reverse("oruk:services"),
        reverse("oruk:service_at_locations".replace("_", "-")),
        reverse("oruk:organizations"),
        f"/oruk/services/{directory.vaccination.uuid}",
        f"/oruk/organizations/{directory.walsall.uuid}",
    ]
    text = " ".join(json.dumps(get(client, page).json()) for page in pages)
    for secret in ("Zainab", "zainab.secret@example.org", "01632 960999", "champion"):
        assert secret not in text


def test_service_list_query_count_is_fixed(client, directory, django_assert_num_queries):
    with django_assert_num_queries(2):  # count, then the page with its organisations
        client.get("/oruk/services")
