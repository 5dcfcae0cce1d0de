"""Issue 12: a message quotes the postcode as typed, and postcode search survives one location
with wrong coordinates."""

from __future__ import annotations

import re

import pytest

from healthgap.errors import DataSourceError
from healthgap.geography import lookup
from healthgap.web.directory.forms import LocationForm
from healthgap.web.oruk.geocode import Place, locate
from tests.web.directory.factories import make_location

pytestmark = pytest.mark.django_db


def _form(postcode: str) -> LocationForm:
    data = {"name": "Hall", "location_type": "physical", "postcode": postcode}
    return LocationForm(data=data)


def test_a_bad_postcode_is_quoted_as_typed():
    form = _form("NOTAPOSTCODE")
    assert not form.is_valid()
    assert form.errors["postcode"] == ["NOTAPOSTCODE is not a UK postcode."]


def test_a_good_postcode_is_still_put_in_normal_form():
    form = _form(" ws11tp ")
    form.is_valid()
    assert "postcode" not in form.errors
    assert form.cleaned_data["postcode"] == "WS1 1TP"


def test_one_location_with_london_coordinates_does_not_move_its_district():
    # Three Walsall locations and one with a Walsall postcode at Charing Cross (51.5081,
    # -0.1248). Median latitude of 52.58, 52.59, 52.60, 51.5081 is (52.58 + 52.59) / 2 =
    # 52.585; median longitude of -1.98, -1.97, -1.99, -0.1248 is (-1.98 + -1.97) / 2 = -1.975.
    # (The mean would be 52.32, -1.52: about 40 km away, in Warwickshire.)
    for lat, lon in [(52.58, -1.98), (52.59, -1.97), (52.60, -1.99), (51.5081, -0.1248)]:
        make_location(postcode="WS1 1TP", latitude=lat, longitude=lon)
    assert locate("WS1") == Place(pytest.approx(52.585), pytest.approx(-1.975), "district", 4)


def test_an_invalid_area_code_in_the_filter_says_so_not_0_organisations(client):
    page = client.get("/directory/", {"area": "E0NOTACODE"}).content.decode()
    assert "E0NOTACODE is not a valid area code." in page
    assert "0 organisations" not in page


def test_a_valid_area_code_still_filters(client):
    page = client.get("/directory/", {"area": "E08000030"}).content.decode()  # Walsall
    assert "is not a valid area code" not in page
    assert "0 organisations" in page


@pytest.fixture
def mirror():
    try:
        lookup.area_lookup()
    except DataSourceError as error:
        pytest.skip(f"needs the open-data mirror (HEALTHGAP_DATA_DIR or ../shared/data): {error}")


# Palfrey Community Centre, Walsall (52.5745, -1.987) is in E01010343 (the demo's location);
# Charing Cross, London (51.5081, -0.1248) lies south-east of that LSOA's box (about 52.57 N,
# 1.98 W at its south-east corner): 1.06 degrees of latitude (about 118 km) and 1.86 degrees
# of longitude (x cos 51.5 deg = 1.16 degrees, about 129 km), so about 175 km away.
def _located(lat: str, lon: str) -> LocationForm:
    data = {"name": "Hall", "location_type": "physical", "postcode": "WS1 4LA",
            "latitude": lat, "longitude": lon, "lsoa21": "E01010343"}  # fmt: skip
    return LocationForm(data=data)


def test_coordinates_in_the_lsoa_are_accepted(mirror):
    form = _located("52.5745", "-1.987")
    form.is_valid()
    assert "latitude" not in form.errors


def test_london_coordinates_for_a_walsall_lsoa_are_refused(mirror):
    form = _located("51.5081", "-0.1248")
    assert not form.is_valid()
    (message,) = form.errors["latitude"]
    assert re.match(r"The point 51.5081, -0.1248 is about 17\d km from E01010343", message)
    assert "Check the latitude and longitude" in message
