"""Aggregate counts: insights by theme x group and theme x neighbourhood, people reached by
group. All counting happens in the database (GROUP BY). These are the true counts, for analysts;
everyone else sees the cells of the protected tables in `healthgap.web.action.published`
(`published.crosstab_for` picks one or the other).

Counting rules:

- an insight that speaks for several groups counts once in each of their rows, so a row total
  is the number of distinct insights for that group, and a theme's total is the number of
  distinct insights with that theme (not the sum of its column);
- people reached are summed within one group type: a person is in one ethnic group *and* one age
  band, so adding counts across types would count people twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from healthgap.web.action.areas import area_names
from healthgap.web.action.models import ActivityReach, Insight, InsightGroup
from healthgap.web.action.vocab import GROUPS, GroupType, Theme, group_key, group_label


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Any, ...]
    total: Any


@dataclass(frozen=True)
class CrossTab:
    """Insight counts: a row per group (or neighbourhood), a column per theme."""

    row_heading: str
    themes: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]
    theme_totals: tuple[Any, ...]
    total: Any

    @property
    def labelled_rows(self) -> tuple[tuple[Row, tuple[tuple[str, Any], ...]], ...]:
        """Each row with its cells as (theme label, count): a phone's stacked table labels
        every cell (the NHS.UK responsive table)."""
        labels = [label for _, label in self.themes]
        return tuple((row, tuple(zip(labels, row.cells, strict=True))) for row in self.rows)

    @property
    def labelled_totals(self) -> tuple[tuple[str, Any], ...]:
        return tuple(zip([label for _, label in self.themes], self.theme_totals, strict=True))


def _themes(insights: QuerySet[Insight]) -> dict[str, int]:
    counts = dict(insights.values_list("theme").annotate(n=Count("id")).values_list("theme", "n"))
    return {value: counts[value] for value in Theme.values if value in counts}


def _crosstab(
    insights: QuerySet[Insight],
    row_heading: str,
    cells: Iterable[tuple[str, str, int]],
    totals: dict[str, int],
    label: Callable[[str], str],
    order: Callable[[str], Any],
) -> CrossTab:
    theme_counts = _themes(insights)
    themes = tuple((value, Theme(value).label) for value in theme_counts)
    grid: dict[str, dict[str, int]] = defaultdict(dict)
    for row_key, theme, n in cells:
        grid[row_key][theme] = n
    rows = tuple(
        Row(key, label(key), tuple(grid[key].get(t, 0) for t, _ in themes), totals[key])
        for key in sorted(grid, key=order)
    )
    return CrossTab(
        row_heading=row_heading,
        themes=themes,
        rows=rows,
        theme_totals=tuple(theme_counts.values()),
        total=insights.count(),
    )


def by_group(insights: QuerySet[Insight], group_type: str = GroupType.ETHNICITY) -> CrossTab:
    """Insights by group (of one group type) x theme."""
    links = InsightGroup.objects.filter(insight__in=insights, group_type=group_type)
    cells = [
        (group_key(group_type, group), theme, n)
        for group, theme, n in links.values_list("group", "insight__theme")
        .annotate(n=Count("insight", distinct=True))
        .values_list("group", "insight__theme", "n")
    ]
    totals = {
        group_key(group_type, group): n
        for group, n in links.values_list("group")
        .annotate(n=Count("insight", distinct=True))
        .values_list("group", "n")
    }
    position = {group_key(group_type, g): i for i, g in enumerate(GROUPS[group_type])}
    return _crosstab(
        insights, GroupType(group_type).label, cells, totals, group_label, position.__getitem__
    )


def by_neighbourhood(insights: QuerySet[Insight]) -> CrossTab:
    """Insights by neighbourhood (LSOA or MSOA code) x theme; insights with none left out."""
    placed = insights.exclude(neighbourhood="")
    cells = list(
        placed.values_list("neighbourhood", "theme")
        .annotate(n=Count("id"))
        .values_list("neighbourhood", "theme", "n")
    )
    totals = dict(
        placed.values_list("neighbourhood")
        .annotate(n=Count("id"))
        .values_list("neighbourhood", "n")
    )
    names = area_names(totals)

    def label(code: str) -> str:
        return f"{names[code]} ({code})" if code in names else code

    return _crosstab(insights, "Neighbourhood", cells, totals, label, label)


@dataclass(frozen=True)
class ReachGroup:
    """People reached in each group of one group type, and their sum."""

    group_type: str
    label: str
    rows: tuple[tuple[str, Any], ...]
    subtotal: Any


def reach_by_group(reach: QuerySet[ActivityReach]) -> list[ReachGroup]:
    """People reached, summed by group within each group type (true counts)."""
    sums = (
        reach.values_list("group_type", "group")
        .annotate(n=Sum("count"))
        .values_list("group_type", "group", "n")
    )
    by_type: dict[str, dict[str, int]] = defaultdict(dict)
    for group_type, group, n in sums:
        by_type[group_type][group] = n
    result = []
    for group_type, groups in GROUPS.items():
        if group_type not in by_type:
            continue
        counts = by_type[group_type]
        rows = tuple(
            (group_label(group_key(group_type, g)), counts[g]) for g in groups if g in counts
        )
        subtotal = sum(counts.values())
        result.append(ReachGroup(group_type, GroupType(group_type).label, rows, subtotal))
    return result


def people_reached(reach: QuerySet[ActivityReach]) -> dict[int, int]:
    """Activity id -> people reached: the largest sum over its group types (unsuppressed).

    Each group type counts the same people a different way, so the largest type sum is the
    best count of distinct people the activity recorded.
    """
    sums = (
        reach.values_list("activity_id", "group_type")
        .annotate(n=Sum("count"))
        .values_list("activity_id", "n")
    )
    best: dict[int, int] = {}
    for activity_id, n in sums:
        best[activity_id] = max(best.get(activity_id, 0), n)
    return best
