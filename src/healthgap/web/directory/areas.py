"""Area codes the directory records: coverage areas (LSOA 2021, MSOA 2021, LAD 2024) and
neighbourhoods of champions (LSOA, MSOA), checked with the one geography lookup
(`healthgap.geography.lookup`).

A code must be well formed (E01/E02/E06–E09 followed by 6 digits) and exist in the 2021/2024
ONS lookups. Without the open-data mirror a code cannot be checked, so it is refused with a
message saying why (it is never taken as valid); once the mirror is in place the next check
reads it. Names are for display: without the mirror pages show the codes. A search by LSOA
without the mirror matches only coverage of that LSOA itself (a warning is logged).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from healthgap.errors import DataSourceError
from healthgap.geography import is_code, lookup
from healthgap.geography.boundaries import boundaries

logger = logging.getLogger(__name__)

#: Coverage levels: level key -> label.
LEVELS = {"lsoa": "LSOA (2021)", "msoa": "MSOA (2021)", "lad": "local authority (2024)"}


def level_of(code: str) -> str | None:
    """ "lsoa", "msoa" or "lad" for a well-formed code of that kind, else None."""
    return next((level for level in LEVELS if is_code(code, level)), None)


def area_name(code: str) -> str:
    """The ONS name of an area code ("Walsall 020A"), or "" when unknown or when the mirror is
    missing (display only)."""
    try:
        return lookup.area_name(code) or ""
    except DataSourceError:
        return ""


def validate_area_code(code: str, levels: Iterable[str] = tuple(LEVELS)) -> str:
    """`code` normalised (upper case, trimmed) if it is a known code of one of `levels`,
    else ValidationError saying why (also when the lookups cannot be read)."""
    levels = tuple(levels)
    normalised = code.strip().upper()
    level = level_of(normalised)
    if level not in levels:
        expected = ", ".join(LEVELS[lv] for lv in levels)
        raise ValidationError(
            f"{code!r} is not a 2021 LSOA/MSOA or 2024 local authority code of the kinds "
            f"allowed here ({expected}).",
            code="area_kind",
        )
    try:
        known = lookup.is_known_area(normalised)
    except DataSourceError as error:
        raise ValidationError(
            f"{normalised} cannot be checked against the ONS lookups: {error}",
            code="area_unchecked",
        ) from error
    if not known:
        raise ValidationError(
            f"{normalised} is not in the ONS lookups ({LEVELS[level]}).", code="area_unknown"
        )
    return normalised


def codes_reaching(lsoa21: str) -> list[str]:
    """The codes whose coverage includes LSOA `lsoa21`: itself, its MSOA and its LAD."""
    try:
        return lookup.codes_reaching(lsoa21)
    except DataSourceError as error:
        logger.warning("Searching coverage of %s alone: %s", lsoa21, error)
        return [lsoa21]


#: How far (metres) a location may lie outside its LSOA's bounding box: the boundaries are
#: generalised (200 m) and a venue's pin may sit on the road outside.
NEAR_LSOA_M = 1_000
#: Metres per degree of latitude on the IUGG mean sphere (R = 6,371,008.8 m): 111,195 m.
M_PER_DEGREE = 6_371_008.8 * math.pi / 180


@functools.lru_cache(maxsize=256)
def lsoa_box(code: str) -> tuple[float, float, float, float] | None:
    """(min longitude, min latitude, max longitude, max latitude) of LSOA `code`'s generalised
    boundary (ONS BSC, WGS84), or None for a code the lookups do not know. Raises
    DataSourceError without the mirror."""
    parents = lookup.area_lookup().parents.get(code)
    if parents is None:
        return None
    for feature in boundaries("lsoa21", lad=parents[1])["features"]:
        if feature["properties"]["code"] == code:
            points = _points(feature["geometry"]["coordinates"])
            lons, lats = [p[0] for p in points], [p[1] for p in points]
            return min(lons), min(lats), max(lons), max(lats)
    return None


def _points(coordinates: list) -> list[list[float]]:
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates]
    return [point for part in coordinates for point in _points(part)]


def metres_outside_lsoa(code: str, latitude: float, longitude: float) -> float | None:
    """How far (m) the point is outside LSOA `code`'s bounding box (0 inside it), with the
    equirectangular approximation (east-west degrees scaled by cos latitude; under 1% error
    at these distances); None when the LSOA's boundary is not known."""
    box = lsoa_box(code)
    if box is None:
        return None
    west, south, east, north = box
    dlat = max(south - latitude, 0.0, latitude - north)
    dlon = max(west - longitude, 0.0, longitude - east)
    return math.hypot(dlat, dlon * math.cos(math.radians(latitude))) * M_PER_DEGREE


def validate_point_in_lsoa(code: str, latitude: float, longitude: float) -> None:
    """ValidationError when the point lies more than `NEAR_LSOA_M` outside LSOA `code`."""
    try:
        away = metres_outside_lsoa(code, latitude, longitude)
    except DataSourceError as error:
        raise ValidationError(
            f"The coordinates cannot be checked against {code}'s boundary: {error}",
            code="point_unchecked",
        ) from error
    if away is not None and away > NEAR_LSOA_M:
        raise ValidationError(
            f"The point {latitude}, {longitude} is about {away / 1000:,.0f} km from "
            f"{code} ({area_name(code) or 'the LSOA given'}). Check the latitude and longitude "
            "(or the LSOA): they must be the place itself, in or next to its LSOA.",
            code="point_outside_lsoa",
        )
