"""One lookup of England's small-area codes for callers that hold codes, not tables: is a code
known, what is its name, which MSOA and local authority hold an LSOA.

Codes covered: LSOA 2021, MSOA 2021 and local authority district 2024 (the levels the web app
stores), read from `hierarchy()` (the ONS lookups in the open-data mirror, docs/data.md). The
mirror has no postcode lookup, so postcodes are not resolved here.

Missing mirror (one rule for every function here): `DataSourceError`, naming the missing files.
A code is never reported as known, or an LSOA as having no parents, because the lookups could
not be read; and the failure is not remembered, so once the mirror is in place the next call
reads it. A successful read is kept for the life of the process (per `DataConfig`). Callers
that only *display* names may catch the error and show the codes instead.

    >>> from healthgap.geography.lookup import area_name, codes_reaching
    >>> area_name("E01010290")                       # doctest: +SKIP
    'Walsall 006D'
    >>> codes_reaching("E01010290")                  # doctest: +SKIP
    ['E01010290', 'E02002108', 'E08000030']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from healthgap.config import DataConfig
from healthgap.geography.areas import hierarchy

#: The levels looked up: LSOA 2021, MSOA 2021, local authority district 2024.
LOOKUP_LEVELS = ("lsoa21", "msoa21", "lad24")


@dataclass(frozen=True)
class AreaLookup:
    """Every LSOA 2021, MSOA 2021 and LAD 2024 code -> its ONS name, and each LSOA -> the
    (MSOA, LAD) holding it."""

    names: Mapping[str, str]
    parents: Mapping[str, tuple[str, str]]


def area_lookup(config: DataConfig | None = None) -> AreaLookup:
    """The lookup for `config` (default: `DataConfig.from_env()`); DataSourceError when the
    mirror's lookups are missing (module docstring)."""
    return _build(config or DataConfig.from_env())


@functools.cache
def _build(config: DataConfig) -> AreaLookup:
    table = hierarchy(config)
    names: dict[str, str] = {}
    for level in LOOKUP_LEVELS:
        pairs = table[[f"{level}_code", f"{level}_name"]].drop_duplicates()
        names.update(zip(pairs[f"{level}_code"], pairs[f"{level}_name"], strict=True))
    parents = zip(table["msoa21_code"], table["lad24_code"], strict=True)
    return AreaLookup(names, dict(zip(table["lsoa21_code"], parents, strict=True)))


def is_known_area(code: str, config: DataConfig | None = None) -> bool:
    """Whether `code` is an LSOA 2021, MSOA 2021 or LAD 2024 code in the ONS lookups."""
    return code in area_lookup(config).names


def area_name(code: str, config: DataConfig | None = None) -> str | None:
    """The ONS name of `code` ("Walsall 006D"), or None when it is not in the lookups."""
    return area_lookup(config).names.get(code)


def area_names(codes: Iterable[str], config: DataConfig | None = None) -> dict[str, str]:
    """Code -> name for the codes given that are in the lookups (unknown codes left out)."""
    names = area_lookup(config).names
    return {code: names[code] for code in codes if code in names}


def codes_reaching(lsoa21: str, config: DataConfig | None = None) -> list[str]:
    """The codes whose coverage includes LSOA `lsoa21`: itself, its MSOA and its LAD (just
    itself when it is not in the lookups)."""
    return [lsoa21, *area_lookup(config).parents.get(lsoa21, ())]


def containing_areas(lsoa_codes: Iterable[str], config: DataConfig | None = None) -> set[str]:
    """The LSOAs given plus the MSOAs and LADs that hold them (unknown LSOAs add no parents)."""
    parents = area_lookup(config).parents
    lsoas = set(lsoa_codes)
    return lsoas.union(*(parents[code] for code in lsoas if code in parents))


def lsoa_and_msoa(lsoa_codes: Iterable[str], config: DataConfig | None = None) -> set[str]:
    """The LSOAs given plus the MSOAs that hold them."""
    parents = area_lookup(config).parents
    lsoas = set(lsoa_codes)
    return lsoas | {parents[code][0] for code in lsoas if code in parents}
