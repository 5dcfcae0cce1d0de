"""Areas and reference data: the LSOA -> MSOA -> LAD -> sub-ICB -> ICB -> region hierarchy,
IMD 2025/2019 and Core20, Census population, boundaries, ONS code validation, and the registry
of official sources with the local mirror and download cache (docs/data.md). Fetching from the
publishers themselves, with a lock file of what was fetched: `healthgap.geography.official`.

    >>> from healthgap.geography import lsoas_in, area_table
    >>> len(lsoas_in(icb="E54000062"))  # doctest: +SKIP
    723
"""

from __future__ import annotations

from healthgap.config import DataConfig
from healthgap.geography.areas import (
    LEVELS,
    area_table,
    hierarchy,
    lsoa11_lsoa21,
    lsoas_in,
    to_lsoa21,
)
from healthgap.geography.boundaries import boundaries
from healthgap.geography.census import population2021
from healthgap.geography.codes import invalid_codes, is_code, validate_code, validate_codes
from healthgap.geography.deprivation import (
    core20_from_rank,
    imd2019,
    imd2025,
    quintile_from_decile,
)
from healthgap.geography.ethnicity import ethnicity2011
from healthgap.geography.sources import SOURCES, Source, get_source

__all__ = [
    "LEVELS",
    "SOURCES",
    "DataConfig",
    "Source",
    "area_table",
    "boundaries",
    "core20_from_rank",
    "ethnicity2011",
    "get_source",
    "hierarchy",
    "imd2019",
    "imd2025",
    "invalid_codes",
    "is_code",
    "lsoa11_lsoa21",
    "lsoas_in",
    "population2021",
    "quintile_from_decile",
    "to_lsoa21",
    "validate_code",
    "validate_codes",
]
