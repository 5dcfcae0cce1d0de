"""Area names and parents for the codes the action app stores, from `healthgap.geography`.

The hierarchy is read once per process (it is a cached Parquet table of England's 33,755 LSOAs).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from healthgap.errors import DataSourceError
from healthgap.geography import hierarchy

_LEVELS = ("lsoa21", "msoa21", "lad24")


@functools.cache
def _table() -> dict[str, dict[str, str]]:
    table = hierarchy()
    names: dict[str, str] = {}
    for level in _LEVELS:
        names.update(zip(table[f"{level}_code"], table[f"{level}_name"], strict=True))
    return {
        "names": names,
        "msoa": dict(zip(table["lsoa21_code"], table["msoa21_code"], strict=True)),
        "lad": dict(zip(table["lsoa21_code"], table["lad24_code"], strict=True)),
    }


def area_names(codes: Iterable[str]) -> dict[str, str]:
    """Code -> name for the LSOA, MSOA and local authority codes given.

    For display only: codes that are not in the 2024 lookups, or every code when the open-data
    mirror is missing, are left out (pages then show the code itself).
    """
    try:
        names = _table()["names"]
    except DataSourceError:
        return {}
    return {code: names[code] for code in codes if code in names}


def containing_areas(lsoa_codes: Iterable[str]) -> set[str]:
    """The LSOAs given plus the MSOAs and local authorities (2024) that contain them.

    Raises `DataSourceError` when the open-data mirror is missing.
    """
    table = _table()
    lsoas = set(lsoa_codes)
    parents = {table[level].get(code) for level in ("msoa", "lad") for code in lsoas}
    return lsoas | (parents - {None})


def lsoa_and_msoa(lsoa_codes: Iterable[str]) -> set[str]:
    """The LSOAs given plus their MSOAs (the neighbourhoods an insight can name)."""
    table = _table()
    lsoas = set(lsoa_codes)
    return lsoas | ({table["msoa"].get(code) for code in lsoas} - {None})
