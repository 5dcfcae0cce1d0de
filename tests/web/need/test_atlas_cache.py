"""The atlas's per-load caches (need/cache.py `per_load`, `atlas.atlas_geojson`, the page's
`{% cache %}`d table): a warm request reads only which results are loaded, answers what a
fresh computation would, keeps each disclosure policy's figures apart, and a new load is never
served the old one's entries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthgap.web.need import actions
from healthgap.web.need.atlas import atlas_data, choose
from healthgap.web.need.models import ResultsLoad
from tests.web.factories import TEST_JOB
from tests.web.need import stores

pytestmark = pytest.mark.django_db

FLU = {"layer": "indicator", "level": "lsoa21", "indicator": stores.FLU, "period": stores.PERIOD}
PRIORITY = {"layer": "priority", "level": "lsoa21", "indicator": stores.FLU}


@pytest.mark.parametrize("params", [FLU, PRIORITY], ids=["indicator", "priority"])
def test_a_warm_data_request_reads_only_the_current_load(
    loaded, client, params, django_assert_num_queries
):
    first = client.get(reverse("need:atlas-data"), params)
    # Warm: the loaded results version (the cache key); the indicators, periods, groups and
    # the encoded GeoJSON come from the cache.
    with django_assert_num_queries(1):
        second = client.get(reverse("need:atlas-data"), params)
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"


def test_the_cached_geojson_is_what_a_fresh_computation_gives(loaded, client_for, role_users):
    analyst = client_for("analyst")
    analyst.get(reverse("need:atlas-data"), FLU)
    cached = analyst.get(reverse("need:atlas-data"), FLU).json()
    choice, _ = choose(FLU)
    fresh = json.loads(json.dumps(atlas_data.uncached(choice, role_users["analyst"]).geojson()))
    assert cached == fresh


def test_a_warm_page_reads_the_load_twice_and_renders_the_cached_table(
    loaded, client, django_assert_num_queries
):
    first = client.get(reverse("need:atlas"), FLU).content.decode()
    # Warm: the loaded results version in the view and again in atlas_data's cache wrapper.
    with django_assert_num_queries(2):
        second = client.get(reverse("need:atlas"), FLU).content.decode()
    table = _table(second)
    assert table == _table(first)  # (the pages differ only in their CSRF token)
    assert 'href="/need/areas/E01000002/">Alpha 001B</a>' in table


def _table(page: str) -> str:
    return page[page.index('id="atlas-table"') : page.index("</details>")]


def test_each_policy_keeps_its_own_cached_figures(loaded, client_for):
    # E01000001's flu value (5 of 40 = 12.5%) rests on 1 to 7 people: the public never sees
    # it, whoever asked first. (`client_for` signs the one test client in as that role.)
    for _ in range(2):
        page = client_for("public").get(reverse("need:atlas"), FLU).content.decode()
        assert "12.5%" not in page
        page = client_for("analyst").get(reverse("need:atlas"), FLU).content.decode()
        assert "12.5% (5.5 to 26.1)" in page
        data = client_for("public").get(reverse("need:atlas-data"), FLU).json()
        areas = {f["properties"]["code"]: f["properties"] for f in data["features"]}
        assert areas["E01000001"]["value"] is None and areas["E01000001"]["suppressed"]


def test_a_new_load_is_not_served_the_old_entries(loaded, client, store, geo_config):
    before = client.get(reverse("need:atlas-data"), FLU).json()
    client.get(reverse("need:atlas-data"), FLU)  # warm
    again = actions.load_results(by=TEST_JOB, root=store.root, config=geo_config)
    assert again.pk != loaded.pk and ResultsLoad.current() == again
    # Every cache key names the new load: the indicators, periods, areas, results and
    # boundaries are read again (the six queries of a cold request), not one.
    with CaptureQueriesContext(connection) as queries:
        after = client.get(reverse("need:atlas-data"), FLU).json()
    assert len(queries) == 6
    assert after == before  # the same store loaded twice
