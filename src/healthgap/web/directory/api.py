"""The directory API under /api/directory/: organisations, services and Community Champions.

The same permissions as the pages: the directory is public to read (active organisations);
partners and champions change their own organisation, administrators any; champions' names and
contacts only for those the pages show them to (`views.champions`), counts for everyone with
small numbers suppressed; consent is withdrawn by the champion or an administrator. Lists are
paginated (`?page=`, `?page_size=`); writes need a signed-in caller (an API token, or the
session with its CSRF token) and answer 401, 403 or 422 with {"detail": {field: [messages]}}.
The Open Referral UK feed for other directories is /oruk/.
"""

import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from healthgap.web.accounts.authorization import can_edit
from healthgap.web.core.api import (
    READ_AUTH,
    WRITE_AUTH,
    Input,
    Problem,
    caller,
    paged,
)
from healthgap.web.directory import actions
from healthgap.web.directory.areas import validate_area_code
from healthgap.web.directory.models import Community, CommunityChampion, Organisation, Service
from healthgap.web.directory.queries import DirectoryFilter, search_organisations
from healthgap.web.directory.views.champions import (
    champion_counts,
    may_see_personal,
    may_withdraw,
    visible_champions,
)

router = Router(tags=["directory"])


def _codes(values: Any) -> list[str]:
    return sorted(v.code for v in values.all())


class OrganisationOut(Schema):
    id: int
    uuid: UUID
    name: str
    kind: str
    description: str
    website: str
    email: str
    lsoa21: str
    ods_code: str
    charity_number: str
    company_number: str
    coverage_areas: list[str]
    communities: list[str]
    capacity_sessions_per_month: int | None
    capacity_people_per_month: int | None
    capacity_notes: str
    active: bool

    @staticmethod
    def resolve_coverage_areas(obj: Organisation) -> list[str]:
        return sorted(area.code for area in obj.coverage_areas.all())

    @staticmethod
    def resolve_communities(obj: Organisation) -> list[str]:
        return _codes(obj.communities)


class OrganisationPatch(Input):
    """Fields to change; `communities` are Community codes, `coverage_areas` area codes."""

    name: str | None = None
    description: str | None = None
    website: str | None = None
    email: str | None = None
    capacity_sessions_per_month: int | None = None
    capacity_people_per_month: int | None = None
    capacity_notes: str | None = None
    communities: list[str] | None = None
    coverage_areas: list[str] | None = None


class ServiceOut(Schema):
    id: int
    uuid: UUID
    organisation_id: int
    name: str
    description: str
    status: str
    taxonomy_terms: list[str]
    eligibility: str
    minimum_age: int | None
    maximum_age: int | None
    languages: list[str]
    cost_amount: Decimal | None
    cost_description: str
    location_ids: list[int]
    last_modified: datetime.datetime

    @staticmethod
    def resolve_taxonomy_terms(obj: Service) -> list[str]:
        return sorted(term.name for term in obj.taxonomy_terms.all())

    @staticmethod
    def resolve_languages(obj: Service) -> list[str]:
        return _codes(obj.languages)

    @staticmethod
    def resolve_location_ids(obj: Service) -> list[int]:
        return sorted(sal.location_id for sal in obj.service_at_locations.all())


class ChampionOut(Schema):
    id: int
    organisation_id: int | None
    name: str
    email: str
    phone: str
    languages: list[str]
    communities: list[str]
    neighbourhoods: list[str]
    consent_given_on: datetime.date
    consent_version: str
    withdrawn: bool

    @staticmethod
    def resolve_languages(obj: CommunityChampion) -> list[str]:
        return _codes(obj.languages)

    @staticmethod
    def resolve_communities(obj: CommunityChampion) -> list[str]:
        return _codes(obj.communities)

    @staticmethod
    def resolve_neighbourhoods(obj: CommunityChampion) -> list[str]:
        return sorted(area.code for area in obj.neighbourhoods.all())


class ChampionCounts(Schema):
    """Champions (withdrawn ones included) by language, community and neighbourhood; counts
    of 1 to 7 are "*" for everyone but analysts."""

    total: int | str
    language: dict[str, int | str]
    community: dict[str, int | str]
    area: dict[str, int | str]


