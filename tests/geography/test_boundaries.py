"""Douglas-Peucker, rounding and the GeoJSON boundaries for an area (fixture mirror)."""

from __future__ import annotations

import numpy as np
import pytest

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError
from healthgap.geography import boundaries
from healthgap.geography.boundaries import douglas_peucker, simplify_geometry, simplify_ring


def test_douglas_peucker_drops_points_within_tolerance() -> None:
    # Line (0,0)-(4,0) with points (1, 0.05), (2, 0.5), (3, 0). First pass: the farthest point
    # is (2, 0.5), 0.5 off. Then, against (0,0)-(2,0.5) (length sqrt(2^2 + 0.5^2) = 2.0616),
    # (1, 0.05) is |2*0.05 - 0.5*1| / 2.0616 = 0.194 off; against (2,0.5)-(4,0), (3, 0) is
    # |2*(-0.5) - (-0.5)*1| / 2.0616 = 0.243 off.
    points = np.array([[0, 0], [1, 0.05], [2, 0.5], [3, 0], [4, 0]], dtype=float)
    assert douglas_peucker(points, 0.1).tolist() == [True, True, True, True, True]
    assert douglas_peucker(points, 0.3).tolist() == [True, False, True, False, True]
    assert douglas_peucker(points, 0.6).tolist() == [True, False, False, False, True]


def test_a_collinear_run_collapses_to_its_ends() -> None:
    points = np.column_stack([np.arange(6.0), np.zeros(6)])
    assert douglas_peucker(points, 1e-9).tolist() == [True, False, False, False, False, True]


def test_closed_ring_is_simplified_but_never_below_four_points() -> None:
    # A unit square with an extra point 0.001 off the bottom edge.
    ring = np.array([[0, 0], [0.5, -0.001], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
    assert simplify_ring(ring, 0.01, 6) == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    # A tolerance wider than the square would leave 2 points: the ring is kept whole.
    assert len(simplify_ring(ring, 10.0, 6)) == 6


def test_rounding_drops_repeated_points() -> None:
    ring = np.array([[0, 0], [0.000001, 0], [1, 0], [1, 1], [0, 0]], dtype=float)
    assert simplify_ring(ring, 0, 3) == [[0, 0], [1, 0], [1, 1], [0, 0]]


def test_simplify_geometry_keeps_polygon_and_multipolygon_shapes() -> None:
    square = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    polygon = simplify_geometry({"type": "Polygon", "coordinates": [square]}, 0.01, 5)
    assert polygon == {"type": "Polygon", "coordinates": [square]}
    multi = simplify_geometry({"type": "MultiPolygon", "coordinates": [[square]]}, 0.01, 5)
    assert multi == {"type": "MultiPolygon", "coordinates": [[square]]}
    with pytest.raises(ArgumentError, match="Only Polygon and MultiPolygon"):
        simplify_geometry({"type": "Point", "coordinates": [0, 0]}, 0.01, 5)


def test_boundaries_for_an_icb(config: DataConfig) -> None:
    collection = boundaries("lsoa21", icb="QBB", config=config)
    assert collection["type"] == "FeatureCollection"
    codes = [feature["properties"]["code"] for feature in collection["features"]]
    assert codes == ["E01000006", "E01000007", "E01000008", "E01000009", "E01000010"]
    first = collection["features"][0]
    assert first["properties"] == {"code": "E01000006", "name": "Gamma 001A"}
    # The fixture square for the 6th LSOA starts at x = 5 * 0.02 = 0.1, y = 52.5, side 0.01.
    assert first["geometry"]["coordinates"][0][0][:3] == [[0.1, 52.5], [0.11, 52.5], [0.11, 52.51]]


def test_msoa_boundaries_within_a_region_and_the_cache(config: DataConfig) -> None:
    collection = boundaries("msoa21", region="E12000004", config=config)
    assert [f["properties"]["code"] for f in collection["features"]] == ["E02000004", "E02000005"]
    assert len(list(config.table_cache.glob("boundaries_msoa21_regionE12000004-*.geojson"))) == 1
    assert boundaries("msoa21", region="E12000004", config=config) == collection


def test_boundaries_reject_bad_arguments(config: DataConfig) -> None:
    with pytest.raises(ArgumentError, match="No boundaries for level 'ward24'"):
        boundaries("ward24", config=config)
    with pytest.raises(ArgumentError, match="tolerance must be >= 0"):
        boundaries("lsoa21", tolerance=-1, config=config)
    with pytest.raises(ArgumentError, match="Give exactly one area"):
        boundaries("lsoa21", icb="QBB", lad="E06000001", config=config)
