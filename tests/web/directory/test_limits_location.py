"""Issue 12: a message quotes the postcode as typed, and postcode search survives one location
with wrong coordinates."""

from __future__ import annotations

import pytest

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
