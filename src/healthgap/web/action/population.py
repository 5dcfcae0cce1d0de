"""People reached against the Census 2021 population of the areas an activity claims (the
sanity limit of docs/action.md "Sanity limits", issue 12).

The areas an activity claims are its programme's target areas (LSOA 2021, MSOA 2021 or local
authority 2024 codes). Their residents are the Census 2021 usual residents of the LSOAs they
hold, each LSOA counted once (an LSOA listed with its own local authority is not counted
twice), in all and in the Census's six age bands. Sources: `healthgap.geography.population2021`
(ONS custom dataset, usual residents by LSOA 2021 and age, cell-key perturbed) and the
LSOA -> MSOA, LAD lookup `healthgap.geography.lookup`.

The rule, per activity (`reach_problems`):

- each age band reached is at most the areas' residents of that band;
- the people reached in one group type are at most the areas' residents of all ages. Ethnic
  groups and age bands do not overlap, so their counts are summed; a person can be in several
  PLUS groups or speak several languages, so for those the largest single count is used.

No check is made when the programme has no target areas, or when one of them is not in the
ONS lookups (its residents are unknown, and a partial sum would refuse honest counts).
Without the open-data mirror the counts cannot be checked and are refused, saying why
(`ReachUncheckable`), as the directory does with area codes it cannot check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from healthgap.errors import DataSourceError
from healthgap.geography import lookup, population2021
from healthgap.geography.census import AGE_BANDS as CENSUS_AGE_BANDS
from healthgap.web.action.vocab import AGE_BANDS, GroupType, group_label, split_group_key

#: The action app's age band -> the Census table's column ("65 and over" -> "age_65_plus").
CENSUS_COLUMN: dict[str, str] = dict(zip(AGE_BANDS, CENSUS_AGE_BANDS.values(), strict=True))
#: Group types whose groups do not overlap (each person is in one): counts add up to people.
DISJOINT_TYPES = (GroupType.ETHNICITY, GroupType.AGE)
#: How many area codes a message lists before "and N more".
LISTED_AREAS = 3


class ReachUncheckable(Exception):
    """The Census population or the area lookups could not be read (the mirror is missing)."""


@dataclass(frozen=True)
class Residents:
    """Census 2021 usual residents of `areas`: `all_ages` and per age band (the action app's
    band names, "0 to 15" ... "65 and over")."""

    areas: tuple[str, ...]
    all_ages: int
    by_age: Mapping[str, int]


def residents(areas: Iterable[str]) -> Residents | None:
    """The residents of `areas` (None when there are none, or one is not in the lookups).

    Raises `ReachUncheckable` when the open-data mirror cannot be read."""
    areas = tuple(dict.fromkeys(areas))
    if not areas:
        return None
    try:
        parents = lookup.area_lookup().parents
        known = lookup.area_lookup().names
        table = population2021()
    except DataSourceError as error:
        raise ReachUncheckable(str(error)) from error
    if any(code not in known for code in areas):
        return None
    wanted = set(areas)
    lsoas = {
        lsoa
        for lsoa, (msoa, lad) in parents.items()
        if lsoa in wanted or msoa in wanted or lad in wanted
    }
    rows = table[table["lsoa21_code"].isin(lsoas)]
    return Residents(
        areas=areas,
        all_ages=int(rows["population"].sum()),
        by_age={band: int(rows[column].sum()) for band, column in CENSUS_COLUMN.items()},
    )


def reach_problems(reach: Mapping[str, int], people: Residents) -> list[str]:
    """Messages for each count in `reach` ({group key: count}) that the residents of
    `people.areas` cannot hold (module docstring); [] when every count is plausible."""
    where = _areas_text(people.areas)
    problems = []
    by_type: dict[str, list[int]] = {}
    for key, count in reach.items():
        group_type, group = split_group_key(key)
        by_type.setdefault(group_type, []).append(count)
        if group_type == GroupType.AGE and count > people.by_age[group]:
            problems.append(
                f"{group_label(key)}: {count:,} people reached is more than the "
                f"{people.by_age[group]:,} residents aged {group} of {where} (Census 2021)."
            )
    for group_type, counts in by_type.items():
        disjoint = group_type in DISJOINT_TYPES
        reached = sum(counts) if disjoint else max(counts)
        if reached > people.all_ages:
            how = "in all" if disjoint else "in one group"
            problems.append(
                f"{GroupType(group_type).label}: {reached:,} people reached {how} is more than "
                f"the {people.all_ages:,} people who live in {where} (Census 2021)."
            )
    if problems:
        problems.append(
            "Check the counts: count the people this one activity reached, or add the areas "
            "they came from to the programme."
        )
    return problems


def _areas_text(areas: tuple[str, ...]) -> str:
    """ "the programme's areas (E01010029 Sandwell 009C, E08000028 Sandwell)"."""
    try:
        names = lookup.area_names(areas)
    except DataSourceError:
        names = {}
    shown = [f"{code} {names[code]}" if code in names else code for code in areas]
    more = len(shown) - LISTED_AREAS
    listed = ", ".join(shown[:LISTED_AREAS]) + (f" and {more} more" if more > 0 else "")
    return f"the programme's areas ({listed})"
