"""Guards on the cost of the main pages: no N+1 queries on the list pages, and the need pages'
aggregates cached per results load and disclosure policy (healthgap.web.need.cache).

N+1: each list page is rendered with 2 and then with 8 rows; the number of queries must not grow
with the rows, and stays within a fixed budget (`django_assert_max_num_queries`).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthgap.web.directory.models import Organisation
from healthgap.web.need import profile
from healthgap.web.need.cache import cache_key
from healthgap.web.need.models import Area, ResultsLoad
from tests.web.action.factories import make_activity, make_case_study, make_insight, make_programme
from tests.web.factories import make_organisation
from tests.web.need.conftest import geo_config, loaded, store  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
#: Queries a list page may make whatever its length (session, user, counts, the page, lookups).
BUDGET = 15


def _add_organisation(n):
    return make_organisation(name=f"Listed organisation {n}")


LIST_PAGES = {
    "directory:organisation-list": _add_organisation,
    "action:programme-list": lambda n: make_programme(name=f"Programme {n}"),
    "action:insight-list": lambda n: make_insight(),
    "library:case-study-list": lambda n: make_case_study(title=f"Case {n}"),
}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_list_pages_make_the_same_queries_for_2_and_8_rows(
    client, role_users, name, django_assert_max_num_queries
):
    client.force_login(role_users["administrator"])
    add = LIST_PAGES[name]
    for n in range(2):
        add(n)
    url = reverse(name)
    client.get(url)  # warm per-process lookups (content types, vocabularies)
    few = _queries(client, url)
    for n in range(2, 8):
        add(n)
    many = _queries(client, url)
    assert many == few, f"{name}: {few} queries for 2 rows, {many} for 8 (N+1)"
    with django_assert_max_num_queries(BUDGET):
        client.get(url)


def test_activity_detail_pages_do_not_grow_with_insights(client, role_users):
    client.force_login(role_users["administrator"])
    activity = make_activity()
    url = reverse("action:activity-detail", kwargs={"pk": activity.pk})
    client.get(url)
    few = _queries(client, url)
    for _ in range(5):
        make_insight(source_activity=activity)
    assert _queries(client, url) == few


@pytest.mark.usefixtures("loaded")
def test_profile_aggregates_are_cached_per_load_and_policy(role_users):
    area = Area.objects.exclude(area_type="england").first()
    public, analyst = role_users["public"], role_users["analyst"]
    first = profile.indicator_profiles(area, public)
    with CaptureQueriesContext(connection) as captured:
        again = profile.indicator_profiles(area, public)
    assert len(captured) == 1  # ResultsLoad.current(): the key's load; the rest from the cache
    assert [p.indicator.id for p in again] == [p.indicator.id for p in first]
    load = ResultsLoad.current()
    assert cache_key("p", load, public, area.code) != cache_key("p", load, analyst, area.code)
    # A new results load changes every key: nothing of the old load is served.
    newer = ResultsLoad.objects.create(version="newer", icb_code=load.icb_code)
    assert ResultsLoad.current() == newer
    assert cache_key("p", newer, public, area.code) != cache_key("p", load, public, area.code)
    with CaptureQueriesContext(connection) as captured:
        profile.indicator_profiles(area, public)
    assert len(captured) > 1  # recomputed for the new load


def test_organisation_list_lists_what_was_added(client):
    """(The N+1 test above is not vacuous: the page does show the rows it counts.)"""
    _add_organisation(1)
    page = client.get(reverse("directory:organisation-list")).content.decode()
    assert "Listed organisation 1" in page
    assert Organisation.objects.count() == 1
