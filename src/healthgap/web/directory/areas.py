"""Area codes the directory records: coverage areas (LSOA 2021, MSOA 2021, LAD 2024) and
neighbourhoods of champions (LSOA, MSOA), checked against the ONS lookups in
`healthgap.geography`.

A code must be well formed (E01/E02/E06–E09 followed by 6 digits) and, when the open-data
mirror is available, exist in the 2021/2024 lookups. Without the mirror (a bare install) only
the form is checked: healthgap never invents area codes, but it cannot look them up either.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from healthgap.errors import DataSourceError
from healthgap.geography import hierarchy, is_code

logger = logging.getLogger(__name__)

#: Coverage levels: level key -> (code kind in healthgap.geography.codes, label).
LEVELS = {"lsoa": "LSOA (2021)", "msoa": "MSOA (2021)", "lad": "local authority (2024)"}
_COLUMNS = {"lsoa": "lsoa21", "msoa": "msoa21", "lad": "lad24"}


def level_of(code: str) -> str | None:
    """ "lsoa", "msoa" or "lad" for a well-formed code of that kind, else None."""
    return next((level for level in LEVELS if is_code(code, level)), None)


@functools.cache
def _names() -> dict[str, str] | None:
    """Every LSOA, MSOA and LAD code -> name, or None when the mirror is missing."""
    try:
        table = hierarchy()
    except DataSourceError as error:  # a bare install without the open-data mirror
        logger.warning("Area codes are checked for form only: %s", error)
        return None
    names: dict[str, str] = {}
    for column in _COLUMNS.values():
        pairs = table[[f"{column}_code", f"{column}_name"]].drop_duplicates()
        names.update(zip(pairs[f"{column}_code"], pairs[f"{column}_name"], strict=True))
    return names


def area_name(code: str) -> str:
    """The ONS name of an area code ("Walsall 020A"), or "" when unknown."""
    return (_names() or {}).get(code, "")


def validate_area_code(code: str, levels: Iterable[str] = tuple(LEVELS)) -> str:
    """`code` normalised (upper case, trimmed) if it is a known code of one of `levels`,
    else ValidationError saying why."""
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
    names = _names()
    if names is not None and normalised not in names:
        raise ValidationError(
            f"{normalised} is not in the ONS lookups ({LEVELS[level]}).", code="area_unknown"
        )
    return normalised


@functools.cache
def _parents() -> dict[str, tuple[str, str]]:
    table = hierarchy()
    return dict(
        zip(
            table["lsoa21_code"],
            zip(table["msoa21_code"], table["lad24_code"], strict=True),
            strict=True,
        )
    )


def codes_reaching(lsoa21: str) -> list[str]:
    """The codes whose coverage includes LSOA `lsoa21`: itself, its MSOA and its LAD."""
    try:
        msoa, lad = _parents().get(lsoa21, ("", ""))
    except DataSourceError:
        msoa, lad = "", ""
    return [code for code in (lsoa21, msoa, lad) if code]
