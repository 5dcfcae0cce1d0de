"""Who can reach a priority (area x group x indicator), who works in a neighbourhood, and the
cold spots: priority neighbourhoods where no partner is active.

Reach (from the directory's coverage areas, docs/need.md): a partner *covers this
neighbourhood* when one of its coverage areas is the area itself, when an organisation is based
in it (its LSOA), or, for an MSOA, when it covers one of the MSOA's LSOAs; it *covers the MSOA*
around an LSOA; it *covers the local authority* holding the area. Only active organisations
and champions who have not withdrawn consent count.

Score of a candidate for a priority (higher first; every part is shown on the page):

    coverage     3 this neighbourhood, 2 the MSOA around it, 1 the local authority
    communities  2 when it works with the priority's group (its ethnic group, a broader or
                 narrower Census group of it, or a PLUS group of the same name)
    languages    1 when it speaks a language of the area's communities: by default the
                 languages of the champions working in the neighbourhood (the directory holds
                 no Census language data); the broker can change the list
    capacity     1 when an organisation has stated capacity (sessions or people a month)

Cold spots: priority neighbourhoods with no organisation or champion covering the neighbourhood
itself or its MSOA (local-authority-wide coverage does not count as local presence) and no
accepted or active introduction, found with `healthgap.priorities.cold_spots`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Q

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

THIS_AREA, MSOA, LOCAL_AUTHORITY = 3, 2, 1
COVERAGE_TEXT = {
    THIS_AREA: "covers this neighbourhood",
    MSOA: "covers the MSOA around it",
    LOCAL_AUTHORITY: "covers the whole local authority",
}


@dataclass(frozen=True)
class Reach:
    """Coverage code -> coverage score for one area, and the area's LSOAs (for 'based in')."""

    scores: dict[str, int]
    lsoas: frozenset[str]


@dataclass
class Candidate:
    """An organisation or champion that can reach a priority, with its score's parts."""

    kind: str  # "organisation" or "champion"
    partner: Any
    coverage: int
    communities: int = 0
    languages: int = 0
    capacity: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return self.coverage + self.communities + self.languages + self.capacity

    @property
    def name(self) -> str:
        return str(self.partner)

    @property
    def key(self) -> str:
        """ "organisation:<pk>" or "champion:<pk>" (the introduction form's value)."""
        return f"{self.kind}:{self.partner.pk}"


def reach(area: Area) -> Reach:
    """Coverage codes that reach `area` and their scores (module docstring)."""
    scores = {area.code: THIS_AREA}
    lsoas = {area.code} if area.area_type == AreaType.LSOA else set()
    if area.area_type == AreaType.MSOA:
        lsoas = set(area.children.values_list("code", flat=True))
        scores |= dict.fromkeys(lsoas, THIS_AREA)
    for parent in area.ancestors():
        if parent.area_type == AreaType.MSOA:
            scores.setdefault(parent.code, MSOA)
        elif parent.area_type == AreaType.LAD:
            scores.setdefault(parent.code, LOCAL_AUTHORITY)
    return Reach(scores, frozenset(lsoas))


def partners_reaching(area: Area) -> list[Candidate]:
    """Active organisations and champions whose coverage reaches `area`, best coverage first
    (the profile's "active partners"); scored on coverage only."""
    found = _coverage_candidates(reach(area))
    return sorted(found, key=lambda c: (-c.coverage, c.kind != "organisation", c.name))


def candidates(priority: Priority, *, languages: Iterable[str] | None = None) -> list[Candidate]:
    """Organisations and champions that can reach `priority`, highest score first.

    `languages`: Community codes of the languages wanted; None for the default (the languages
    of champions working in the neighbourhood).
    """
    area_reach = reach(priority.area)
    found = _coverage_candidates(area_reach)
    wanted = set(default_languages(area_reach) if languages is None else languages)
    groups = matching_groups(priority.category_type, priority.category)
    for candidate in found:
        communities = list(candidate.partner.communities.all())
        served = [c for c in communities if c.pk in groups]
        if served:
            candidate.communities = 2
            candidate.reasons.append(f"works with {served[0].label}")
        spoken = list(candidate.partner.languages_spoken)
        common = [c for c in spoken if c.code in wanted]
        if common:
            candidate.languages = 1
            candidate.reasons.append("speaks " + ", ".join(c.label for c in common))
        if candidate.kind == "organisation" and _has_capacity(candidate.partner):
            candidate.capacity = 1
            candidate.reasons.append(_capacity_text(candidate.partner))
    return sorted(found, key=lambda c: (-c.score, -c.coverage, c.name))


