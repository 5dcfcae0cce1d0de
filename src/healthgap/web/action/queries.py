"""What is being done in a set of neighbourhoods: the provider the neighbourhood profile calls.

    from healthgap.web.action.queries import for_area
    context["action"] = for_area(["E01010001", "E01010002"], user=request.user)

The return shape is documented in docs/action.md ("Neighbourhood provider").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from healthgap.web.action.aggregates import people_reached
from healthgap.web.action.areas import containing_areas, lsoa_and_msoa
from healthgap.web.action.models import Activity, ActivityReach, Insight, InsightGroup, Programme
from healthgap.web.action.published import (
    activity_reached,
    exact_for,
    insight_crosstab,
    insight_table,
    reach_table,
)
from healthgap.web.action.vocab import GroupType, ProgrammeStatus, Theme, group_key, group_label
from healthgap.web.disclosure import sees_everything

#: Activities in the last this many days are "recent".
RECENT_DAYS = 365
#: At most this many recent activities are returned (newest first).
ACTIVITY_LIMIT = 20


def _published_insights(codes: list[str]) -> list[dict[str, Any]]:
    """The rows of the protected insight table for neighbourhoods `codes` (never a new sum
    over them, which could be subtracted from the table's own cells)."""
    table = insight_table()
    tab = insight_crosstab(table, "neighbourhood")
    return [
        {
            "code": row.key,
            "label": row.label,
            "total": row.total,
            "by_theme": [
                {"theme": theme, "label": label, "count": count}
                for (theme, label), count in zip(tab.themes, row.cells, strict=True)
                if count != 0
            ],
        }
        for row in tab.rows
        if row.key in codes
    ]


def for_area(
    lsoa_codes: Iterable[str],
    *,
    user: Any = None,
    today: date | None = None,
    recent_days: int = RECENT_DAYS,
    activity_limit: int = ACTIVITY_LIMIT,
) -> dict[str, Any]:
    """Active programmes, recent activities and insight counts for the LSOAs `lsoa_codes`.

    - programmes: active (status "active", not ended before `today`) and either targeting one
      of the LSOAs, their MSOA or their local authority, or with a recent activity in them;
    - activities: held in the LSOAs in the last `recent_days` days, newest first, at most
      `activity_limit`;
    - insights: all insights whose neighbourhood is one of the LSOAs or their MSOAs, counted
      by theme and by ethnic group.

    Counts are true counts when `user` is None or an analyst; pass the viewer as `user` to
    get them as published (every page showing them to non-analysts must): people reached from
    the protected reach table (exact for the organisation that recorded the activity), and
    insights only as the protected table's rows for each neighbourhood (`neighbourhoods`;
    `total`, `by_theme` and `by_group` are then None and empty: a sum over several
    neighbourhoods would be a new, unprotected cell).
    Raises `healthgap.errors.DataSourceError` when the open-data mirror (the area lookups) is
    missing.
    """
    lsoas = sorted(set(lsoa_codes))
    today = today or date.today()
    since = today - timedelta(days=recent_days)

    activities = (
        Activity.objects.filter(lsoa21__in=lsoas, date__gte=since, date__lte=today)
        .select_related("programme")
        .order_by("-date", "-id")[:activity_limit]
    )
    activities = list(activities)
    exact = user is None or sees_everything(user)
    reached = people_reached(ActivityReach.objects.filter(activity__in=activities))
    table = None if exact else reach_table()

    def people(activity: Activity) -> Any:
        if table is None:
            return reached.get(activity.pk, 0)
        return activity_reached(table, activity.pk, exact=exact_for(user, [activity]))

    areas = containing_areas(lsoas)
    active = Programme.objects.filter(status=ProgrammeStatus.ACTIVE).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    working_here = {a.programme_id for a in activities}
    programmes = [
        p
        for p in active.select_related("lead_organisation")
        if p.pk in working_here or areas.intersection(p.target_areas)
    ]

    places = sorted(lsoa_and_msoa(lsoas))
    insights = Insight.objects.filter(neighbourhood__in=places)
    by_theme = dict(insights.values_list("theme").annotate(n=Count("id")).values_list("theme", "n"))
    by_group = dict(
        InsightGroup.objects.filter(insight__in=insights, group_type=GroupType.ETHNICITY)
        .values_list("group")
        .annotate(n=Count("insight", distinct=True))
        .values_list("group", "n")
    )
    return {
        "lsoa_codes": lsoas,
        "programmes": [
            {
                "id": p.pk,
                "name": p.name,
                "kind": p.kind,
                "kind_label": p.get_kind_display(),
                "lead_organisation": p.lead_organisation.name,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "target_areas": sorted(areas.intersection(p.target_areas)),
                "url": p.get_absolute_url(),
            }
            for p in programmes
        ],
        "activities": [
            {
                "id": a.pk,
                "programme_id": a.programme_id,
                "programme": a.programme.name,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "date": a.date,
                "place": a.place,
                "lsoa21": a.lsoa21,
                "people_reached": people(a),
                "url": a.get_absolute_url(),
            }
            for a in activities
        ],
        "insights": {
            "total": insights.count() if exact else None,
            "by_theme": [
                {"theme": theme, "label": Theme(theme).label, "count": by_theme[theme]}
                for theme in Theme.values
                if theme in by_theme and exact
            ],
            "by_group": [
                {
                    "group": group,
                    "label": group_label(group_key(GroupType.ETHNICITY, group)),
                    "count": n,
                }
                for group, n in sorted(by_group.items())
                if exact
            ],
            "neighbourhoods": [] if exact else _published_insights(places),
        },
    }
