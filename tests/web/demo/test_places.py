"""The demo directory: real Black Country areas, places inside their LSOAs, the champion's own
account (needs the open-data mirror for the area lookups and LSOA boundaries)."""

from __future__ import annotations

import pytest

from healthgap.geography import boundaries, hierarchy
from healthgap.web.demo.data import load_data
from healthgap.web.demo.runner import ACTOR
from healthgap.web.demo.steps import accounts, directory
from healthgap.web.directory.models import CommunityChampion, CoverageArea, Location, Organisation

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


def test_the_directory_step_uses_real_black_country_areas():
    directory.load(load_data(), ACTOR)
    areas = hierarchy().query("icb24_code == @BLACK_COUNTRY")
    known = set(areas["lsoa21_code"]) | set(areas["msoa21_code"]) | set(areas["lad24_code"])
    used = set(CoverageArea.objects.values_list("code", flat=True))
    used |= {o.lsoa21 for o in Organisation.objects.exclude(lsoa21="")}
    used |= {loc.lsoa21 for loc in Location.objects.all()}
    assert used <= known
    # Dudley, Sandwell, Walsall, Wolverhampton: the four local authorities of the ICB.
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
    for place in load_data().locations:
        polygons = _polygons(shapes[place.lsoa21])
        point = (place.longitude, place.latitude)
        assert any(_inside(point, [tuple(p) for p in polygon[0]]) for polygon in polygons), place


def test_demo_champion_account_has_its_own_champion_record():
    data = load_data()
    directory.load(data, ACTOR)  # the runner's order: the directory, then the accounts
    accounts.load(data, ACTOR)
    champion = CommunityChampion.objects.get(name="Amina Hussain")
    assert champion.user.username == "champion"
    assert champion.user.check_password("demo-champion-pass")
    assert champion.organisation.name == "Al-Noor Mosque Health Circle"
