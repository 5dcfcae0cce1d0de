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

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from healthgap.errors import DataSourceError
from healthgap.geography import is_code, lookup

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
