"""The need API under /api/need/: indicators, areas and their results, priorities, cold spots
and introductions, with the same permissions and small-number suppression as the pages
(a suppressed figure has null numbers and `suppressed: true`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.core.api import paged
from healthgap.web.need.brokering import cold_spots
from healthgap.web.need.figures import figure, hidden_for
from healthgap.web.need.models import Area, Indicator, Introduction, Priority, Result
from healthgap.web.tokens.auth import SIGNED_IN_AUTH

router = Router(tags=["need"])


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
    indicator_id: str
    period: str
    area_code: str
    area_name: str
    category_type: str
    category: str
    headroom: float | None
    headroom_lowercl: float | None
    headroom_uppercl: float | None
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


@router.get("/priorities", response=list[PriorityOut], url_name="need-priorities")
@paged
def priorities(
    request: HttpRequest, indicator: str | None = None, area_type: str | None = None
) -> list[dict[str, Any]]:
    """Ranked priorities (rank 1 first); headroom is withheld with the figure when suppressed."""
    rows = Priority.objects.select_related("area")
    if indicator:
        rows = rows.filter(indicator_id=indicator)
    if area_type:
        rows = rows.filter(area__area_type=area_type)
    out = []
    for p in rows:
        shown = _figure(p, request.user)
        hidden = shown["suppressed"]
        out.append(
            {
                **shown,
                "id": p.pk,
                "rank": p.rank,
                "indicator_id": p.indicator_id,
                "period": p.period,
                "area_code": p.area_id,
                "area_name": p.area.name,
                "category_type": p.category_type,
                "category": p.category,
                "headroom": None if hidden else p.headroom,
                "headroom_lowercl": None if hidden else p.headroom_lowercl,
                "headroom_uppercl": None if hidden else p.headroom_uppercl,
                "benchmark_value": p.benchmark_value,
                "core20": p.core20,
                "plus_group": p.plus_group,
                "explanation": "" if hidden_for(request.user, p.counts) else p.explanation,
            }
        )
    return out


@router.get("/cold-spots", response=list[ColdSpotOut], url_name="need-cold-spots")
@paged
def cold_spot_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Priority neighbourhoods with no active local partner, best rank first."""
    return [
        {
            "area_code": s.area.code,
            "area_name": s.area.name,
            "area_type": s.area.area_type,
            "core20": s.area.core20,
            "best_rank": s.best.rank,
            "priority_id": s.best.pk,
            "priority_rows": s.priority_rows,
            "explanation": s.explanation,
        }
        for s in cold_spots(request.user)
    ]


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
