"""The atlas: its JSON (suppression per role, colours, legend), the page and its table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from healthgap.web.need.atlas import BLUES, NO_DATA, NO_GAP, ORANGES, VIRIDIS, _classify, choose
from tests.web.need import stores

pytestmark = pytest.mark.django_db

FLU = {"layer": "indicator", "level": "lsoa21", "indicator": stores.FLU, "period": stores.PERIOD}


def _features(client, **params):
    response = client.get(reverse("need:atlas-data"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    return data, {f["properties"]["code"]: f["properties"] for f in data["features"]}


def test_quantile_classes_by_hand():
    # Values 10, 12.5, 40, 75, 75: numpy's linear quantiles at 0.2, 0.4, 0.6, 0.8 are
    # 10 + 0.8 x 2.5 = 12, 12.5 + 0.6 x 27.5 = 29, 40 + 0.4 x 35 = 54 and 75; a value equal
    # to a break goes up, so 75 is in class 4 and class 3 is empty.
    classes, bounds = _classify({"a": 10, "b": 12.5, "c": 40, "d": 75, "e": 75})
    assert classes == {"a": 0, "b": 1, "c": 2, "d": 4, "e": 4}
    assert bounds == {0: (10, 10), 1: (12.5, 12.5), 2: (40, 40), 4: (75, 75)}
    assert _classify({}) == ({}, {})


def test_analyst_sees_every_value_coloured_worse_darker(loaded, client_for):
    data, areas = _features(client_for("analyst"), **FLU)
    assert data["title"] == f"{stores._NAMES[stores.FLU]}, {stores.PERIOD}"
    assert set(areas) == {f"E0100000{k}" for k in range(1, 6)}
    one = areas["E01000001"]
    assert (one["value"], one["lowercl"], one["uppercl"], one["suppressed"]) == (
        12.5,
        5.5,
        26.1,
        False,
    )
    assert one["text"] == "12.5% (5.5 to 26.1)"
    assert one["url"] == "/need/areas/E01000001/"
    # Classes from test_quantile_classes_by_hand; higher is better, so the lowest class gets
    # the darkest blue: class k -> BLUES[4 - k].
    colours = {code: a["colour"] for code, a in areas.items()}
    assert colours == {
        "E01000005": BLUES[4],
        "E01000001": BLUES[3],
        "E01000003": BLUES[2],
        "E01000002": BLUES[0],
        "E01000004": BLUES[0],
    }
    assert data["bbox"] == [0.0, 52.5, 0.09, 52.51]
    # One value in the class: one number, not "10.0% to 10.0%"; the next class starts after it.
    assert data["legend"][0] == {"colour": BLUES[4], "label": "10.0%"}
    assert data["legend"][1]["label"] == "over 10.0% to 12.5%"
    assert data["legend"][-1]["colour"] == NO_DATA


@pytest.mark.parametrize("role", ["public", "administrator", "partner", "champion"])
def test_others_get_small_numbers_suppressed(loaded, client_for, role):
    data, areas = _features(client_for(role), **FLU)
    one = areas["E01000001"]  # numerator 5
    assert (one["value"], one["lowercl"], one["uppercl"]) == (None, None, None)
    assert one["suppressed"] is True
    assert one["text"] == "*"
    assert one["colour"] == NO_DATA
    assert "12.5" not in str(data)
    # Without E01000001 the visible values are 10, 40, 75, 75: breaks 28, 47, 68, 75
    # (10 + 0.6 x 30, 40 + 0.2 x 35, 40 + 0.8 x 35, 75), classes 0, 1, 4, 4.
    assert areas["E01000005"]["colour"] == BLUES[4]
    assert areas["E01000003"]["colour"] == BLUES[3]
    assert areas["E01000002"]["value"] == 75.0 and areas["E01000002"]["colour"] == BLUES[0]


def test_imd_layer_colours_by_decile(loaded, client):
    data, areas = _features(client, layer="imd", level="lsoa21")
    assert {code: a["text"] for code, a in areas.items()} == {
        f"E0100000{k}": f"Decile {k}" for k in range(1, 6)
    }
    assert areas["E01000003"]["colour"] == VIRIDIS[2]
    assert len(data["legend"]) == 10
    _, msoas = _features(client, layer="imd", level="msoa21")
    assert msoas["E02000001"]["text"] == "Decile 1"
    assert msoas["E02000003"]["colour"] == VIRIDIS[4]


def test_priority_layer_by_headroom_and_suppression(loaded, client_for):
    params = {"layer": "priority", "level": "lsoa21", "indicator": stores.FLU, "group": "all:All"}
    _, analyst = _features(client_for("analyst"), **params)
    # Whole-population priorities: E01000001 (headroom 25, counts 5/40) and E01000003 (17.5).
    assert analyst["E01000001"]["text"] == "25 people (rank 2)"
    assert analyst["E01000001"]["colour"] == ORANGES[4]
    assert analyst["E01000003"]["colour"] == ORANGES[0]
    assert analyst["E01000002"]["text"] == "No priority"
    _, public = _features(client_for("public"), **params)
    assert public["E01000001"]["suppressed"] is True
    assert public["E01000001"]["text"] == "*"
    assert public["E01000001"]["colour"] == NO_DATA
    # The only visible gap equals every quintile of itself, so it goes up to class 4.
    assert public["E01000003"]["colour"] == ORANGES[4]
    assert NO_GAP not in {a["colour"] for a in public.values()}


def test_choice_falls_back_to_defaults(loaded):
    choice, options = choose({"level": "nonsense", "layer": "nonsense", "indicator": "x"})
    assert (choice.level, choice.layer, choice.period) == ("lsoa21", "indicator", stores.PERIOD)
    # The first indicator by name.
    assert choice.indicator.id == stores.ADMISSIONS
    assert options.periods == [stores.PERIOD]
    priority, options = choose({"layer": "priority", "indicator": stores.FLU})
    assert priority.group == ("all", "All")
    assert options.groups == [("all:All", "everyone"), ("ethnicity5:Black", "Black")]


def test_page_renders_the_map_and_a_table_of_the_same_figures(loaded, client_for):
    page = client_for("public").get(reverse("need:atlas"), FLU).content.decode()
    assert 'id="atlas-map"' in page and "data-worker-url=" in page
    assert "/need/atlas/data.json?level=lsoa21&amp;layer=indicator" in page
    assert "maplibre-gl-csp.js" in page and "need/atlas.js" in page
    assert "<script>" not in page and "style=" not in page
    assert 'href="/need/areas/E01000002/">Alpha 001B</a>' in page
    assert "75.0% (59.8 to 85.8)" in page
    assert "12.5%" not in page
    analyst_page = client_for("analyst").get(reverse("need:atlas"), FLU).content.decode()
    assert "12.5% (5.5 to 26.1)" in analyst_page


def test_atlas_without_results_says_how_to_load_them(client):
    page = client.get(reverse("need:atlas")).content.decode()
    assert "No results have been loaded yet" in page
    data = client.get(reverse("need:atlas-data")).json()
    assert data["features"] == [] and data["bbox"] is None


def test_atlas_data_takes_the_same_six_queries_at_any_size(
    loaded, client, django_assert_num_queries
):
    # The loaded results version (the cache key, need/cache.py), indicators, the indicator's
    # periods, the areas, their results, their boundaries.
    with django_assert_num_queries(6):
        client.get(reverse("need:atlas-data"), FLU)
