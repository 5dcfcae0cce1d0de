"""The demo directory: real Black Country areas, places inside their LSOAs, idempotent."""

from __future__ import annotations

import io

import pytest

from healthgap.geography import boundaries, hierarchy
from healthgap.web.directory import demo
from healthgap.web.directory.models import (
    CommunityChampion,
    CoverageArea,
    Location,
    Organisation,
    Service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]

BLACK_COUNTRY = "E54000062"


def _inside(point, ring):
    """Ray casting: is (x, y) inside the polygon ring [(x, y), ...]?"""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def test_demo_loads_once_with_real_black_country_areas():
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Organisation.objects.count() == len(demo.ORGANISATIONS) == 14
    assert Service.objects.count() == 16
    assert CommunityChampion.objects.count() == 6
    areas = hierarchy().query("icb24_code == @BLACK_COUNTRY")
    known = set(areas["lsoa21_code"]) | set(areas["msoa21_code"]) | set(areas["lad24_code"])
    used = set(CoverageArea.objects.values_list("code", flat=True))
    used |= {o.lsoa21 for o in Organisation.objects.exclude(lsoa21="")}
    used |= {loc.lsoa21 for loc in Location.objects.all()}
    assert used <= known
    assert {c for c in used if c.startswith("E08")} == {
        "E08000027",
        "E08000028",
        "E08000030",
        "E08000031",
    }
    languages = set(CommunityChampion.objects.values_list("languages__label", flat=True))
    assert {"Punjabi", "Urdu", "Bengali", "Polish", "Romanian", "Somali"} <= languages


def test_each_demo_place_lies_inside_its_lsoa():
    shapes = {
        f["properties"]["code"]: f["geometry"]
        for f in boundaries("lsoa21", icb=BLACK_COUNTRY, tolerance=0)["features"]
    }
    for spec in demo.ORGANISATIONS:
        for place in spec.places:
            polygons = _polygons(shapes[place.lsoa21])
            point = (place.longitude, place.latitude)
            assert any(_inside(point, [tuple(p) for p in polygon[0]]) for polygon in polygons), (
                place
            )


def test_demo_champion_account_has_its_own_champion_record():
    from healthgap.web.accounts import demo as accounts_demo

    demo.load(io.StringIO())  # load_demo's order: the directory, then the accounts
    accounts_demo.load(io.StringIO())
    champion = CommunityChampion.objects.get(name=demo.DEMO_CHAMPION_NAME)
    assert champion.user.username == "champion"
    assert champion.user.check_password("demo-champion-pass")
    assert champion.organisation.name == demo.DEMO_CHAMPION_ORGANISATION
