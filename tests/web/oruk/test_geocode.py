"""Placing postcodes from the directory's own locations, and great-circle distances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from healthgap.web.oruk.geocode import Place, bounding_box, distances_m, locate
from tests.web.directory.factories import make_location


def test_one_degree_of_latitude_is_a_ninetieth_of_a_quarter_meridian():
    place = Place(0.0, 0.0, "postcode", 1)
    expected = 6_371_008.8 * math.pi / 180  # 111,195.08 m on the mean sphere
    got = distances_m(place, np.array([1.0, 0.0]), np.array([0.0, 0.0]))
    assert got == pytest.approx([expected, 0.0], abs=1e-6)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_latitude_for_short_hops():
    place = Place(60.0, 0.0, "postcode", 1)
    # 0.001 degree of longitude at 60 N: R * cos(60) * 0.001 * pi / 180 = 55.5975 m
    expected = 6_371_008.8 * 0.5 * 0.001 * math.pi / 180
    assert distances_m(place, np.array([60.0]), np.array([0.001]))[0] == pytest.approx(
        expected, rel=1e-6
    )


def test_the_bounding_box_contains_the_circle():
    place = Place(52.5, -2.0, "postcode", 1)
    box = bounding_box(place, 1_000)
    north = distances_m(place, np.array([box["latitude__lte"]]), np.array([-2.0]))[0]
    east = distances_m(place, np.array([52.5]), np.array([box["longitude__lte"]]))[0]
    assert north == pytest.approx(1_000, rel=1e-9) and east >= 1_000


@pytest.mark.django_db
def test_locate_uses_postcode_then_sector_then_district():
    make_location(postcode="WS1 1TP", latitude=52.0, longitude=-2.0)
    make_location(postcode="WS1 1TQ", latitude=52.2, longitude=-2.2)
    make_location(postcode="WS1 4LA", latitude=52.4, longitude=-2.4)
    make_location(postcode="WS10 1AA", latitude=10.0, longitude=10.0)  # another district
    make_location(postcode="WS1 1TP")  # no coordinates: not used
    assert locate("ws1 1tp") == Place(52.0, -2.0, "postcode", 1)
    assert locate("WS1 1ZZ") == Place(pytest.approx(52.1), pytest.approx(-2.1), "sector", 2)
    assert locate("WS1 9ZZ") == Place(pytest.approx(52.2), pytest.approx(-2.2), "district", 3)
    assert locate("WS1") == Place(pytest.approx(52.2), pytest.approx(-2.2), "district", 3)
    assert locate("B70 6PP") is None
