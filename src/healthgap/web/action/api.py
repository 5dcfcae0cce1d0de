"""The action API under /api/action/: programmes, activities, insights and insight aggregates.

Same permissions as the pages (`action.permissions`, `can_edit`); every count is a cell of the
protected reach or insight table for the caller (`action.published`: true counts for analysts
and for the organisation that recorded an activity); lists are paginated (`?page=`,
`?page_size=`, at most 100). Writes need a signed-in caller (an API token, or the session with
its CSRF token) and answer 201 with the new record, 401, 403, or 422 with {"detail": {field:
[messages]}}.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.action import actions
from healthgap.web.action.forms import InsightFilterForm
from healthgap.web.action.models import Activity, Insight, Programme
from healthgap.web.action.permissions import (
    can_create_programme,
    can_list_insights,
    can_record,
    can_record_insight,
    visible_insights,
)
from healthgap.web.action.published import (
    Published,
    activity_reached,
    cell,
    crosstab_for,
    exact_for,
    reach_table,
)
from healthgap.web.action.vocab import GroupType, group_key
from healthgap.web.core.api import (
    READ_AUTH,
    WRITE_AUTH,
    Input,
    Problem,
    caller,
    paged,
)
from healthgap.web.directory.models import Organisation

router = Router(tags=["action"])

Count = int | str  # a count, or "*" when suppressed


def _organisations(ids: list[int]) -> list[Organisation]:
    found = list(Organisation.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise ValidationError({"partner_ids": f"No organisation with id {missing}."})
    return found


def _reach(context: dict[str, Any]) -> Published:
    """The protected reach table, read once per request (not once per listed activity)."""
    request = context["request"]
    if not hasattr(request, "healthgap_reach"):
        request.healthgap_reach = reach_table()
    return request.healthgap_reach


def _exact(context: dict[str, Any], activity: Activity) -> bool:
    """Whether the caller sees `activity`'s counts exactly (analyst, or its organisation)."""
    return exact_for(caller(context["request"]), [activity])


# --- programmes ------------------------------------------------------------------------------
class ProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    aims: str
    status: str
    target_indicators: list[str]
    target_areas: list[str]
    target_groups: list[str]
    lead_organisation_id: int
    lead_organisation: str = Field(..., alias="lead_organisation.name")
    partner_ids: list[int]
    start_date: date
    end_date: date | None
    url: str

    @staticmethod
    def resolve_partner_ids(obj: Programme) -> list[int]:
        return sorted(o.pk for o in obj.partners.all())

    @staticmethod
    def resolve_url(obj: Programme) -> str:
        return obj.get_absolute_url()


class ProgrammeIn(Input):
    name: str
    kind: str
    aims: str
    status: str = "active"
    target_indicators: list[str] = []
    target_areas: list[str] = []
    target_groups: list[str] = []
    lead_organisation_id: int | None = None
    partner_ids: list[int] = []
    start_date: date
    end_date: date | None = None


class ProgrammeFilters(Schema):
    kind: str | None = None
    status: str | None = None


@router.get(
    "/programmes", response=list[ProgrammeOut], url_name="action-programmes", auth=READ_AUTH
)
@paged
def list_programmes(request: HttpRequest, filters: Query[ProgrammeFilters]) -> Any:
    """Every programme (public), filtered by `kind` and `status`."""
    programmes = Programme.objects.select_related("lead_organisation").prefetch_related("partners")
    if filters.kind:
        programmes = programmes.filter(kind=filters.kind)
    if filters.status:
        programmes = programmes.filter(status=filters.status)
    return programmes


