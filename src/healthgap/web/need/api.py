"""The need API under /api/need/: indicators, areas and their results, priorities, cold spots
and introductions, with the same permissions and small-number suppression as the pages
(a suppressed figure has null numbers and `suppressed: true`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.core.api import PAGE_SIZE, caller, paged
from healthgap.web.need import priority_list
from healthgap.web.need.brokering import ColdSpots
from healthgap.web.need.figures import figure, hidden_for
from healthgap.web.need.models import Area, Indicator, Introduction, Priority, Result
from healthgap.web.tokens.auth import SIGNED_IN_AUTH

router = Router(tags=["need"])
MAX_PAGE_SIZE = 100
"""The largest `page_size` the priorities and cold-spots lists accept (more: 422)."""


class IndicatorOut(Schema):
    id: str
    name: str
    method: str
    polarity: str
    multiplier: float
    unit: str
    target: float | None
    source: str
    source_url: str
    definition: str


class AreaOut(Schema):
    code: str
    name: str
    area_type: str
    parent_code: str | None
    imd_score: float | None
    imd_decile: int | None
    core20: bool | None
    core20_share: float | None
    population: int | None


class FigureOut(Schema):
    value: float | None
    lowercl: float | None
    uppercl: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool


class ResultOut(FigureOut):
    indicator_id: str
    period: str
    area_code: str
    category_type: str
    category: str
    method: str
    reason: str


class PriorityOut(FigureOut):
    id: int
    rank: int
    group_rank: int
    indicator_id: str
    period: str
    area_code: str
    area_name: str
    category_type: str
    category: str
    group: str
    unit: str
    headroom: float | None
    headroom_lowercl: float | None
    headroom_uppercl: float | None
    share: float | None
    score: float | None
    benchmark_value: float | None
    core20: bool
    plus_group: bool
    explanation: str


class ColdSpotOut(Schema):
    area_code: str
    area_name: str
    area_type: str
    core20: bool | None
    best_rank: int
    indicator_id: str
    priority_id: int
    priority_rows: int
    explanation: str


class IntroductionOut(Schema):
    id: int
    status: str
    indicator_id: str
    period: str
    area_code: str
    area_name: str
    category_type: str
    category: str
    to_organisation_id: int | None
    to_champion_id: int | None
    to_name: str
    from_organisation_id: int | None
    notes: str
    created_at: Any
    status_changed_at: Any


def _require(request: HttpRequest, permission: Permission) -> None:
    """401 for anonymous callers, 403 for signed-in callers without `permission`."""
    if not request.user.is_authenticated:
        raise HttpError(401, "Sign in or send an API token.")
    if not has_permission(request.user, permission):
        raise HttpError(403, f"You need the {permission.value} permission.")


def _figure(row: Any, user: Any) -> dict[str, Any]:
    fig = figure(row, user)
    return {
        "value": fig.value,
        "lowercl": fig.lowercl,
        "uppercl": fig.uppercl,
        "numerator": fig.numerator,
        "denominator": fig.denominator,
        "suppressed": fig.suppressed,
    }


@router.get("/indicators", response=list[IndicatorOut], url_name="need-indicators")
@paged
def indicators(request: HttpRequest) -> list[Indicator]:
    """The indicators of the loaded results, with their catalogue description."""
    return list(Indicator.objects.all())


@router.get("/areas/{code}", response=AreaOut, url_name="need-area")
def area(request: HttpRequest, code: str) -> dict[str, Any]:
    """An area of the loaded ICB's hierarchy with IMD 2025 and Core20 (404 if unknown)."""
    found = get_object_or_404(Area, code=code)
    return {**{f: getattr(found, f) for f in AreaOut.model_fields if f != "parent_code"},
            "parent_code": found.parent_id}  # fmt: skip


@router.get("/areas/{code}/results", response=list[ResultOut], url_name="need-area-results")
@paged
def area_results(
    request: HttpRequest,
    code: str,
    indicator: str | None = None,
    period: str | None = None,
    category_type: str | None = None,
) -> list[dict[str, Any]]:
    """Every published figure for the area (optionally one indicator, period or breakdown)."""
    found = get_object_or_404(Area, code=code)
    rows = Result.objects.filter(area=found)
    filters = {"indicator_id": indicator, "period": period, "category_type": category_type}
    rows = rows.filter(**{k: v for k, v in filters.items() if v})
    return [
        {
            **_figure(r, request.user),
            "indicator_id": r.indicator_id,
            "period": r.period,
            "area_code": r.area_id,
            "category_type": r.category_type,
            "category": r.category,
            "method": r.method,
            "reason": r.reason,
        }
        for r in rows
    ]


