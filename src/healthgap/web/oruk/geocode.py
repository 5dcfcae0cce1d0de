"""Where a postcode is, from the directory's own locations (healthgap uses no geocoder).

`/oruk/service_at_locations?postcode=...&proximity=...` measures distances from the postcode's
position, which is the median latitude and median longitude of the directory's locations that
have that postcode; failing that, of those in its postcode sector ("WS1 1"), then its district
("WS1"). The median, not the mean: one location with wrong coordinates (a Walsall postcode with
London coordinates) cannot move a district of three or more locations (issue 12).
So it is approximate (a sector's locations may cluster on one side of it) and only works for
postcodes near places already in the directory; anywhere else the API says it cannot place
the postcode. Distances are great-circle (haversine) distances in metres on a sphere of radius
6,371,008.8 m (the IUGG mean Earth radius), accurate to about 0.5% against the ellipsoid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from healthgap.web.directory.models import Location
from healthgap.web.directory.models.location import normalise_postcode

EARTH_RADIUS_M = 6_371_008.8
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    precision: str  # "postcode", "sector" or "district"
    locations: int  # how many locations the position is the median of


def locate(postcode: str) -> Place | None:
    """The position of `postcode` (a full postcode, or an outward code such as "WS1")."""
    value = normalise_postcode(postcode)
    compact = value.replace(" ", "")
    if _OUTWARD.match(compact):
        candidates = [("district", {"postcode__startswith": f"{compact} "})]
    else:
        outward, inward = value.rsplit(" ", 1) if " " in value else (value, "")
        candidates = [
            ("postcode", {"postcode": value}),
            ("sector", {"postcode__startswith": f"{outward} {inward[:1]}"}),
            ("district", {"postcode__startswith": f"{outward} "}),
        ]
    for precision, lookup in candidates:
        points = list(
            Location.objects.filter(latitude__isnull=False, **lookup).values_list(
                "latitude", "longitude"
            )
        )
        if points:
            middle = np.median(np.asarray(points, dtype=float), axis=0)
            return Place(float(middle[0]), float(middle[1]), precision, len(points))
    return None


def distances_m(place: Place, latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """Haversine distances in metres from `place` to each point (degrees)."""
    lat1, lon1 = np.radians(place.latitude), np.radians(place.longitude)
    lat2, lon2 = np.radians(latitudes), np.radians(longitudes)
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def bounding_box(place: Place, radius_m: float) -> dict[str, float]:
    """Latitude/longitude limits containing every point within `radius_m` of `place`."""
    angle = radius_m / EARTH_RADIUS_M
    dlat = np.degrees(angle)
    # The widest point of a spherical cap: sin(dlon) = sin(angle) / cos(latitude).
    ratio = np.sin(min(angle, np.pi / 2)) / max(np.cos(np.radians(place.latitude)), 1e-12)
    dlon = float(np.degrees(np.arcsin(ratio))) if ratio < 1 else 180.0
    return {
        "latitude__gte": place.latitude - dlat,
        "latitude__lte": place.latitude + dlat,
        "longitude__gte": place.longitude - dlon,
        "longitude__lte": place.longitude + dlon,
    }
