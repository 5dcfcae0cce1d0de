"""Who can reach a priority, who works in a neighbourhood, and the cold spots: the directory
fetch for `healthgap.brokering`, whose rule (reach, score, local presence) is in
docs/brokering.md.

The web keeps only the ORM side: it builds `healthgap.brokering.Partner` records from active
organisations and champions who have not withdrawn consent, calls the pure module and pairs
each `Match` with its directory object for the pages' links.

Cold spots: priority neighbourhoods with no *active partner* (`active_here`, docs/need.md),
the same rule the area profile uses for its "Active partners" and "What is happening here".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Max, Min, Q

from healthgap import brokering
from healthgap.brokering import Language, Match, Partner, Reach
from healthgap.population.ethnicity import CENSUS_2021_GROUPS, HIGH_LEVEL_2021_LABELS
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
from healthgap.web.need.priority_list import columns_for, leads

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


def active_here(areas: Iterable[Area], *, today: date | None = None) -> set[str]:
    """Codes of the neighbourhoods in `areas` with an *active partner* (docs/need.md): the one
    definition that the cold spots and the area profile share.

    A neighbourhood has an active partner when
    - an active organisation or a consenting Community Champion covers it or its MSOA, or an
      organisation is based in it (`healthgap.brokering.has_local_presence`: coverage score 2
      or 3; local-authority-wide coverage alone does not count);
    - an introduction there has been accepted or is active; or
    - the profile's "What is happening here" would list work there: an active programme
      targeting it, its MSOA or its local authority, or an activity held in it in the last
      `RECENT_DAYS` days (`healthgap.web.action.queries.for_area`).
    """
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
    local |= _worked_in(today or date.today())
    targeted = _programme_targets(today or date.today())
    areas = list(areas)
    msoas = {a.parent_id for a in areas if a.area_type == AreaType.LSOA and a.parent_id}
    msoas |= {a.code for a in areas if a.area_type == AreaType.MSOA}
    lads = dict(Area.objects.filter(code__in=msoas).values_list("code", "parent_id"))
    children: dict[str, set[str]] = defaultdict(set)
    for code, parent in Area.objects.filter(parent_id__in=msoas).values_list("code", "parent_id"):
        children[parent].add(code)
    found = set()
    for area in areas:
        msoa = area.parent_id if area.area_type == AreaType.LSOA else area.code
        ancestors = [(area.parent_id, AreaType.MSOA)] if area.area_type == AreaType.LSOA else []
        if lads.get(msoa):
            ancestors.append((lads[msoa], AreaType.LAD))
        area_reach = brokering.reach(
            area.code, area.area_type, lsoas=children[area.code], ancestors=ancestors
        )
        if brokering.has_local_presence(area_reach, local) or targeted & set(area_reach.scores):
            found.add(area.code)
    return found


def _worked_in(today: date) -> set[str]:
    """LSOAs with an activity in the last RECENT_DAYS days (none without the action app)."""
    try:
        from healthgap.web.action.models import Activity
        from healthgap.web.action.queries import RECENT_DAYS
    except ImportError:  # the action app is optional
        return set()
    since = today - timedelta(days=RECENT_DAYS)
    rows = Activity.objects.filter(date__gte=since, date__lte=today).exclude(lsoa21="")
    return set(rows.values_list("lsoa21", flat=True))


def _programme_targets(today: date) -> set[str]:
    """Target area codes (LSOA, MSOA or local authority) of the programmes running today."""
    try:
        from healthgap.web.action.models import Programme
        from healthgap.web.action.vocab import ProgrammeStatus
    except ImportError:  # the action app is optional
        return set()
    running = Programme.objects.filter(status=ProgrammeStatus.ACTIVE).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return {code for targets in running.values_list("target_areas", flat=True) for code in targets}


class ColdSpots:
    """Priority neighbourhoods (LSOAs and MSOAs) with no active partner (`active_here`), as a
    lazy sequence for paging: `count()` and slices. Order: the best rank the viewer sees in any
    indicator, then the largest share of an indicator's headroom, then area code.

    Counted in the database (one grouped query over the lead rows the viewer may see: the
    public ranking for non-analysts); only the page's areas are fetched in full."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.columns = columns_for(user)
        self._order: list[tuple[str, int, int]] | None = None

    def _leads(self) -> Any:
        return leads(self.user).filter(area__area_type__in=NEIGHBOURHOODS)

    def order(self) -> list[tuple[str, int, int]]:
        """(area code, best rank, entries) of every cold spot, in order."""
        if self._order is None:
            grouped = list(
                self._leads()
                .values("area_id")
                .annotate(best=Min(self.columns.rank), n=Count("id"), top=Max("share"))
                .order_by()
            )
            areas = Area.objects.filter(code__in=[g["area_id"] for g in grouped])
            active = active_here(areas.only("code", "area_type", "parent_id"))
            cold = [g for g in grouped if g["area_id"] not in active]
            cold.sort(key=lambda g: (g["best"], -(g["top"] or 0.0), g["area_id"]))
            self._order = [(g["area_id"], g["best"], g["n"]) for g in cold]
        return self._order

    def count(self) -> int:
        return len(self.order())

    def all(self) -> ColdSpots:
        return self

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[ColdSpot]:
        part = self.order()[index]
        codes = [code for code, _, _ in part]
        leads = (
            self._leads()
            .filter(area_id__in=codes)
            .annotate(shown_rank=F(self.columns.rank))
            .order_by(self.columns.rank, F("share").desc(nulls_last=True), "indicator_id")
        )
        best: dict[str, Priority] = {}
        for row in leads:
            best.setdefault(row.area_id, row)
        return [
            ColdSpot(
                area=best[code].area,
                best=best[code],
                priority_rows=n,
                explanation=""
                if hidden_for(self.user, best[code].counts)
                else best[code].explanation,
            )
            for code, _, n in part
        ]


def cold_spots(user: Any) -> list[ColdSpot]:
    """Every cold spot as `user` sees it (`ColdSpots`), in order."""
    return ColdSpots(user)[:]
