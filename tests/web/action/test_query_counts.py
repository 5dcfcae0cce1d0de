"""List pages and API lists run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.action.factories import make_activity, make_case_study, make_insight, make_programme
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_rows(programme):
    partner = make_organisation()
    programme.partners.add(partner)
    activity = make_activity(
        programme=programme, reach={"ethnicity:Indian": 9, "age:65 and over": 8}
    )
    activity.partners.add(partner)
    make_insight("trust", ("ethnicity:Indian", "age:65 and over"), source_activity=activity)
    make_case_study(programme=programme, tags=["a"]).contacts.add(partner)


@pytest.mark.parametrize(
    "url",
    [
        "action:programme-list",
        "action:insight-summary",
        "action:insight-list",
        "library:case-study-list",
        "api:action-programmes",
        "api:action-activities",
        "api:action-insights",
        "api:library-case-studies",
    ],
)
def test_lists_do_not_query_per_row(client_for, url):
    programme = make_programme()
    client = client_for("administrator")
    add_rows(programme)
    one = queries(client, reverse(url))
    for _ in range(4):
        add_rows(make_programme())
    assert queries(client, reverse(url)) == one


def test_programme_detail_does_not_query_per_activity(client_for):
    programme = make_programme()
    client = client_for("public")
    url = reverse("action:programme-detail", args=[programme.pk])
    add_rows(programme)
    one = queries(client, url)
    for _ in range(4):
        add_rows(programme)
    assert queries(client, url) == one
