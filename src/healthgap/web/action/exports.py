"""CSV exports: activities, people reached by group, and insight aggregates.

Every count is a cell of the protected reach or insight table (`action.published`; analysts,
and the organisation that recorded an activity, get its true counts), insight exports hold
aggregates only, never the text of single insights, and every cell is made spreadsheet-safe
(`healthgap.disclosure.safe_csv_cell`: text starting = + - @ cannot run as a formula). The view
audits each export (`actions.record_export`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from healthgap.disclosure import safe_csv_cell
from healthgap.web.action.aggregates import CrossTab
from healthgap.web.action.models import Activity, ActivityReach, Insight
from healthgap.web.action.published import (
    activity_reached,
    cell,
    crosstab_for,
    exact_for,
    reach_table,
)
from healthgap.web.action.vocab import GROUPS, GroupType

EXPORTS = ("activities", "reach", "insights")


def activity_rows(activities: QuerySet[Activity], user: Any) -> Iterator[list[Any]]:
    activities = activities.select_related("programme", "organisation").prefetch_related("partners")
    table = reach_table()
    yield [
        "activity_id", "programme_id", "programme", "kind", "date", "place", "lsoa21",
        "recorded_by_organisation", "partners", "people_reached", "attendees", "outcomes",
    ]  # fmt: skip
    for a in activities:
        exact = exact_for(user, [a])
        yield [
            a.pk, a.programme_id, a.programme.name, a.kind, a.date.isoformat(), a.place,
            a.lsoa21, a.organisation.name if a.organisation else "",
            "; ".join(o.name for o in a.partners.all()),
            activity_reached(table, a.pk, exact=exact),
            "" if a.attendees is None else cell(table, ("att", a.pk), exact=exact), a.outcomes,
        ]  # fmt: skip


def reach_rows(activities: QuerySet[Activity], user: Any) -> Iterator[list[Any]]:
    reach = ActivityReach.objects.filter(activity__in=activities).select_related(
        "activity__programme"
    )
    table = reach_table()
    yield ["activity_id", "programme", "date", "lsoa21", "group_type", "group", "count"]
    for r in reach.order_by("activity__date", "activity_id", "group_type", "group"):
        a = r.activity
        label = ("a", a.pk, r.group_type, r.group)
        yield [
            a.pk, a.programme.name, a.date.isoformat(), a.lsoa21, r.group_type, r.group,
            cell(table, label, exact=exact_for(user, [a])),
        ]  # fmt: skip


def _crosstab_rows(dimension: str, tab: CrossTab) -> Iterator[list[Any]]:
    for row in tab.rows:
        for (theme, _), count in zip(tab.themes, row.cells, strict=True):
            yield [dimension, row.key, row.label, theme, count]
        yield [dimension, row.key, row.label, "all", row.total]


def insight_rows(insights: QuerySet[Insight], user: Any) -> Iterator[list[Any]]:
    """Long table: dimension (group type or "neighbourhood"), key, label, theme, insights.
    Non-analysts get the published table of all insights, whatever the filters."""
    yield ["dimension", "key", "label", "theme", "insights"]
    for group_type in GROUPS:
        yield from _crosstab_rows(group_type, crosstab_for(insights, group_type, user))
    yield from _crosstab_rows("neighbourhood", crosstab_for(insights, "neighbourhood", user))
    totals = crosstab_for(insights, GroupType.ETHNICITY, user)
    for (theme, _), count in zip(totals.themes, totals.theme_totals, strict=True):
        yield ["all", "", "All insights", theme, count]
    yield ["all", "", "All insights", "all", totals.total]


def to_csv(rows: Iterator[list[Any]]) -> tuple[str, int]:
    """CSV text and the number of data rows (the header excluded)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = -1
    for row in rows:
        writer.writerow([safe_csv_cell(value) for value in row])
        count += 1
    return buffer.getvalue(), max(count, 0)