class DirectoryQuery(Schema):
    search: str = ""
    kind: str = ""
    community: str = ""
    language: str = ""
    area: str = ""


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    url_name="directory-organisations",
    auth=READ_AUTH,
)
@paged
def list_organisations(request: HttpRequest, filters: Query[DirectoryQuery]) -> Any:
    """Active organisations matching every filter (as the directory page)."""
    return search_organisations(DirectoryFilter(**filters.dict())).prefetch_related(
        "coverage_areas", "communities"
    )


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not organisation.active and not can_edit(caller(request), organisation):
        raise HttpError(404, "No such organisation.")
    return organisation


@router.get(
    "/organisations/{pk}",
    response=OrganisationOut,
    url_name="directory-organisation",
    auth=READ_AUTH,
)
def get_organisation(request: HttpRequest, pk: int) -> Organisation:
    return _organisation(request, pk)


@router.patch(
    "/organisations/{pk}",
    response={200: OrganisationOut, 422: Problem},
    url_name="directory-organisation",
    auth=WRITE_AUTH,
)
def patch_organisation(request: HttpRequest, pk: int, payload: OrganisationPatch) -> Any:
    """Change your own organisation (administrators: any)."""
    organisation = _organisation(request, pk)
    user = caller(request)
    if not can_edit(user, organisation):
        raise HttpError(403, "You can only change your own organisation's records.")
    fields = payload.dict(exclude_unset=True)
    if "communities" in fields:
        codes = fields["communities"] or []
        found = list(Community.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {c.code for c in found})
        if unknown:
            raise ValidationError({"communities": f"Unknown community codes: {unknown}."})
        fields["communities"] = found
    if "coverage_areas" in fields:
        fields["coverage_areas"] = [validate_area_code(c) for c in fields["coverage_areas"] or []]
    actions.update_organisation(by=user, organisation=organisation, **fields)
    return Status(200, Organisation.objects.get(pk=pk))


@router.get("/services", response=list[ServiceOut], url_name="directory-services", auth=READ_AUTH)
@paged
def list_services(request: HttpRequest, organisation_id: int | None = None) -> Any:
    """Services of active organisations (optionally of one organisation)."""
    services = Service.objects.filter(organisation__active=True).prefetch_related(
        "taxonomy_terms", "languages", "service_at_locations"
    )
    if organisation_id is not None:
        services = services.filter(organisation_id=organisation_id)
    return services.order_by("name", "pk")


@router.get("/services/{pk}", response=ServiceOut, url_name="directory-service", auth=READ_AUTH)
def get_service(request: HttpRequest, pk: int) -> Service:
    service = get_object_or_404(Service.objects.select_related("organisation"), pk=pk)
    if not service.organisation.active and not can_edit(caller(request), service):
        raise HttpError(404, "No such service.")
    return service


@router.get(
    "/champions/counts",
    response=ChampionCounts,
    url_name="directory-champion-counts",
    auth=READ_AUTH,
)
def get_champion_counts(request: HttpRequest) -> dict[str, Any]:
    counts = champion_counts(caller(request))
    return {
        "total": counts["total"][0][1],
        **{key: dict(counts[key]) for key in ("language", "community", "area")},
    }


@router.get(
    "/champions", response=list[ChampionOut], url_name="directory-champions", auth=WRITE_AUTH
)
@paged
def list_champions(request: HttpRequest) -> Any:
    """The champions whose details you may see (see the module docstring)."""
    return visible_champions(caller(request)).prefetch_related(
        "languages", "communities", "neighbourhoods"
    )


def _champion(request: HttpRequest, pk: int, allowed: Any) -> CommunityChampion:
    champion = get_object_or_404(CommunityChampion, pk=pk)
    if not allowed(caller(request), champion):
        raise HttpError(403, "You may not see or change this champion's record.")
    return champion


@router.get("/champions/{pk}", response=ChampionOut, url_name="directory-champion", auth=WRITE_AUTH)
def get_champion(request: HttpRequest, pk: int) -> CommunityChampion:
    return _champion(request, pk, may_see_personal)


@router.post(
    "/champions/{pk}/withdraw",
    response=ChampionOut,
    url_name="directory-champion-withdraw",
    auth=WRITE_AUTH,
)
def withdraw_champion_consent(request: HttpRequest, pk: int) -> CommunityChampion:
    """Withdraw consent (your own, or as an administrator): personal details are erased."""
    champion = _champion(request, pk, may_withdraw)
    return actions.withdraw_consent(by=caller(request), champion=champion)
