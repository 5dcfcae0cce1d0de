"""Area profiles: a neighbourhood (or any area of the hierarchy) and its children."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from healthgap.brokering import MSOA
from healthgap.errors import DataSourceError
from healthgap.web.need.brokering import partners_reaching
from healthgap.web.need.figures import figure
from healthgap.web.need.models import Area, AreaType, Indicator, Result
from healthgap.web.need.profile import (
    area_priorities,
    compare,
    icb_area,
    indicator_profiles,
    inequality_gaps,
)

logger = logging.getLogger(__name__)


def area_profile(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("parent"), code=code)
    priorities = area_priorities(area, request.user)
    partners = partners_reaching(area)
    return render(
        request,
        "need/area.html",
        {
            "area": area,
            "breadcrumbs": list(reversed(area.ancestors())),
            "icb": icb_area(),
            "profiles": indicator_profiles(area, request.user),
            "gaps": inequality_gaps(area, request.user),
            "priorities": [(p, figure(p, request.user)) for p in priorities],
            # Active partners (docs/need.md): local presence, as for the cold spots;
            # local-authority-wide coverage is listed apart and does not count.
            "partners": [p for p in partners if p.coverage >= MSOA],
            "wider_partners": [p for p in partners if p.coverage < MSOA],
            "champion_count": sum(p.kind == "champion" for p in partners),
            "action": _action(area, request.user),
            "children": area.children.count(),
        },
    )


def area_children(request: HttpRequest, code: str) -> HttpResponse:
    """The area's children with one indicator's figures, compared with the area itself."""
    area = get_object_or_404(Area, code=code)
    children = list(area.children.all())
    indicators = list(Indicator.objects.all())
    indicator = next((i for i in indicators if i.id == request.GET.get("indicator")), None)
    indicator = indicator or (indicators[0] if indicators else None)
    rows, own, period = [], None, ""
    if indicator is not None:
        results = Result.objects.filter(
            indicator=indicator,
            category_type="all",
            area_id__in=[area.code, *(c.code for c in children)],
        )
        period = max(results.values_list("period", flat=True), default="")
        found = {r.area_id: r for r in results.filter(period=period)}
        own = figure(found.get(area.code), request.user, unit=indicator.unit)
        for child in children:
            fig = figure(found.get(child.code), request.user, unit=indicator.unit)
            rows.append((child, fig, compare(fig, own, indicator.polarity)))
    return render(
        request,
        "need/area_children.html",
        {
            "area": area,
            "breadcrumbs": list(reversed(area.ancestors())),
            "indicators": indicators,
            "indicator": indicator,
            "period": period,
            "own": own,
            "rows": rows,
        },
    )


def _action(area: Area, user: Any) -> dict[str, Any] | None:
    """Programmes, activities and insights in the area's LSOAs (`action.queries.for_area`);
    None when the action app or the area lookups are not available."""
    try:
        from healthgap.web.action.queries import for_area
    except ImportError:  # the action app is optional for this page
        return None
    lsoas = _lsoas_below(area)
    if not lsoas:
        return None
    try:
        return for_area(lsoas, user=user)
    except DataSourceError as error:
        logger.warning("Activities not shown for %s: %s", area.code, error)
        return None


def _lsoas_below(area: Area) -> list[str]:
    """The LSOA codes in `area` (itself for an LSOA), walking down the loaded hierarchy."""
    if area.area_type == AreaType.LSOA:
        return [area.code]
    codes, level = [], [area.code]
    while level:
        children = list(Area.objects.filter(parent_id__in=level).values_list("code", "area_type"))
        codes += [c for c, kind in children if kind == AreaType.LSOA]
        level = [c for c, kind in children if kind != AreaType.LSOA]
    return codes