class CappedPages(PageNumberPagination):
    """`page` from 1 and `page_size` from 1 to MAX_PAGE_SIZE: anything else is a 422 with the
    usual error body, never silently clamped (docs/api.md)."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class LazyRows:
    """A queryset whose rows are turned into dicts only for the requested slice, so paging
    (`queryset[offset:offset + size]` and `count()`) runs in the database."""

    def __init__(self, rows: Any, convert: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.convert = rows, convert

    def all(self) -> Any:
        return self.rows

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.convert(row) for row in self.rows[index]]


capped = paginate(CappedPages, page_size=PAGE_SIZE)


@router.get("/priorities", response=list[PriorityOut], url_name="need-priorities")
@capped
def priorities(
    request: HttpRequest,
    indicator: str | None = None,
    area_type: str | None = None,
    view: str = "indicator",
) -> Any:
    """Ranked priorities as the caller may see them (docs/priorities.md, "In the app").

    `view=indicator` (default): every row, entries in rank order within each indicator with
    their groups after them (`group_rank` 0 = Everyone). `view=combined`: one row per area and
    indicator, by score = share (weight 1). Non-analysts get the public ranking: rows whose
    figure is not published are left out and the rest renumbered."""
    if view not in priority_list.VIEWS:
        raise HttpError(422, f"view must be one of {', '.join(priority_list.VIEWS)}; got {view!r}.")
    user = caller(request)
    if view == "combined":
        rows = priority_list.entries(user, view=view, indicator=indicator, area_type=area_type)
    else:
        rows = priority_list.all_rows(user, indicator=indicator, area_type=area_type)
    return LazyRows(priority_list.Paged(rows), lambda p: _priority(p, user))


def _priority(p: Priority, user: Any) -> dict[str, Any]:
    shown = _figure(p, user)
    hidden = shown["suppressed"]
    return {
        **shown,
        "id": p.pk,
        "rank": p.shown_rank,
        "group_rank": getattr(p, "shown_group_rank", 0),
        "indicator_id": p.indicator_id,
        "period": p.period,
        "area_code": p.area_id,
        "area_name": p.area.name,
        "category_type": p.category_type,
        "category": p.category,
        "group": p.group_label,
        "unit": p.unit or "people",
        "headroom": None if hidden else p.headroom,
        "headroom_lowercl": None if hidden else p.headroom_lowercl,
        "headroom_uppercl": None if hidden else p.headroom_uppercl,
        "share": None if hidden else p.share,
        "score": None if hidden else getattr(p, "score", None),
        "benchmark_value": p.benchmark_value,
        "core20": p.core20,
        "plus_group": p.plus_group,
        "explanation": "" if hidden or hidden_for(user, p.counts) else p.explanation,
    }


@router.get("/cold-spots", response=list[ColdSpotOut], url_name="need-cold-spots")
@capped
def cold_spot_list(request: HttpRequest) -> Any:
    """Priority neighbourhoods with no active partner (docs/need.md), best rank first."""
    user = caller(request)
    spots = ColdSpots(user)
    return LazyRows(spots, lambda s: _cold_spot(s))


def _cold_spot(s: Any) -> dict[str, Any]:
    return {
        "area_code": s.area.code,
        "area_name": s.area.name,
        "area_type": s.area.area_type,
        "core20": s.area.core20,
        "best_rank": s.best.shown_rank,
        "indicator_id": s.best.indicator_id,
        "priority_id": s.best.pk,
        "priority_rows": s.priority_rows,
        "explanation": s.explanation,
    }


@router.get(
    "/introductions",
    response=list[IntroductionOut],
    url_name="need-introductions",
    auth=SIGNED_IN_AUTH,
)
@paged
def introductions(request: HttpRequest, status: str | None = None) -> list[Introduction]:
    """Introductions, newest first (broker_introductions permission)."""
    _require(request, Permission.BROKER_INTRODUCTIONS)
    rows = Introduction.objects.select_related("to_organisation", "to_champion")
    return list(rows.filter(status=status) if status else rows)