def default_languages(area_reach: Reach) -> list[str]:
    """Codes of the languages spoken by champions working in the neighbourhood (or its MSOA)."""
    local = [code for code, score in area_reach.scores.items() if score >= MSOA]
    return sorted(
        set(
            Community.objects.filter(
                kind=CommunityKind.LANGUAGE,
                champions_speaking__withdrawn_at__isnull=True,
                champions_speaking__neighbourhoods__code__in=local,
            ).values_list("code", flat=True)
        )
    )


def matching_groups(category_type: str, category: str) -> set[int]:
    """Ids of the directory communities that serve a results group (empty for everyone).

    ethnicity5 "Asian": the high-level Census group and its 19-group members; ethnicity19
    "Pakistani": that group and its high-level group; any group: a PLUS group of that name.
    """
    if category_type == "all":
        return set()
    labels = {category}
    if category_type == "ethnicity5" and category in HIGH_LEVEL_2021_LABELS:
        labels |= {HIGH_LEVEL_2021_LABELS[category]}
        labels |= {g.label for g in CENSUS_2021_GROUPS if g.high_level == category}
    elif category_type == "ethnicity19":
        labels |= {
            HIGH_LEVEL_2021_LABELS[g.high_level] for g in CENSUS_2021_GROUPS if g.label == category
        }
    kinds = [CommunityKind.ETHNIC_GROUP, CommunityKind.PLUS_GROUP]
    return set(
        Community.objects.filter(kind__in=kinds, label__in=labels).values_list("pk", flat=True)
    )


def _coverage_candidates(area_reach: Reach) -> list[Candidate]:
    codes = list(area_reach.scores)
    organisations = (
        Organisation.objects.filter(active=True)
        .filter(Q(coverage_areas__code__in=codes) | Q(lsoa21__in=area_reach.lsoas))
        .distinct()
        .prefetch_related("coverage_areas", "communities")
    )
    champions = (
        CommunityChampion.objects.filter(withdrawn_at__isnull=True, neighbourhoods__code__in=codes)
        .distinct()
        .select_related("organisation")
        .prefetch_related("neighbourhoods", "communities", "languages")
    )
    found = []
    for organisation in organisations:
        best = max(
            [area_reach.scores.get(c.code, 0) for c in organisation.coverage_areas.all()]
            + [THIS_AREA if organisation.lsoa21 in area_reach.lsoas else 0]
        )
        organisation.languages_spoken = [
            c for c in organisation.communities.all() if c.kind == CommunityKind.LANGUAGE
        ]
        found.append(Candidate("organisation", organisation, best, reasons=[COVERAGE_TEXT[best]]))
    for champion in champions:
        best = max(area_reach.scores.get(c.code, 0) for c in champion.neighbourhoods.all())
        champion.languages_spoken = list(champion.languages.all())
        found.append(Candidate("champion", champion, best, reasons=[COVERAGE_TEXT[best]]))
    return found


def _has_capacity(organisation: Organisation) -> bool:
    return bool(organisation.capacity_sessions_per_month or organisation.capacity_people_per_month)


def _capacity_text(organisation: Organisation) -> str:
    parts = []
    if organisation.capacity_sessions_per_month:
        parts.append(f"{organisation.capacity_sessions_per_month} sessions")
    if organisation.capacity_people_per_month:
        parts.append(f"{organisation.capacity_people_per_month} people")
    return "capacity: " + " and ".join(parts) + " a month"


# --- cold spots ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ColdSpot:
    area: Area
    best: Priority
    priority_rows: int
    explanation: str


def covered_neighbourhoods(areas: Iterable[Area]) -> set[str]:
    """Codes of the neighbourhoods in `areas` with a local partner or a live introduction."""
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
        nearby = {area.code} | children[area.code]
        if area.area_type == AreaType.LSOA and area.parent_id:
            nearby.add(area.parent_id)
        if nearby & local:
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
