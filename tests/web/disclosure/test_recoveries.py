"""The ways issue 8 recovered hidden figures from the app as a stranger, one test each.

Each test scrapes what a public visitor sees, states the sums a visitor knows, and asks the
intruder (`tests.web.disclosure.intruder`, i.e. `healthgap.disclosure.intruder`) for every
hidden count of 1 to 7. Each also shows the recovery as it worked before the boundary: the
same page with only the small count starred and every other count exact (`rounded=False`), for
which the intruder pins the hidden count down. (The sixth way, a hidden priority's headroom
bounded by its neighbours' ranks, is in the priorities views, which another change protects.)
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from healthgap.disclosure import Relation
from healthgap.web.action.aggregates import by_group
from healthgap.web.action.models import Insight
from tests.web.action.factories import make_activity, make_insight, make_programme
from tests.web.disclosure.intruder import assert_published, crosstab_cells, narrowed
from tests.web.need import stores

pytestmark = pytest.mark.django_db


def reach_shown(groups) -> dict:
    """Scraped reach tables: {(group_type, label): count} and {(group_type, "all"): subtotal}."""
    shown = {}
    for table in groups:
        shown |= {(table.group_type, label): n for label, n in table.rows}
        shown[(table.group_type, "all")] = table.subtotal
    return shown


def test_activity_reach_by_group_against_its_total(client):
    # The issue's /action/activities/5/: 91 - 27 - 19 - 42 = 3.
    reach = {"ethnicity:Indian": 27, "ethnicity:Pakistani": 19, "ethnicity:Bangladeshi": 42,
             "ethnicity:Roma": 3}  # fmt: skip
    activity = make_activity(reach=reach)
    page = client.get(reverse("action:activity-detail", args=[activity.pk])).context
    shown = reach_shown(page["reach_groups"])
    truth = {("ethnicity", g.split(":")[1]): n for g, n in reach.items()}
    truth[("ethnicity", "all")] = 27 + 19 + 42 + 3  # 91
    groups = tuple(k for k in truth if k[1] != "all")
    relations = [Relation(("ethnicity", "all"), groups)]
    before = {k: ("*" if v == 3 else v) for k, v in truth.items()}
    assert narrowed(before, truth, relations, rounded=False) == {("ethnicity", "Roma"): (3, 3)}
    assert page["people_reached"] == shown[("ethnicity", "all")]
    assert shown[("ethnicity", "Roma")] == "*"
    assert_published(shown, truth)
    assert narrowed(shown, truth, relations) == {}


def test_programme_reach_by_age_band(client):
    programme = make_programme()
    first = {"age:16 to 24": 20, "age:25 to 34": 2, "age:35 to 49": 30}
    second = {"age:16 to 24": 15, "age:25 to 34": 1, "age:35 to 49": 12}
    a1 = make_activity(programme=programme, reach=first)
    a2 = make_activity(programme=programme, reach=second)
    pages = {
        "p": client.get(reverse("action:programme-detail", args=[programme.pk])).context,
        a1.pk: client.get(reverse("action:activity-detail", args=[a1.pk])).context,
        a2.pk: client.get(reverse("action:activity-detail", args=[a2.pk])).context,
    }
    shown = {}
    for key, page in pages.items():
        shown |= {(key, *label): n for label, n in reach_shown(page["reach_groups"]).items()}
    bands = ("Aged 16 to 24", "Aged 25 to 34", "Aged 35 to 49")
    truth = {}
    for key, reach in ((a1.pk, first), (a2.pk, second)):
        truth |= {(key, "age", b): n for b, n in zip(bands, reach.values(), strict=True)}
        truth[(key, "age", "all")] = sum(reach.values())  # 52 and 28
    for b in bands:  # 35, 3, 42: programme reach by age band
        truth[("p", "age", b)] = truth[(a1.pk, "age", b)] + truth[(a2.pk, "age", b)]
    truth[("p", "age", "all")] = 52 + 28
    relations = [Relation((k, "age", "all"), tuple((k, "age", b) for b in bands))
                 for k in ("p", a1.pk, a2.pk)]  # fmt: skip
    relations += [Relation(("p", "age", b), ((a1.pk, "age", b), (a2.pk, "age", b))) for b in bands]
    before = {k: ("*" if 1 <= v <= 7 else v) for k, v in truth.items()}
    assert ("p", "age", "Aged 25 to 34") in narrowed(before, truth, relations, rounded=False)
    assert_published(shown, truth)
    assert narrowed(shown, truth, relations) == {}


def flu_counts(client, codes) -> tuple[dict, dict]:
    """Scraped FLU whole-population numerators and denominators of `codes` (results API)."""
    shown = {}
    for code in codes:
        url = reverse("api:need-area-results", args=[code])
        for row in client.get(url, {"indicator": stores.FLU, "category_type": "all"}).json()[
            "items"
        ]:
            for count in ("numerator", "denominator"):
                value = row[count]
                shown[(code, count)] = "*" if row["suppressed"] or value is None else value
    truth = {}
    for ind, _, code, ctype, _, num, den, *_ in stores.RESULTS:
        if ind == stores.FLU and ctype == "all" and code in codes:
            truth[(code, "numerator")], truth[(code, "denominator")] = num, den
    return shown, truth


HIERARCHY = {"E02000001": ("E01000001", "E01000002"), "E02000002": ("E01000003",),
             "E02000003": ("E01000004", "E01000005"),
             stores.ICB: ("E02000001", "E02000002", "E02000003")}  # fmt: skip


def hierarchy_relations() -> list[Relation]:
    return [
        Relation((parent, count), tuple((child, count) for child in children))
        for parent, children in HIERARCHY.items()
        for count in ("numerator", "denominator")
    ]


def test_msoa_profile_minus_its_lsoas(loaded, client):
    # MSOA E02000001: 35 = LSOA E01000001 (5, hidden) + LSOA E01000002 (30): 35 - 30 = 5.
    codes = ["E02000001", "E01000001", "E01000002"]
    profiles = {
        code: {
            p.indicator.id: p.area
            for p in client.get(reverse("need:area", args=[code])).context["profiles"]
        }
        for code in codes
    }
    shown = {
        (code, "numerator"): "*" if prof[stores.FLU].suppressed else prof[stores.FLU].numerator
        for code, prof in profiles.items()
    }
    truth = {("E02000001", "numerator"): 35, ("E01000001", "numerator"): 5,
             ("E01000002", "numerator"): 30}  # fmt: skip
    relations = [Relation(("E02000001", "numerator"), (("E01000001", "numerator"),
                                                       ("E01000002", "numerator")))]  # fmt: skip
    before = {k: ("*" if v == 5 else v) for k, v in truth.items()}
    assert narrowed(before, truth, relations, rounded=False) == {("E01000001", "numerator"): (5, 5)}
    assert shown[("E01000001", "numerator")] == "*"
    assert_published(shown, truth)
    assert narrowed(shown, truth, relations) == {}


def test_results_api_msoa_minus_lsoas_and_icb_minus_msoas(loaded, client):
    codes = [stores.ICB, *HIERARCHY["E02000001"], *HIERARCHY["E02000002"],
             *HIERARCHY["E02000003"], *HIERARCHY[stores.ICB]]  # fmt: skip
    shown, truth = flu_counts(client, codes)
    before = {k: ("*" if 1 <= v <= 7 else v) for k, v in truth.items()}
    assert ("E01000001", "numerator") in narrowed(before, truth, hierarchy_relations(),
                                                  rounded=False)  # fmt: skip
    assert_published(shown, truth)
    assert narrowed(shown, truth, hierarchy_relations()) == {}


def test_insight_counts_through_two_date_filters(client):
    # 3 Pakistani insights in January, 9 Indian in June: all 12 minus June's 9 = January's 3.
    for _ in range(3):
        make_insight("language", ("ethnicity:Pakistani",), date=date(2026, 1, 10))
    for _ in range(9):
        make_insight("trust", ("ethnicity:Indian",), date=date(2026, 6, 10))
    url = reverse("action:insight-summary")
    whole = client.get(url).context["by_group"]
    june = client.get(url, {"date_from": "2026-06-01"}).context["by_group"]
    before = {"all": 12, "june": 9, "january": "*"}
    truth = {"all": 12, "june": 9, "january": 3}
    assert narrowed(before, truth, [Relation("all", ("june", "january"))], rounded=False) == {
        "january": (3, 3)
    }
    # Now both answers are the one published table: nothing to subtract.
    assert whole == june
    shown, relations = crosstab_cells(whole, columns_add_up=False)
    cells, _ = crosstab_cells(by_group(Insight.objects.all()), columns_add_up=False)
    assert_published(shown, cells)
    # Each insight has one theme: the grand total is the sum of the theme totals.
    assert narrowed(shown, cells, relations) == {}
