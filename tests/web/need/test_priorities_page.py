"""The priorities page and API: readable groups nested under their area, units and intervals,
rank within an indicator or a weighted combined view, the public ranking, and query counts.

Every figure is invented input (tests/web/need/stores.py has the areas); expected orders are
worked out by hand in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest
from django.urls import reverse

from healthgap.web.need import actions
from healthgap.web.need.models import Priority
from tests.web.factories import TEST_JOB
from tests.web.need import stores
from tests.web.need.stores import ADMISSIONS, FLU, PERIOD

pytestmark = pytest.mark.django_db

EXTRA_RESULTS = [
    (FLU, "lsoa21", "E01000004", "ethnicity5", "Black", 12, 30, 40.0, 24.6, 57.7),
    (ADMISSIONS, "msoa21", "E02000001", "all", "All", 2500, 60000, 3900.0, 3700.0, 4100.0),
]

#: indicator, rank, group_rank, area, category_type, category, group, unit, num, den, value,
#: headroom, lower, upper, share
PRIORITIES = [
    (FLU, 1, 0, "E01000004", "all", "All", "Everyone", "people", 60, 80, 75.0,
     30.0, 20.0, 40.0, 0.6),
    (FLU, 1, 1, "E01000004", "ethnicity5", "Black", "Black ethnic group", "people", 12, 30,
     40.0, 10.5, 5.0, 16.0, 0.21),
    (FLU, 2, 0, "E01000003", "all", "All", "Everyone", "people", 20, 50, 40.0,
     17.5, 10.0, 25.0, 0.35),
    (FLU, 3, 0, "E01000001", "all", "All", "Everyone", "people", 5, 40, 12.5,
     2.5, 1.0, 4.0, 0.05),  # 5 of 40: hidden from the public
    (ADMISSIONS, 1, 0, "E02000001", "all", "All", "Everyone", "events", 2500, 60000, 3900.0,
     1234.4, 1100.2, 1360.7, 0.75),
    (ADMISSIONS, 2, 0, "E01000002", "all", "All", "Everyone", "events", 40, 1000, 3900.0,
     25.2, 18.0, 31.0, 0.25),
]  # fmt: skip


def _priorities() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"rank": rank, "group_rank": gr, "indicator_id": ind, "period": PERIOD,
             "area_type": "msoa21" if code.startswith("E02") else "lsoa21",
             "area_code": code, "area_name": code, "parent_code": None,
             "category_type": ctype, "category": cat, "group": group, "unit": unit,
             "numerator": float(num), "denominator": float(den), "value": value,
             "lowercl": value - 5, "uppercl": value + 5, "smoothed_value": value,
             "smoothed_lowercl": value - 5, "smoothed_uppercl": value + 5,
             "benchmark_value": 75.0, "benchmark_source": "target", "headroom": h,
             "headroom_lowercl": lo, "headroom_uppercl": hi, "share": share,
             "weight": 1.0, "score": share, "core20": False, "plus_group": False,
             "core20plus5": None, "explanation": f"{ind} {code} {group}."}
            for ind, rank, gr, code, ctype, cat, group, unit, num, den, value, h, lo, hi, share
            in PRIORITIES
        ]
    )  # fmt: skip


@pytest.fixture
def ranked(db, tmp_path, geo_config):
    store = stores.write_store(
        tmp_path / "results",
        results=stores.results_frame(stores.RESULTS + EXTRA_RESULTS),
        priorities=_priorities(),
    )
    return actions.load_results(by=TEST_JOB, root=store.root, config=geo_config)


def _entries(response) -> list[tuple[str, str, list[str]]]:
    return [
        (p.area_id, p.group_label, [g.group_label for g, _ in groups])
        for p, _, groups in response.context["rows"]
    ]


def test_rank_within_an_indicator_with_groups_nested_and_readable(ranked, client_for):
    page = client_for("analyst").get(reverse("need:priority-list"), {"indicator": FLU})
    # One entry per area; the Black group sits under its area's Everyone row, not as a rank.
    assert _entries(page) == [
        ("E01000004", "Everyone", ["Black ethnic group"]),
        ("E01000003", "Everyone", []),
        ("E01000001", "Everyone", []),
    ]
    text = page.content.decode()
    assert "30 people (95% CI 20 to 40)" in text and "ethnicity5" not in text
    assert "(3 neighbourhoods)" in text


def test_the_default_indicator_is_the_first_by_name_and_counts_events(ranked, client):
    page = client.get(reverse("need:priority-list"))
    assert page.context["selected_indicator"] == ADMISSIONS  # "Emergency ..." < "Flu ..."
    text = page.content.decode()
    # Thousands separators and the unit, with its interval.
    assert "1,234 events (95% CI 1,100 to 1,361)" in text
    assert "3,900.0 per 100,000" in text


def test_the_public_ranking_leaves_hidden_rows_out_and_renumbers(ranked, client):
    page = client.get(reverse("need:priority-list"), {"indicator": FLU})
    assert [(p.area_id, p.shown_rank) for p, _, _ in page.context["rows"]] == [
        ("E01000004", 1),
        ("E01000003", 2),
    ]  # E01000001 (5 of 40) is not published: left out, nothing renumbered around it
    detail = client.get(reverse("need:priority-detail", args=[_pk(FLU, "E01000001")]))
    assert detail.status_code == 404  # nor can its page be opened by its id


def test_combined_view_orders_by_weighted_share(ranked, client_for):
    analyst = client_for("analyst")
    url = reverse("need:priority-list")
    page = analyst.get(url, {"view": "combined"})
    # Scores (weight 1): admissions E02000001 0.75, flu E01000004 0.6, flu E01000003 0.35,
    # admissions E01000002 0.25, flu E01000001 0.05.
    order = [p.area_id for p, _, _ in page.context["rows"]]
    assert order == ["E02000001", "E01000004", "E01000003", "E01000002", "E01000001"]
    # Flu weighted 2: 1.2, 0.75 (admissions E02000001), 0.7, 0.25, 0.1.
    page = analyst.get(url, {"view": "combined", f"weight_{FLU}": "2"})
    order = [p.area_id for p, _, _ in page.context["rows"]]
    assert order == ["E01000004", "E02000001", "E01000003", "E01000002", "E01000001"]
    bad = analyst.get(url, {"view": "combined", f"weight_{FLU}": "-1"})
    assert bad.status_code == 400
    assert f"The weight for {FLU} must be a number from 0 to 100" in bad.content.decode()


def test_api_lists_groups_with_units_and_the_combined_view(ranked, client_for):
    analyst = client_for("analyst")
    rows = analyst.get(reverse("api:need-priorities"), {"indicator": FLU}).json()["items"]
    assert [(r["rank"], r["group_rank"], r["group"]) for r in rows[:2]] == [
        (1, 0, "Everyone"),
        (1, 1, "Black ethnic group"),
    ]
    assert rows[0]["unit"] == "people"
    combined = analyst.get(reverse("api:need-priorities"), {"view": "combined"}).json()
    assert [r["area_code"] for r in combined["items"]][:2] == ["E02000001", "E01000004"]
    assert combined["items"][0]["unit"] == "events" and combined["items"][0]["score"] == 0.75
    assert analyst.get(reverse("api:need-priorities"), {"view": "x"}).status_code == 422


@pytest.mark.parametrize("role", ["public", "analyst"])
def test_pages_and_lists_take_a_bounded_number_of_queries(
    ranked, client_for, role, django_assert_max_num_queries
):
    client = client_for(role)
    urls = [
        (reverse("need:priority-list"), {"indicator": FLU}),
        (reverse("need:priority-list"), {"view": "combined"}),
        (reverse("need:cold-spots"), {}),
        (reverse("api:need-priorities"), {}),
        (reverse("api:need-cold-spots"), {}),
    ]
    for url, query in urls:
        client.get(url, query)  # warm the session
        with django_assert_max_num_queries(12):
            assert client.get(url, query).status_code == 200


def _pk(indicator: str, code: str) -> int:
    return Priority.objects.get(indicator_id=indicator, area_id=code, category_type="all").pk
