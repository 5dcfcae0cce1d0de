"""The action app's published tables: activity reach and insight counts, each protected WHOLE by
`healthgap.disclosure.protect_table` with every sum published beside it (docs/disclosure.md,
"In the app").

* Reach: for every activity and group type, the people reached in each group and their
  subtotal; for every programme, the same summed over its activities (a cell per programme x
  group = the sum of its activities' cells; a programme's subtotal = the sum of its groups =
  the sum of its activities' subtotals); and each co-production meeting's attendees.
* Insights: for every group type, insights by group x theme with the row totals; insights by
  neighbourhood x theme (insights with no neighbourhood form their own row, so each theme's
  column adds up to the theme's total), the theme totals and the grand total; insights raised
  at each activity, and per programme by theme with its total (= the sum of its activities).

A table is protected from all records at once, whatever a page's filters, paging or dates, so
no two answers can be subtracted to reveal a hidden count; it is recomputed only when the
records change (a fingerprint of the counts keys a per-process cache). Pages for non-analysts
show only cells of these tables. Analysts (`sees_everything`) see the true counts, and so does
the organisation that recorded an activity, for that activity's own cells.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count, QuerySet

from healthgap.disclosure import Relation, protect_table
from healthgap.web.action.aggregates import CrossTab, ReachGroup, Row, by_group, by_neighbourhood
from healthgap.web.action.areas import area_names
from healthgap.web.action.models import Activity, ActivityReach, Insight, InsightGroup
from healthgap.web.action.vocab import GROUPS, GroupType, Theme, group_key, group_label
from healthgap.web.disclosure import sees_everything, shown

ALL = "all"


@dataclass(frozen=True)
class Published:
    """A protected table (`frame`: `protect_table`'s result) with its cells by label."""

    frame: pd.DataFrame
    counts: dict[Hashable, int] = field(default_factory=dict)
    shown: dict[Hashable, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Published:
        labels = list(frame.index)
        counts = dict(zip(labels, frame["count"].astype(int), strict=True))
        published = dict(zip(labels, map(shown, frame["published"]), strict=True))
        return cls(frame, counts, published)

    def __contains__(self, label: Hashable) -> bool:
        return label in self.counts

    @property
    def index(self) -> list[Hashable]:
        return list(self.counts)


_CACHE: dict[str, tuple[str, Published]] = {}


def _protected(name: str, counts: dict[Hashable, int], relations: list[Relation]) -> Published:
    """`protect_table` of `counts` with `relations`, cached while the counts stay the same."""
    fingerprint = hashlib.sha256(repr(sorted(counts.items(), key=repr)).encode()).hexdigest()
    cached = _CACHE.get(name)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    series = pd.Series(list(counts.values()), index=pd.Index(list(counts), tupleize_cols=False))
    empty = pd.DataFrame({"count": [], "published": [], "suppression": []})
    table = Published.of(protect_table(series, relations, "public") if counts else empty)
    _CACHE[name] = (fingerprint, table)
    return table


def cell(table: Published, label: Hashable, *, exact: bool = False) -> Any:
    """A cell as shown: the true count when `exact`, else the published count ("*" when
    hidden); 0 for a cell the table lacks (nothing recorded)."""
    if label not in table:
        return 0
    return table.counts[label] if exact else table.shown[label]


# --- reach ---------------------------------------------------------------------------------
class _Table:
    """Counts by cell label and the sums between them, built up one record at a time."""

    def __init__(self) -> None:
        self.counts: dict[Hashable, int] = defaultdict(int)
        self.sums: dict[Hashable, dict[Hashable, None]] = defaultdict(dict)

    def add(self, label: Hashable, n: int, *totals: Hashable) -> None:
        """Add `n` to cell `label` and to each of `totals`, recording `label` as a part of
        each total's sum."""
        self.counts[label] += n
        for total in totals:
            self.counts[total] += n
            self.sums[total][label] = None

    def protected(self, name: str) -> Published:
        relations = [Relation(total[-1] if total[0] == "sum" else total, tuple(parts))
                     for total, parts in self.sums.items()]  # fmt: skip
        return _protected(name, dict(self.counts), relations)


def reach_table() -> Published:
    """The protected reach table. Labels: ("a", activity, group_type, group | ALL),
    ("p", programme, group_type, group | ALL), ("att", activity)."""
    table = _Table()
    rows = ActivityReach.objects.values_list(
        "activity_id", "activity__programme_id", "group_type", "group", "count"
    )
    for activity, programme, group_type, group, n in rows.order_by("activity_id", "id"):
        a_all, p_all = ("a", activity, group_type, ALL), ("p", programme, group_type, ALL)
        p_cell = ("p", programme, group_type, group)
        table.add(("a", activity, group_type, group), n, a_all, p_cell)
        table.counts[p_all] += n
        table.sums[p_all][p_cell] = None
        # a programme's subtotal is also the sum of its activities' subtotals
        table.sums[("sum", "activities", p_all)][a_all] = None
    for activity, attendees in Activity.objects.filter(attendees__isnull=False).values_list(
        "id", "attendees"
    ):
        table.add(("att", activity), attendees)
    return table.protected("reach")


def owns_activity(user: Any, activity: Activity) -> bool:
    """True when `user`'s organisation recorded `activity` (it sees that activity exactly)."""
    organisation = getattr(user, "organisation_id", None)
    return organisation is not None and activity.organisation_id == organisation


def exact_for(user: Any, activities: list[Activity]) -> bool:
    """Whether `user` sees counts made only of `activities` exactly: analysts always, an
    organisation when it recorded every one of them."""
    if sees_everything(user):
        return True
    return bool(activities) and all(owns_activity(user, a) for a in activities)


def activity_reached(table: Published, activity_id: int, *, exact: bool) -> Any:
    """People an activity reached: its largest group-type subtotal (each group type counts the
    same people another way), as shown."""
    subtotals = [("a", activity_id, t, ALL) for t in GROUPS if ("a", activity_id, t, ALL) in table]
    if not subtotals:
        return 0
    best = max(subtotals, key=lambda label: (table.counts[label], label[2]))
    return cell(table, best, exact=exact)


def reach_groups(table: Published, kind: str, key: int, *, exact: bool) -> list[Any]:
    """ReachGroup rows of activity (`kind` "a") or programme ("p") `key`, as shown."""
    out = []
    for group_type, groups in GROUPS.items():
        if (kind, key, group_type, ALL) not in table:
            continue
        rows = tuple(
            (group_label(group_key(group_type, g)), cell(table, (kind, key, group_type, g),
                                                          exact=exact))
            for g in groups
            if (kind, key, group_type, g) in table
        )  # fmt: skip
        subtotal = cell(table, (kind, key, group_type, ALL), exact=exact)
        out.append(ReachGroup(group_type, GroupType(group_type).label, rows, subtotal))
    return out


# --- insights ------------------------------------------------------------------------------
def insight_table() -> Published:
    """The protected insight table. Labels: ("g", group_type, group, theme | ALL),
    ("n", neighbourhood or "", theme | ALL), ("t", theme | ALL), ("ia", activity),
    ("ip", programme, theme | ALL)."""
    table = _Table()
    places = Insight.objects.values_list("neighbourhood", "theme").annotate(n=Count("id"))
    for place, theme, n in places.values_list("neighbourhood", "theme", "n"):
        # row: the place's total; column: the theme's total; both add up to ("t", ALL)
        table.add(("n", place, theme), n, ("n", place, ALL), ("t", theme))
        table.counts[("t", ALL)] += n
        table.sums[("t", ALL)][("t", theme)] = None
        table.sums[("sum", "places", ("t", ALL))][("n", place, ALL)] = None
    grouped = InsightGroup.objects.values_list("group_type", "group", "insight__theme")
    for group_type, group, theme, n in grouped.annotate(
        n=Count("insight", distinct=True)
    ).values_list("group_type", "group", "insight__theme", "n"):
        # one theme per insight, so a group's insights are the sum over themes
        table.add(("g", group_type, group, theme), n, ("g", group_type, group, ALL))
    by_activity = dict(
        Insight.objects.exclude(source_activity=None).values_list("source_activity")
        .annotate(n=Count("id")).values_list("source_activity", "n")
    )  # fmt: skip
    for activity, programme in Activity.objects.values_list("id", "programme_id"):
        table.add(("ia", activity), by_activity.get(activity, 0))
        table.sums[("sum", "activities", ("ip", programme, ALL))][("ia", activity)] = None
        table.counts.setdefault(("ip", programme, ALL), 0)
    themed = Insight.objects.exclude(source_activity=None).values_list(
        "source_activity__programme", "theme"
    )
    for programme, theme, n in themed.annotate(n=Count("id")).values_list(
        "source_activity__programme", "theme", "n"
    ):
        table.add(("ip", programme, theme), n, ("ip", programme, ALL))
    return table.protected("insights")


def insight_crosstab(table: Published, dimension: str) -> CrossTab:
    """The published CrossTab of group type `dimension` (or "neighbourhood") from the whole
    insight table: every cell as published ("*" hidden)."""
    themes = tuple((t, Theme(t).label) for t in Theme.values if ("t", t) in table)
    if dimension == "neighbourhood":
        codes = sorted({k[1] for k in table.index if k[0] == "n"}, key=lambda c: (c == "", c))
        names = area_names([c for c in codes if c])
        heading = "Neighbourhood"
        keys = [(c, ("n", c)) for c in codes]

        def label(code: str) -> str:
            if not code:
                return "No neighbourhood recorded"
            return f"{names[code]} ({code})" if code in names else code
    else:
        present = {k[2] for k in table.index if k[0] == "g" and k[1] == dimension}
        heading = GroupType(dimension).label
        keys = [(group_key(dimension, g), ("g", dimension, g)) for g in GROUPS[dimension]
                if g in present]  # fmt: skip
        label = group_label
    rows = tuple(
        Row(key, label(key), tuple(cell(table, (*prefix, t)) for t, _ in themes),
            cell(table, (*prefix, ALL)))
        for key, prefix in keys
    )  # fmt: skip
    return CrossTab(heading, themes, rows, tuple(cell(table, ("t", t)) for t, _ in themes),
                    cell(table, ("t", ALL)))  # fmt: skip


def crosstab_for(insights: QuerySet[Insight], dimension: str, user: Any) -> CrossTab:
    """Insight counts by `dimension` (a group type or "neighbourhood") as `user` may see them:
    analysts get the true counts of the filtered `insights`; everyone else the published
    cross-tab of ALL insights (filters do not apply, so two answers cannot be subtracted)."""
    if sees_everything(user):
        if dimension == "neighbourhood":
            return by_neighbourhood(insights)
        return by_group(insights, dimension)
    return insight_crosstab(insight_table(), dimension)
