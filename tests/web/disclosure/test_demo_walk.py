"""The intruder on the demo ICB: everything a public visitor sees, turned into the linear sums
it implies, solved for every hidden count of 1 to 7 (docs/disclosure.md, "In the app").

* The action demo (`load_demo`: Black Country programmes, activities, insights): every activity
  and programme page, the activity API, the insight summary for every group type and several
  date ranges, and the insight aggregates API.
* The results: the Black Country store in var/results/black-country when present (slow: its
  protected table is cached beside it), else the need tests' hand-made store: the results API
  for an MSOA, its LSOAs, their local authority and the ICB, every breakdown.

Sums the visitor knows, written from the meaning of each figure (not from the code): a reach
table's groups add up to its subtotal; a programme's group is the sum of its activities'; a
programme's insights by theme add up to the insights of its activities; an insight has one
theme and one (or no) neighbourhood, so rows add up to their totals and neighbourhood columns
to the theme totals; a parent area's count is the sum of its children's, and the categories of
a breakdown add up to the area's "All" row.
"""

from __future__ import annotations

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from healthgap.config import DataConfig
from healthgap.disclosure import Relation
from healthgap.indicators.store import open_results
from healthgap.web.action.models import Activity, ActivityReach, Insight, InsightGroup, Programme
from healthgap.web.action.vocab import GroupType, Theme, group_key, group_label
from healthgap.web.need import actions
from healthgap.web.need.models import Area, Result
from tests.web.disclosure.intruder import assert_published, crosstab_cells, narrowed
from tests.web.factories import TEST_JOB

DATES = [{}, {"date_from": "2026-01-01"}, {"date_to": "2025-12-31"},
         {"date_from": "2025-06-01", "date_to": "2026-05-31"}]  # fmt: skip


def reach_cells(key, groups) -> dict:
    shown = {}
    for table in groups:
        shown |= {(key, table.group_type, label): n for label, n in table.rows}
        shown[(key, table.group_type, "all")] = table.subtotal
    return shown


def action_truth() -> tuple[dict, list[Relation]]:
    """True counts of every public action cell, and the sums between them."""
    truth: dict = defaultdict(int)
    parts: dict = defaultdict(set)
    for r in ActivityReach.objects.select_related("activity"):
        a, p = r.activity_id, r.activity.programme_id
        label = group_label(group_key(r.group_type, r.group))
        for key in (a, ("p", p)):
            truth[(key, r.group_type, label)] += r.count
            truth[(key, r.group_type, "all")] += r.count
            parts[(key, r.group_type, "all")].add((key, r.group_type, label))
        parts[(("p", p), r.group_type, label)].add((a, r.group_type, label))
    for activity in Activity.objects.all():
        subtotals = {k: v for k, v in truth.items() if k[0] == activity.pk and k[2] == "all"}
        best = max(subtotals, key=lambda k: (subtotals[k], k[1]), default=None)
        truth[("reached", activity.pk)] = subtotals[best] if best else 0
        if best:
            parts[("reached", activity.pk)].add(best)
        if activity.attendees is not None:
            truth[("att", activity.pk)] = activity.attendees
        truth[("ia", activity.pk)] = activity.insights.count()
        parts[("ip", activity.programme_id, "all")].add(("ia", activity.pk))
        truth.setdefault(("ip", activity.programme_id, "all"), 0)
    for insight in Insight.objects.exclude(source_activity=None).select_related("source_activity"):
        p = insight.source_activity.programme_id
        truth[("ip", p, insight.theme)] += 1
        truth[("ip", p, "all")] += 1
        parts[("ip-themes", p)].add(("ip", p, insight.theme))
    relations = [Relation(("ip", k[1], "all") if k[0] == "ip-themes" else k, tuple(v))
                 for k, v in parts.items()]  # fmt: skip
    return dict(truth), relations


def insight_truth(dimension: str) -> dict:
    """True counts of the public insight table by `dimension`, keyed like `crosstab_cells`."""
    truth: dict = defaultdict(int)
    for insight in Insight.objects.prefetch_related("groups"):
        truth["total"] += 1
        truth[("theme", insight.theme)] += 1
        if dimension == "neighbourhood":
            rows = [insight.neighbourhood]
        else:
            rows = {group_key(g.group_type, g.group) for g in insight.groups.all()
                    if g.group_type == dimension}  # fmt: skip
        for row in rows:
            truth[(row, insight.theme)] += 1
            truth[(row, "all")] += 1
    return truth


