"""Who can reach a priority, who works in a neighbourhood, and the cold spots: the directory
fetch for `healthgap.brokering`, whose rule (reach, score, local presence) is in
docs/brokering.md.

The web keeps only the ORM side: it builds `healthgap.brokering.Partner` records from active
organisations and champions who have not withdrawn consent, calls the pure module and pairs
each `Match` with its directory object for the pages' links.

Cold spots: priority neighbourhoods with no organisation or champion covering the neighbourhood
itself or its MSOA (local-authority-wide coverage does not count as local presence) and no
accepted or active introduction, found with `healthgap.priorities.cold_spots`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Q

from healthgap import brokering
from healthgap.brokering import Language, Match, Partner, Reach
from healthgap.population.ethnicity import CENSUS_2021_GROUPS, HIGH_LEVEL_2021_LABELS
from healthgap.priorities import cold_spots as find_cold_spots
from healthgap.web.directory.models import (
    Community,
    CommunityChampion,
    CommunityKind,
    CoverageArea,
    Organisation,
)
from healthgap.web.need.figures import hidden_for
from healthgap.web.need.models import (
    LIVE_STATUSES,
    NEIGHBOURHOODS,
    Area,
    AreaType,
    Introduction,
    Priority,
)

_GROUP_KINDS = (CommunityKind.ETHNIC_GROUP, CommunityKind.PLUS_GROUP)


@dataclass(frozen=True)
class Candidate:
    """An organisation or champion that can reach a priority: its directory object (for links)
    and its `healthgap.brokering.Match` (score parts and reasons)."""

    partner: Any
    match: Match

    @property
    def kind(self) -> str:
        return self.match.partner.kind

    @property
    def name(self) -> str:
        return self.match.partner.name

    @property
    def key(self) -> str:
        """ "organisation:<pk>" or "champion:<pk>" (the introduction form's value)."""
        return self.match.partner.key

    @property
    def coverage(self) -> int:
        return self.match.coverage

    @property
    def communities(self) -> int:
        return self.match.communities

    @property
    def languages(self) -> int:
        return self.match.languages

    @property
    def capacity(self) -> int:
        return self.match.capacity

    @property
    def score(self) -> int:
        return self.match.score

    @property
    def reasons(self) -> list[str]:
        return list(self.match.reasons)


def reach(area: Area) -> Reach:
    """Coverage codes that reach `area` and their scores (`healthgap.brokering.reach`)."""
    lsoas = area.children.values_list("code", flat=True) if area.area_type == AreaType.MSOA else ()
    ancestors = [(parent.code, parent.area_type) for parent in area.ancestors()]
    return brokering.reach(area.code, area.area_type, lsoas=lsoas, ancestors=ancestors)


def partners_reaching(area: Area) -> list[Candidate]:
    """Active organisations and champions whose coverage reaches `area`, best coverage first
    (the profile's "active partners"); scored on coverage only."""
    area_reach = reach(area)
    found = _partners(area_reach)
    return _paired(brokering.reaching(found, area_reach), found)


def candidates(priority: Priority, *, languages: Iterable[str] | None = None) -> list[Candidate]:
    """Organisations and champions that can reach `priority`, highest score first.

    `languages`: Community codes of the languages wanted; None for the default (the languages
    of champions working in the neighbourhood).
    """
    area_reach = reach(priority.area)
    found = _partners(area_reach)
    wanted = brokering.default_languages(found, area_reach) if languages is None else languages
    groups = brokering.group_labels(
        priority.category_type, priority.category, CENSUS_2021_GROUPS, HIGH_LEVEL_2021_LABELS
    )
    matches = brokering.candidates(found, area_reach, groups=groups, languages=set(wanted))
    return _paired(matches, found)


def default_languages(area_reach: Reach) -> list[str]:
    """Codes of the languages spoken by champions working in the neighbourhood (or its MSOA)."""
    return brokering.default_languages(_partners(area_reach, organisations=False), area_reach)


def matching_groups(category_type: str, category: str) -> set[int]:
    """Ids of the directory communities that serve a results group (empty for everyone), by
    `healthgap.brokering.group_labels`."""
    labels = brokering.group_labels(
        category_type, category, CENSUS_2021_GROUPS, HIGH_LEVEL_2021_LABELS
    )
    if not labels:
        return set()
    return set(
        Community.objects.filter(kind__in=_GROUP_KINDS, label__in=labels).values_list(
            "pk", flat=True
        )
    )


def _partners(area_reach: Reach, *, organisations: bool = True) -> dict[Partner, Any]:
    """Partner record -> directory object, for the active partners whose coverage (or, for an
    organisation, its LSOA) is one of the codes reaching the area; organisations first."""
    codes = list(area_reach.scores)
    found: dict[Partner, Any] = {}
    if organisations:
        for organisation in (
            Organisation.objects.filter(active=True)
            .filter(Q(coverage_areas__code__in=codes) | Q(lsoa21__in=area_reach.lsoas))
            .distinct()
            .prefetch_related("coverage_areas", "communities")
        ):
            found[_organisation_record(organisation)] = organisation
    for champion in (
        CommunityChampion.objects.filter(withdrawn_at__isnull=True, neighbourhoods__code__in=codes)
        .distinct()
        .select_related("organisation")
        .prefetch_related("neighbourhoods", "communities", "languages")
    ):
        found[_champion_record(champion)] = champion
    return found


def _organisation_record(organisation: Organisation) -> Partner:
    communities = list(organisation.communities.all())
    return Partner(
        kind=brokering.ORGANISATION,
        id=organisation.pk,
        name=str(organisation),
        coverage=frozenset(c.code for c in organisation.coverage_areas.all()),
        based_in=organisation.lsoa21 or "",
        communities=tuple(c.label for c in communities if c.kind in _GROUP_KINDS),
        languages=tuple(
            Language(c.code, c.label) for c in communities if c.kind == CommunityKind.LANGUAGE
        ),
        capacity_sessions_per_month=organisation.capacity_sessions_per_month,
        capacity_people_per_month=organisation.capacity_people_per_month,
    )


def _champion_record(champion: CommunityChampion) -> Partner:
    return Partner(
        kind=brokering.CHAMPION,
        id=champion.pk,
        name=str(champion),
        coverage=frozenset(c.code for c in champion.neighbourhoods.all()),
        communities=tuple(c.label for c in champion.communities.all() if c.kind in _GROUP_KINDS),
        languages=tuple(Language(c.code, c.label) for c in champion.languages.all()),
    )


def _paired(matches: list[Match], found: dict[Partner, Any]) -> list[Candidate]:
    return [Candidate(found[m.partner], m) for m in matches]


# --- cold spots ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ColdSpot:
    area: Area
    best: Priority
    priority_rows: int
    explanation: str


def covered_neighbourhoods(areas: Iterable[Area]) -> set[str]:
    """Codes of the neighbourhoods in `areas` with a local partner or a live introduction
    (`healthgap.brokering.has_local_presence`)."""
    local = set(
        CoverageArea.objects.filter(
            Q(organisation__active=True) | Q(champion__withdrawn_at__isnull=True)
        ).values_list("code", flat=True)
    )
    local |= set(
        Organisation.objects.filter(active=True).exclude(lsoa21="").values_list("lsoa21", flat=True)
    )
    local |= set(
        Introduction.objects.filter(status__in=LIVE_STATUSES).values_list("area_code", flat=True)
    )
    areas = list(areas)
    msoas = [a.code for a in areas if a.area_type == AreaType.MSOA]
    children: dict[str, set[str]] = defaultdict(set)
    for code, parent in Area.objects.filter(parent_id__in=msoas).values_list("code", "parent_id"):
        children[parent].add(code)
    covered = set()
    for area in areas:
        msoa = area.area_type == AreaType.LSOA and area.parent_id
        area_reach = brokering.reach(
            area.code,
            area.area_type,
            lsoas=children[area.code],
            ancestors=[(area.parent_id, AreaType.MSOA)] if msoa else [],
        )
        if brokering.has_local_presence(area_reach, local):
            covered.add(area.code)
    return covered


def cold_spots(user: Any) -> list[ColdSpot]:
    """Priority neighbourhoods (LSOAs and MSOAs) with no active local partner, best-ranked
    first. The explanation of the area's top priority is withheld from non-analysts when its
    counts are 1 to 7."""
    rows = list(
        Priority.objects.filter(area__area_type__in=NEIGHBOURHOODS).select_related(
            "area", "indicator"
        )
    )
    if not rows:
        return []
    areas = {p.area_id: p.area for p in rows}
    covered = covered_neighbourhoods(areas.values())
    frame = pd.DataFrame(
        {
            "rank": [p.rank for p in rows],
            "area_type": [p.area.area_type for p in rows],
            "area_code": [p.area_id for p in rows],
            "area_name": [p.area.name for p in rows],
            "indicator_id": [p.indicator_id for p in rows],
        }
    )
    spots = find_cold_spots(frame, pd.DataFrame({"area_code": sorted(covered)}))
    best = {}
    for p in sorted(rows, key=lambda p: p.rank):
        best.setdefault(p.area_id, p)
    return [
        ColdSpot(
            area=areas[code],
            best=best[code],
            priority_rows=int(n),
            explanation="" if hidden_for(user, best[code].counts) else best[code].explanation,
        )
        for code, n in zip(spots["area_code"], spots["priority_rows"], strict=True)
    ]
