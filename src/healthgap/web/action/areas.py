"""Area names and parents for the codes the action app stores, from the one geography lookup
(`healthgap.geography.lookup`, read once per process).

A missing open-data mirror raises `DataSourceError` from every lookup (the geography rule);
only `area_names`, which is for display, turns it into "no names" so pages show the codes.
"""

from __future__ import annotations

from collections.abc import Iterable

from healthgap.errors import DataSourceError
from healthgap.geography import lookup
from healthgap.geography.lookup import containing_areas, lsoa_and_msoa

__all__ = ["area_names", "containing_areas", "lsoa_and_msoa"]


def area_names(codes: Iterable[str]) -> dict[str, str]:
    """Code -> name for the LSOA, MSOA and local authority codes given.

    For display only: codes that are not in the 2024 lookups, or every code when the open-data
    mirror is missing, are left out (pages then show the code itself).
    """
    try:
        return lookup.area_names(codes)
    except DataSourceError:
        return {}
