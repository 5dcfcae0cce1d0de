"""Who can reach a priority: the matching and scoring rule, on plain records.

Reach (docs/brokering.md): a partner *covers this neighbourhood* when one of its coverage areas
is the area itself, when an organisation is based in it (its LSOA), or, for an MSOA, when it
covers one of the MSOA's LSOAs; it *covers the MSOA* around an LSOA; it *covers the local
authority* holding the area. `reach` turns an area into coverage code -> coverage score.

Score of a partner for a priority (higher first; every part is shown to the broker):

    coverage     3 this neighbourhood, 2 the MSOA around it, 1 the local authority
    communities  2 when it works with the priority's group (its ethnic group, a broader or
                 narrower Census group of it, or a PLUS group of the same name: `group_labels`)
    languages    1 when it speaks a language wanted: by default the languages of the champions
                 working in the neighbourhood or its MSOA (`default_languages`); the broker can
                 change the list
    capacity     1 when an organisation has stated capacity (sessions or people a month)

    score = coverage + communities + languages + capacity        (0 to 7)

Local presence (cold spots): a partner covering the neighbourhood itself or its MSOA (coverage
score 2 or 3); local-authority-wide coverage does not count.

Only the records given are considered: the caller keeps out inactive organisations and
champions who have withdrawn consent.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

THIS_AREA, MSOA, LOCAL_AUTHORITY = 3, 2, 1
"""Coverage scores."""
COVERAGE_TEXT: Mapping[int, str] = {
    THIS_AREA: "covers this neighbourhood",
    MSOA: "covers the MSOA around it",
    LOCAL_AUTHORITY: "covers the whole local authority",
}
COMMUNITIES_SCORE, LANGUAGES_SCORE, CAPACITY_SCORE = 2, 1, 1

ORGANISATION, CHAMPION = "organisation", "champion"
LSOA_LEVEL, MSOA_LEVEL, LAD_LEVEL = "lsoa21", "msoa21", "lad24"
"""Area levels, named as in `healthgap.geography.LEVELS` and the results store."""


@dataclass(frozen=True)
class Language:
    """A language a partner speaks: the directory's code ("so") and label ("Somali")."""

    code: str
    label: str


@dataclass(frozen=True)
class Partner:
    """An organisation or Community Champion as brokering sees it.

    `coverage`: the LSOA 2021, MSOA 2021 and LAD 2024 codes it works in; `based_in`: an
    organisation's own LSOA ("" if none); `communities`: labels of the ethnic groups and PLUS
    groups it works with, in the directory's order (the first match is named in the reason);
    `capacity_*`: stated capacity a month (None or 0 when not stated).
    """

    kind: str
    id: int
    name: str
    coverage: frozenset[str] = frozenset()
    based_in: str = ""
    communities: tuple[str, ...] = ()
    languages: tuple[Language, ...] = ()
    capacity_sessions_per_month: int | None = None
    capacity_people_per_month: int | None = None

    @property
    def key(self) -> str:
        """ "organisation:<id>" or "champion:<id>"."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Reach:
    """Coverage code -> coverage score for one area, and the area's LSOAs (for 'based in')."""

    scores: Mapping[str, int]
    lsoas: frozenset[str]

    @property
    def local(self) -> frozenset[str]:
        """The codes whose coverage is local presence: the area, its LSOAs, its MSOA."""
        return frozenset(code for code, score in self.scores.items() if score >= MSOA)


@dataclass(frozen=True)
class Match:
    """A partner that can reach an area, with its score's parts and the reasons shown."""

    partner: Partner
    coverage: int
    communities: int = 0
    languages: int = 0
    capacity: int = 0
    reasons: tuple[str, ...] = field(default=())

    @property
    def score(self) -> int:
        return self.coverage + self.communities + self.languages + self.capacity


class CensusGroup(Protocol):
    """One of the 19 Census 2021 ethnic groups (`healthgap.population.ethnicity`)."""

    @property
    def label(self) -> str: ...

    @property
    def high_level(self) -> str: ...


def reach(
    code: str,
    level: str,
    *,
    lsoas: Iterable[str] = (),
    ancestors: Sequence[tuple[str, str]] = (),
) -> Reach:
    """Coverage codes that reach area `code` of `level` and their scores (module docstring).

    `lsoas`: for an MSOA, the codes of its LSOAs (ignored for other levels); `ancestors`:
    (code, level) of the areas holding it, nearest first (its MSOA, local authority, ...).
    """
    scores = {code: THIS_AREA}
    inside = frozenset([code]) if level == LSOA_LEVEL else frozenset()
    if level == MSOA_LEVEL:
        inside = frozenset(lsoas)
        scores |= dict.fromkeys(sorted(inside), THIS_AREA)
    for parent, parent_level in ancestors:
        if parent_level == MSOA_LEVEL:
            scores.setdefault(parent, MSOA)
        elif parent_level == LAD_LEVEL:
            scores.setdefault(parent, LOCAL_AUTHORITY)
    return Reach(scores, inside)