@router.post(
    "/programmes",
    response={201: ProgrammeOut, 422: Problem},
    url_name="action-programmes",
    auth=WRITE_AUTH,
)
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Any:
    """Start a programme: your organisation leads it (administrators name the lead)."""
    user = caller(request)
    if not can_create_programme(user):
        raise HttpError(403, "You may not start programmes.")
    fields = payload.dict(exclude={"partner_ids", "lead_organisation_id"})
    if has_permission(user, Permission.EDIT_ANY) and payload.lead_organisation_id:
        fields["lead_organisation_id"] = payload.lead_organisation_id
    else:
        fields["lead_organisation_id"] = user.organisation_id
    programme = actions.create_programme(
        by=user, partners=_organisations(payload.partner_ids), **fields
    )
    return Status(201, programme)


@router.get("/programmes/{pk}", response=ProgrammeOut, url_name="action-programme", auth=READ_AUTH)
def get_programme(request: HttpRequest, pk: int) -> Programme:
    return get_object_or_404(Programme.objects.select_related("lead_organisation"), pk=pk)


# --- activities ------------------------------------------------------------------------------
class ReachIn(Input):
    group_type: str
    group: str
    count: int


class ReachOut(Schema):
    group_type: str
    group: str
    count: Count


class ActivityOut(Schema):
    id: int
    programme_id: int
    kind: str
    date: date
    place: str
    lsoa21: str
    partner_ids: list[int]
    notes: str
    attendees: Count | None
    outcomes: str
    organisation_id: int | None
    people_reached: Count
    reach: list[ReachOut]
    url: str

    @staticmethod
    def resolve_partner_ids(obj: Activity) -> list[int]:
        return sorted(o.pk for o in obj.partners.all())

    @staticmethod
    def resolve_attendees(obj: Activity, context: dict[str, Any]) -> Count | None:
        if obj.attendees is None:
            return None
        return cell(_reach(context), ("att", obj.pk), exact=_exact(context, obj))

    @staticmethod
    def resolve_people_reached(obj: Activity, context: dict[str, Any]) -> Count:
        return activity_reached(_reach(context), obj.pk, exact=_exact(context, obj))

    @staticmethod
    def resolve_reach(obj: Activity, context: dict[str, Any]) -> list[dict[str, Any]]:
        table, exact = _reach(context), _exact(context, obj)
        return [
            {"group_type": r.group_type, "group": r.group,
             "count": cell(table, ("a", obj.pk, r.group_type, r.group), exact=exact)}
            for r in obj.reach.all()
        ]  # fmt: skip

    @staticmethod
    def resolve_url(obj: Activity) -> str:
        return obj.get_absolute_url()


class ActivityIn(Input):
    programme_id: int
    kind: str
    date: date
    place: str
    lsoa21: str = ""
    partner_ids: list[int] = []
    notes: str = ""
    attendees: int | None = None
    outcomes: str = ""
    reach: list[ReachIn] = []


class ActivityFilters(Schema):
    programme: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _activities() -> Any:
    return Activity.objects.prefetch_related("reach", "partners")


@router.get("/activities", response=list[ActivityOut], url_name="action-activities", auth=READ_AUTH)
@paged
def list_activities(request: HttpRequest, filters: Query[ActivityFilters]) -> Any:
    """Every activity (public; counts suppressed), newest first."""
    activities = _activities()
    if filters.programme:
        activities = activities.filter(programme_id=filters.programme)
    if filters.date_from:
        activities = activities.filter(date__gte=filters.date_from)
    if filters.date_to:
        activities = activities.filter(date__lte=filters.date_to)
    return activities


@router.post(
    "/activities",
    response={201: ActivityOut, 422: Problem},
    url_name="action-activities",
    auth=WRITE_AUTH,
)
def create_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    """Record an activity for a programme your organisation leads or partners."""
    user = caller(request)
    programme = get_object_or_404(Programme, pk=payload.programme_id)
    if not can_record(user, programme):
        raise HttpError(403, "Your organisation is not part of this programme.")
    reach: dict[str, int] = {}
    for row in payload.reach:
        key = group_key(row.group_type, row.group)
        if key in reach:
            raise ValidationError({"reach": [f"{key} is listed twice."]})
        reach[key] = row.count
    fields = payload.dict(exclude={"programme_id", "partner_ids", "reach"})
    activity = actions.create_activity(
        by=user,
        programme=programme,
        reach=reach,
        partners=_organisations(payload.partner_ids),
        **fields,
    )
    return Status(201, _activities().get(pk=activity.pk))


