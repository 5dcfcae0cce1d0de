"""Read-side queries of the directory: the public search and the "who can reach this
priority" questions brokering asks.

    >>> organisations_reaching(lsoa21="E01010290", community="pa")      # doctest: +SKIP
    >>> champions_reaching(lsoa21="E01010290", community="pakistani")  # doctest: +SKIP

Coverage is hierarchical: an organisation covering a local authority (or an MSOA) reaches every
LSOA in it (`areas.codes_reaching`). `community` is a `Community.code` of any kind (an ethnic
group slug, an ISO 639 language code or a PLUS group slug); an organisation serving a
high-level ethnic group (e.g. "Asian, Asian British or Asian Welsh") reaches its detailed groups.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from healthgap.web.directory.areas import codes_reaching, validate_area_code
from healthgap.web.directory.models import (
    Community,
    CommunityChampion,
    CommunityKind,
    Organisation,
)


@dataclass(frozen=True)
class DirectoryFilter:
    """The directory page's filters; empty strings mean "any"."""

    search: str = ""
    kind: str = ""
    community: str = ""
    language: str = ""
    area: str = ""


def area_problem(code: str) -> str:
    """Why `code` cannot filter the directory ("" when it can): it is not a 2021 LSOA/MSOA or
    2024 local authority code, or not in the ONS lookups. Where the lookups cannot be read the
    filter is applied as typed (""), as before."""
    try:
        validate_area_code(code)
    except ValidationError as error:
        if error.code == "area_unchecked":
            return ""
        return f"{code} is not a valid area code. {error.messages[0]}"
    return ""


def _community_codes(code: str) -> list[str]:
    """`code` plus, for a detailed ethnic group, the code of its high-level group."""
    community = Community.objects.filter(code=code).first()
    if community is None or community.kind != CommunityKind.ETHNIC_GROUP or not community.group:
        return [code]
    parent = Community.objects.filter(kind=CommunityKind.ETHNIC_GROUP, label=community.group)
    return [code, *parent.values_list("code", flat=True)]


def _area_codes(code: str) -> list[str]:
    """The codes whose coverage includes `code` (an LSOA also matches its MSOA and LAD)."""
    return codes_reaching(code) if code.startswith("E01") else [code]


def search_organisations(
    spec: DirectoryFilter, *, include_inactive: bool = False
) -> QuerySet[Organisation]:
    """Organisations matching every filter of `spec` (AND), by name."""
    organisations = Organisation.objects.all()
    if not include_inactive:
        organisations = organisations.filter(active=True)
    if spec.search:
        organisations = organisations.filter(
            Q(name__icontains=spec.search)
            | Q(description__icontains=spec.search)
            | Q(services__name__icontains=spec.search)
        )
    if spec.kind:
        organisations = organisations.filter(kind=spec.kind)
    if spec.community:
        organisations = organisations.filter(communities__code__in=_community_codes(spec.community))
    if spec.language:
        organisations = organisations.filter(
            Q(communities__kind=CommunityKind.LANGUAGE, communities__code=spec.language)
            | Q(services__languages__code=spec.language)
        )
    if spec.area:
        organisations = organisations.filter(coverage_areas__code__in=_area_codes(spec.area))
    return organisations.distinct().order_by("name")


def organisations_reaching(
    *, lsoa21: str, community: str = "", active_only: bool = True
) -> QuerySet[Organisation]:
    """Organisations whose coverage includes LSOA `lsoa21` and (when given) who serve
    `community` (a Community code), with their coverage and communities prefetched."""
    spec = DirectoryFilter(area=lsoa21, community=community)
    return search_organisations(spec, include_inactive=not active_only).prefetch_related(
        "coverage_areas", "communities"
    )


def champions_reaching(*, lsoa21: str, community: str = "") -> QuerySet[CommunityChampion]:
    """Champions (consent not withdrawn) working in LSOA `lsoa21` (or its MSOA) and, when
    given, with `community` (a language code or an ethnic/PLUS group code)."""
    champions = CommunityChampion.objects.filter(
        withdrawn_at__isnull=True, neighbourhoods__code__in=_area_codes(lsoa21)
    )
    if community:
        codes = _community_codes(community)
        champions = champions.filter(Q(languages__code__in=codes) | Q(communities__code__in=codes))
    return champions.distinct().select_related("organisation")