def coverage_score(partner: Partner, area_reach: Reach) -> int:
    """The best coverage score of `partner` for the area: 3, 2, 1 or 0 (does not reach it)."""
    based = THIS_AREA if partner.based_in and partner.based_in in area_reach.lsoas else 0
    return max([area_reach.scores.get(c, 0) for c in partner.coverage] + [based])


def reaching(partners: Iterable[Partner], area_reach: Reach) -> list[Match]:
    """The partners that reach the area, scored on coverage only; best coverage first, then
    organisations before champions, then by name (an area's "active partners")."""
    found = _by_coverage(partners, area_reach)
    return sorted(
        found, key=lambda m: (-m.coverage, m.partner.kind != ORGANISATION, m.partner.name)
    )


def candidates(
    partners: Iterable[Partner],
    area_reach: Reach,
    *,
    groups: Collection[str] = (),
    languages: Collection[str] = (),
) -> list[Match]:
    """The partners that reach the area, scored for a priority; highest score first, then best
    coverage, then by name.

    `groups`: labels of the communities that serve the priority's group (`group_labels`; empty
    for a whole-population priority); `languages`: codes of the languages wanted.
    """
    found = [_score(m, groups, languages) for m in _by_coverage(partners, area_reach)]
    return sorted(found, key=lambda m: (-m.score, -m.coverage, m.partner.name))


def default_languages(partners: Iterable[Partner], area_reach: Reach) -> list[str]:
    """Codes (sorted) of the languages spoken by the champions working in the neighbourhood or
    its MSOA (coverage score 2 or 3)."""
    return sorted(
        {
            language.code
            for partner in partners
            if partner.kind == CHAMPION and partner.coverage & area_reach.local
            for language in partner.languages
        }
    )


def has_local_presence(area_reach: Reach, present: Collection[str]) -> bool:
    """Whether any of the codes in `present` (coverage areas of active partners, LSOAs where
    organisations are based, areas of live introductions) is local to the area."""
    return any(code in present for code in area_reach.local)


def group_labels(
    category_type: str,
    category: str,
    census_groups: Iterable[CensusGroup],
    high_level_labels: Mapping[str, str],
) -> frozenset[str]:
    """Labels of the communities that serve a results group; empty for everyone ("all").

    ethnicity5 "Asian": "Asian" (a PLUS group may bear it), the high-level Census label and its
    member groups' labels; ethnicity19 "Pakistani": "Pakistani" and its high-level label; any
    other group: its own label. `census_groups`: the 19 Census 2021 groups;
    `high_level_labels`: high-level short name -> ONS label.
    """
    if category_type == "all":
        return frozenset()
    groups = list(census_groups)
    labels = {category}
    if category_type == "ethnicity5" and category in high_level_labels:
        labels |= {high_level_labels[category]}
        labels |= {g.label for g in groups if g.high_level == category}
    elif category_type == "ethnicity19":
        labels |= {high_level_labels[g.high_level] for g in groups if g.label == category}
    return frozenset(labels)


def _by_coverage(partners: Iterable[Partner], area_reach: Reach) -> list[Match]:
    found = []
    for partner in partners:
        best = coverage_score(partner, area_reach)
        if best:
            found.append(Match(partner, best, reasons=(COVERAGE_TEXT[best],)))
    return found


def _score(match: Match, groups: Collection[str], languages: Collection[str]) -> Match:
    partner = match.partner
    reasons = list(match.reasons)
    served = [label for label in partner.communities if label in groups]
    if served:
        reasons.append(f"works with {served[0]}")
    common = [language for language in partner.languages if language.code in languages]
    if common:
        reasons.append("speaks " + ", ".join(language.label for language in common))
    capacity = partner.kind == ORGANISATION and _has_capacity(partner)
    if capacity:
        reasons.append(_capacity_text(partner))
    return Match(
        partner,
        match.coverage,
        communities=COMMUNITIES_SCORE if served else 0,
        languages=LANGUAGES_SCORE if common else 0,
        capacity=CAPACITY_SCORE if capacity else 0,
        reasons=tuple(reasons),
    )


def _has_capacity(partner: Partner) -> bool:
    return bool(partner.capacity_sessions_per_month or partner.capacity_people_per_month)


def _capacity_text(partner: Partner) -> str:
    parts = []
    if partner.capacity_sessions_per_month:
        parts.append(f"{partner.capacity_sessions_per_month} sessions")
    if partner.capacity_people_per_month:
        parts.append(f"{partner.capacity_people_per_month} people")
    return "capacity: " + " and ".join(parts) + " a month"
