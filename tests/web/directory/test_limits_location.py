"""Issue 12: a message quotes the postcode as typed, postcode search survives one location
with wrong coordinates, and a location's point must lie in (or within 1 km of) its LSOA however
it is written: the form, the directory actions (model level) and the ORUK import."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from healthgap.errors import DataSourceError
from healthgap.geography import lookup
from healthgap.web.directory import actions
from healthgap.web.directory import areas as directory_areas
from healthgap.web.directory.forms import LocationForm
from healthgap.web.directory.models import Location
from healthgap.web.oruk.actions import import_directory
from healthgap.web.oruk.exchange import read_upload
from healthgap.web.oruk.geocode import Place, locate
from tests.web.directory.factories import make_location
from tests.web.factories import TEST_JOB, make_organisation

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


# --- one rule for every way a location is written (the model's clean) --------------------------
PALFREY = ("52.5745", "-1.987")  # in E01010343
CHARING_CROSS = ("51.5081", "-0.1248")  # about 175 km from it (worked out above)


def _placed(lat: str, lon: str, **fields) -> Location:
    return make_location(
        name="Palfrey Community Centre",
        postcode="WS1 4LA",
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        lsoa21="E01010343",
        **fields,
    )


def test_the_create_location_action_refuses_a_point_outside_its_lsoa(mirror):
    organisation = make_organisation()
    with pytest.raises(ValidationError) as refused:
        actions.create_location(
            by=TEST_JOB,
            organisation=organisation,
            name="Hall",
            postcode="WS1 4LA",
            latitude=Decimal(CHARING_CROSS[0]),
            longitude=Decimal(CHARING_CROSS[1]),
            lsoa21="E01010343",
        )
    (message,) = refused.value.message_dict["latitude"]
    assert re.match(r"The point 51.5081, -0.1248 is about 17\d km from E01010343", message)
    assert not Location.objects.exists()
    inside = actions.create_location(
        by=TEST_JOB,
        organisation=organisation,
        name="Hall",
        latitude=Decimal(PALFREY[0]),
        longitude=Decimal(PALFREY[1]),
        lsoa21="E01010343",
    )
    assert inside.pk is not None


def test_moving_a_saved_location_to_london_is_refused(mirror):
    location = _placed(*PALFREY)
    with pytest.raises(ValidationError, match=r"51.5081, -0.1248 is about 17\d km from E01010343"):
        actions.update_location(
            by=TEST_JOB,
            location=location,
            latitude=Decimal(CHARING_CROSS[0]),
            longitude=Decimal(CHARING_CROSS[1]),
        )
    location.refresh_from_db()
    assert str(location.latitude) == "52.574500"


def test_an_unchanged_point_is_not_checked_again(monkeypatch):
    # A point saved before the rule existed (or while the boundaries were readable) does not
    # stop someone renaming the place when the boundaries cannot be read.
    location = _placed(*CHARING_CROSS)

    def unreadable(code):
        raise DataSourceError("the open-data mirror is missing")

    monkeypatch.setattr(directory_areas, "lsoa_box", unreadable)
    actions.update_location(by=TEST_JOB, location=location, name="Renamed")
    with pytest.raises(ValidationError, match="cannot be checked against E01010343's boundary"):
        actions.update_location(by=TEST_JOB, location=location, latitude=Decimal("52.58"))


def _oruk_location(location: Location, lat: float, lon: float) -> dict:
    return {
        "locations": [
            {
                "id": str(location.uuid),
                "location_type": "physical",
                "name": location.name,
                "latitude": lat,
                "longitude": lon,
            }
        ]
    }


def test_an_oruk_import_moving_a_location_out_of_its_lsoa_is_refused_whole(mirror):
    location = _placed(*PALFREY)
    report = _import(_oruk_location(location, 51.5081, -0.1248))
    assert not report.loaded
    ((field, value, rule),) = [(p.field, p.value, p.rule) for p in report.errors]
    assert (field, value) == ("latitude", "51.5081")
    assert re.match(r"The point 51.5081, -0.1248 is about 17\d km from E01010343", rule)
    location.refresh_from_db()
    assert str(location.latitude) == "52.574500"


def test_an_oruk_import_keeping_the_point_in_its_lsoa_loads(mirror):
    location = _placed(*PALFREY)
    report = _import(_oruk_location(location, 52.5746, -1.9871))  # about 13 m north-west
    assert report.loaded, report.errors
    location.refresh_from_db()
    assert (str(location.latitude), location.lsoa21) == ("52.574600", "E01010343")


def _import(document: dict):
    content = json.dumps(document).encode()
    return import_directory(by=TEST_JOB, bundle=read_upload("f.json", content), source="f.json")
