"""SVG maps: projection and paths checked against hand arithmetic."""

from __future__ import annotations

import math

import pytest

from healthgap.reports.maps import Layer, Projection, View, bounds, draw_map, path_data


def square(code: str, west: float, south: float, size: float) -> dict[str, object]:
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_projection_at_latitude_60_halves_longitudes() -> None:
    # View lon 0..1, lat 59.5..60.5; cos(60 deg) = 0.5, so the box is 0.5 wide and 1 high in
    # projected degrees. Drawing 560 x 360 less 10 padding: k = min(540/0.5, 340/1) = 340.
    # Used width 0.5 * 340 = 170, centred: x0 = (560 - 170) / 2 = 195; used height 340, y0 = 10.
    project = Projection(View(0.0, 59.5, 1.0, 60.5))
    assert project.cos_lat == pytest.approx(0.5)
    assert project.k == pytest.approx(340)
    assert project(0.0, 60.5) == pytest.approx((195, 10))
    assert project(1.0, 59.5) == pytest.approx((365, 350))
    assert project(0.5, 60.0) == pytest.approx((280, 180))


def test_path_of_a_square_is_one_closed_subpath() -> None:
    project = Projection(View(0.0, 59.5, 1.0, 60.5))
    d = path_data(square("A", 0.0, 59.5, 1.0)["geometry"], project)  # type: ignore[arg-type]
    assert d == "M195,350L365,350L365,10L195,10L195,350Z"


def test_bounds_widened_and_draw_map_uses_per_code_fills() -> None:
    features = [square("A", 0.0, 59.5, 0.5), square("B", 0.5, 60.0, 0.5)]
    view = bounds(features)
    assert (view.west, view.south, view.east, view.north) == (0.0, 59.5, 1.0, 60.5)
    wide = view.widened(0.1)
    assert (wide.west, wide.north) == (pytest.approx(-0.1), pytest.approx(60.6))
    text = draw_map([Layer(features, fill="#fff", fills={"B": "#3f007d"})], view, label="m")
    assert text.count("<path") == 2 and 'fill="#3f007d"' in text and 'fill="#fff"' in text
    assert "IMD 2025 decile" in text
    assert '<g clip-path="url(#map-frame)">' in text  # shapes beyond the view stay off the legend


def test_bounds_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no coordinates"):
        bounds([])
    assert not math.isnan(Projection(View(0, 0, 0, 0)).k)