@pytest.mark.django_db
@pytest.mark.shared_data
@pytest.mark.slow
def test_public_walk_of_the_action_demo(area_lookups, client):
    call_command("load_demo", stdout=StringIO())
    assert Activity.objects.exists() and Insight.objects.exists()
    shown: dict = {}
    for activity in Activity.objects.all():
        page = client.get(reverse("action:activity-detail", args=[activity.pk])).context
        shown |= reach_cells(activity.pk, page["reach_groups"])
        shown[("reached", activity.pk)] = page["people_reached"]
        shown[("ia", activity.pk)] = page["insight_count"]
        if page["attendees"] is not None:
            shown[("att", activity.pk)] = page["attendees"]
    for programme in Programme.objects.all():
        page = client.get(reverse("action:programme-detail", args=[programme.pk])).context
        shown |= reach_cells(("p", programme.pk), page["reach_groups"])
        labels = {label: value for value, label in Theme.choices}
        shown |= {("ip", programme.pk, labels[label]): n for label, n in page["insight_themes"]}
        for activity, reached in page["activities"]:
            assert reached == shown[("reached", activity.pk)]  # the same cell on both pages
    api = client.get(reverse("api:action-activities"), {"page_size": 100}).json()["items"]
    for item in api:
        assert item["people_reached"] == shown[("reached", item["id"])]
    truth, relations = action_truth()
    assert_published(shown, truth)
    assert any(v == "*" and 1 <= truth[k] <= 7 for k, v in shown.items())  # not vacuous
    assert narrowed(shown, truth, relations) == {}

    url = reverse("action:insight-summary")
    for dimension in [*GroupType.values, "neighbourhood"]:
        answers = []
        for dates in DATES:
            context = client.get(url, {"group_type": dimension, **dates}
                                 if dimension != "neighbourhood" else dates).context  # fmt: skip
            answers.append(context["by_neighbourhood" if dimension == "neighbourhood"
                                   else "by_group"])  # fmt: skip
        assert all(answer == answers[0] for answer in answers)  # nothing to subtract
        aggregates = client.get(
            reverse("api:action-insight-aggregates"),
            {"dimension": dimension, "date_from": "2026-01-01"},
        ).json()
        assert aggregates["total"] == answers[0].total
        cells, sums = crosstab_cells(answers[0], columns_add_up=dimension == "neighbourhood")
        truth = insight_truth(dimension)
        assert_published(cells, truth)
        assert narrowed(cells, truth, sums) == {}
    assert InsightGroup.objects.exists()


BLACK_COUNTRY = DataConfig.from_env().var / "results" / "black-country"


def result_cells(client, codes) -> tuple[dict, dict]:
    """What the results API shows a visitor for `codes` (every indicator, period, breakdown),
    and the true counts, keyed (indicator, period, count, area, category_type, category)."""
    shown, truth = {}, {}
    for code in codes:
        url = reverse("api:need-area-results", args=[code])
        page, more = 1, True
        while more:
            body = client.get(url, {"page": page, "page_size": 100}).json()
            for row in body["items"]:
                for count in ("numerator", "denominator"):
                    key = (row["indicator_id"], row["period"], count, code,
                           row["category_type"], row["category"])  # fmt: skip
                    value = row[count]
                    shown[key] = "*" if row["suppressed"] or value is None else value
            more, page = body.get("count", 0) > page * 100, page + 1
    for r in Result.objects.filter(area_id__in=codes):
        for count in ("numerator", "denominator"):
            value = getattr(r, count)
            key = (r.indicator_id, r.period, count, r.area_id, r.category_type, r.category)
            truth[key] = 0.0 if value is None else value
    return shown, truth


def result_relations(truth: dict, hierarchy: dict) -> list[Relation]:
    """Parent = sum of children (same indicator, period, count, category); an area's All row =
    the sum of each breakdown's categories; each only where it holds in the true counts."""
    relations = []
    for parent, children in hierarchy.items():
        for key in [k for k in truth if k[3] == parent]:
            kids = tuple((*key[:3], child, *key[4:]) for child in children)
            if all(kid in truth for kid in kids) and _adds_up(truth, key, kids):
                relations.append(Relation(key, kids))
    breakdowns = defaultdict(list)
    for key in truth:
        if key[4] != "all":
            breakdowns[(*key[:4], key[4])].append(key)
    for (ind, period, count, area, _), cats in breakdowns.items():
        total = (ind, period, count, area, "all", "All")
        if total in truth and _adds_up(truth, total, cats):
            relations.append(Relation(total, tuple(cats)))
    return relations


def _adds_up(truth: dict, total, parts) -> bool:
    """A sum the public can rely on only when it holds exactly (an MSOA that straddles two
    local authorities, or a breakdown with an unknown category, gives no equation)."""
    return abs(sum(truth[p] for p in parts) - truth[total]) < 0.5


def walk_results(client, msoa: str) -> None:
    area = Area.objects.get(code=msoa)
    lsoas = list(area.children.values_list("code", flat=True))
    lad = area.parent
    msoas = list(lad.children.values_list("code", flat=True))
    codes = [msoa, *lsoas, *msoas, lad.code, lad.parent_id]
    shown, truth = result_cells(client, codes)
    hierarchy = {msoa: lsoas, lad.code: msoas}
    relations = result_relations(truth, hierarchy)
    assert relations
    assert_published(shown, truth)
    assert any(v == "*" and 1 <= truth[k] <= 7 for k, v in shown.items())  # not vacuous
    assert narrowed(shown, truth, relations) == {}


@pytest.mark.django_db
@pytest.mark.shared_data
@pytest.mark.slow
@pytest.mark.skipif(
    not (BLACK_COUNTRY / "CURRENT").is_file(),
    reason="no Black Country results store in var/results/black-country",
)
def test_public_walk_of_black_country_results(client):
    actions.load_results(by=TEST_JOB, root=BLACK_COUNTRY)
    assert open_results(BLACK_COUNTRY).version
    # The MSOA with the most hidden rows, its LSOAs, its local authority's MSOAs, the LA.
    hidden = Result.objects.filter(suppressed=True, area__area_type="msoa21")
    msoa = hidden.values_list("area_id", flat=True).first()
    walk_results(client, msoa)


@pytest.mark.django_db
def test_public_walk_of_a_small_store(loaded, client):
    walk_results(client, "E02000001")