@router.get("/activities/{pk}", response=ActivityOut, url_name="action-activity", auth=READ_AUTH)
def get_activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(_activities(), pk=pk)


# --- insights --------------------------------------------------------------------------------
class InsightOut(Schema):
    id: int
    kind: str
    theme: str
    summary: str
    groups: list[str]
    neighbourhood: str
    source_activity_id: int | None
    date: date
    organisation_id: int | None

    @staticmethod
    def resolve_groups(obj: Insight) -> list[str]:
        return [group_key(g.group_type, g.group) for g in obj.groups.all()]


class InsightIn(Input):
    kind: str = "barrier"
    theme: str
    summary: str
    groups: list[str] = []
    neighbourhood: str = ""
    source_activity_id: int | None = None
    date: date


class InsightFilters(Schema):
    theme: str | None = None
    kind: str | None = None
    group: str | None = Field(None, description='A group key, e.g. "ethnicity:Pakistani".')
    neighbourhood: str | None = None
    programme: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _filtered(insights: Any, filters: InsightFilters) -> Any:
    data = {k: v for k, v in filters.dict().items() if v is not None}
    form = InsightFilterForm(data)
    if not form.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return form.filter(insights)


@router.get("/insights", response=list[InsightOut], url_name="action-insights", auth=WRITE_AUTH)
@paged
def list_insights(request: HttpRequest, filters: Query[InsightFilters]) -> Any:
    """Single insights: analysts and administrators see all, partners and champions their
    organisation's; others use /insights/aggregates."""
    user = caller(request)
    if not can_list_insights(user):
        raise HttpError(403, "Single insights are for analysts and recorders; use the aggregates.")
    return _filtered(visible_insights(user), filters).prefetch_related("groups")


@router.post(
    "/insights",
    response={201: InsightOut, 422: Problem},
    url_name="action-insights",
    auth=WRITE_AUTH,
)
def create_insight(request: HttpRequest, payload: InsightIn) -> Any:
    """Record a barrier or idea a community reported (no personal data)."""
    user = caller(request)
    if not can_record_insight(user):
        raise HttpError(403, "You may not record insights.")
    fields = payload.dict(exclude={"groups"})
    insight = actions.create_insight(by=user, groups=payload.groups, **fields)
    return Status(201, insight)


class AggregateRow(Schema):
    key: str
    label: str
    counts: dict[str, Count]
    total: Count


class Aggregates(Schema):
    dimension: str
    themes: list[str]
    rows: list[AggregateRow]
    theme_totals: dict[str, Count]
    total: Count


@router.get(
    "/insights/aggregates",
    response=Aggregates,
    url_name="action-insight-aggregates",
    auth=READ_AUTH,
)
def insight_aggregates(
    request: HttpRequest,
    filters: Query[InsightFilters],
    dimension: str = "ethnicity",
) -> dict[str, Any]:
    """Insight counts by theme and `dimension`: a group type (ethnicity, plus, language, age)
    or "neighbourhood". Public: non-analysts get the published table of ALL insights (filters
    do not apply to it; counts rounded to 5, hidden ones "*"); analysts the filtered counts."""
    if dimension != "neighbourhood" and dimension not in GroupType.values:
        raise HttpError(422, f"dimension must be neighbourhood or one of {GroupType.values}.")
    insights = _filtered(Insight.objects.all(), filters)
    tab = crosstab_for(insights, dimension, caller(request))
    themes = [value for value, _ in tab.themes]
    return {
        "dimension": dimension,
        "themes": themes,
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "counts": dict(zip(themes, row.cells, strict=True)),
                "total": row.total,
            }
            for row in tab.rows
        ],
        "theme_totals": dict(zip(themes, tab.theme_totals, strict=True)),
        "total": tab.total,
    }
