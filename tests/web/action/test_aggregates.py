"""Aggregate counts, checked against counts worked out by hand from the records made here."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from healthgap.web.action.aggregates import (
    by_group,
    by_neighbourhood,
    people_reached,
    reach_by_group,
)
from healthgap.web.action.charts import bar_chart
from healthgap.web.action.models import ActivityReach, Insight
from healthgap.web.action.published import crosstab_for
from tests.web.action.factories import SANDWELL_LSOA, make_activity, make_insight
from tests.web.disclosure.intruder import assert_published, crosstab_cells, narrowed
from tests.web.factories import make_user

pytestmark = pytest.mark.django_db

MSOA = "E02002051"  # Sandwell 009, which holds SANDWELL_LSOA


@pytest.fixture
def insights():
    """13 insights:

    i1 language [Pakistani, Bangladeshi] at the LSOA    i2 language [Pakistani] at the LSOA
    i3 trust [Pakistani, aged 65+] at the MSOA          i4 cost [no group], no place
    i5 trust [Indian] at the LSOA                        i6-i13 transport [Indian] at the MSOA
    """
    pak, ban, ind = "ethnicity:Pakistani", "ethnicity:Bangladeshi", "ethnicity:Indian"
    make_insight("language", (pak, ban), neighbourhood=SANDWELL_LSOA)
    make_insight("language", (pak,), neighbourhood=SANDWELL_LSOA)
    make_insight("trust", (pak, "age:65 and over"), neighbourhood=MSOA)
    make_insight("cost", ())
    make_insight("trust", (ind,), neighbourhood=SANDWELL_LSOA)
    for _ in range(8):
        make_insight("transport", (ind,), neighbourhood=MSOA)
    return Insight.objects.all()


def test_theme_by_ethnic_group(insights):
    tab = by_group(insights)
    # Themes with insights, in taxonomy order: language, trust, transport, cost.
    assert [value for value, _ in tab.themes] == ["language", "trust", "transport", "cost"]
    # Rows in ONS order (Bangladeshi 1, Indian 3, Pakistani 4); cells language/trust/transport/cost.
    assert [(row.label, row.cells, row.total) for row in tab.rows] == [
        ("Bangladeshi", (1, 0, 0, 0), 1),  # i1
        ("Indian", (0, 1, 8, 0), 1 + 8),  # i5; i6-i13
        ("Pakistani", (2, 1, 0, 0), 2 + 1),  # i1, i2; i3
    ]
    # Each insight once per theme, grouped or not: language i1+i2, trust i3+i5, ...
    assert tab.theme_totals == (2, 2, 8, 1)
    assert tab.total == 13


def test_theme_by_age_band_counts_only_that_group_type(insights):
    tab = by_group(insights, "age")
    assert [(row.label, row.cells, row.total) for row in tab.rows] == [
        ("Aged 65 and over", (0, 1, 0, 0), 1)  # i3
    ]


def test_theme_by_neighbourhood(insights):
    tab = by_neighbourhood(insights)
    rows = {row.key: (row.cells, row.total) for row in tab.rows}
    assert rows == {
        SANDWELL_LSOA: ((2, 1, 0, 0), 3),  # i1, i2 language; i5 trust
        MSOA: ((0, 1, 8, 0), 9),  # i3 trust; i6-i13 transport
    }
    assert tab.total == 13  # i4 has no neighbourhood but is still an insight


def test_filtered_insights_are_counted_alone(insights):
    tab = by_group(insights.filter(theme="language"))
    assert [(row.label, row.cells) for row in tab.rows] == [
        ("Bangladeshi", (1,)),
        ("Pakistani", (2,)),
    ]
    assert tab.total == 2


@pytest.mark.parametrize("role", ["administrator", "partner", "champion"])
def test_non_analysts_see_the_protected_table_of_all_insights(insights, role):
    # Even asked for language insights only, a non-analyst gets the whole published table.
    tab = crosstab_for(insights.filter(theme="language"), "ethnicity", make_user(role))
    truth, _ = crosstab_cells(by_group(insights), columns_add_up=False)
    shown, relations = crosstab_cells(tab, columns_add_up=False)
    assert_published(shown, truth)
    # Small numbers hidden: Bangladeshi language 1 (i1), Indian trust 1 (i5), Pakistani
    # language 2 (i1, i2), trust 1 (i3) and total 3; the 13 insights shown as 15 (13 -> 15).
    for label in [("ethnicity:Bangladeshi", "language"), ("ethnicity:Indian", "trust"),
                  ("ethnicity:Pakistani", "language"), ("ethnicity:Pakistani", "all")]:  # fmt: skip
        assert shown[label] == "*", label
    assert tab.total == 15
    assert narrowed(shown, truth, relations) == {}


def test_the_public_sees_protected_cells_and_analysts_see_numbers(insights):
    public = crosstab_for(insights, "neighbourhood", AnonymousUser())
    rows = {row.key: row for row in public.rows}
    # i1, i2 language and i5 trust at the LSOA (2 and 1): hidden.
    assert rows[SANDWELL_LSOA].cells[:2] == ("*", "*")
    # i4 has no neighbourhood: its own row, so each theme's column adds up to its total.
    assert "" in rows
    truth = {**crosstab_cells(by_neighbourhood(insights), columns_add_up=False)[0]}
    truth.update({("", t): n for t, n in zip(["language", "trust", "transport", "cost"],
                                             (0, 0, 0, 1), strict=True)})  # fmt: skip
    truth[("", "all")] = 1
    shown, relations = crosstab_cells(public, columns_add_up=True)
    assert_published(shown, truth)
    assert narrowed(shown, truth, relations) == {}
    analyst_tab = crosstab_for(insights, "ethnicity", make_user("analyst"))
    assert analyst_tab.rows[0].cells == (1, 0, 0, 0)


def test_people_reached_sum_within_group_types():
    a1 = make_activity(
        reach={"ethnicity:Pakistani": 10, "ethnicity:Indian": 3, "age:65 and over": 5}
    )
    a2 = make_activity(reach={"ethnicity:Pakistani": 4, "ethnicity:Bangladeshi": 8})
    reach = ActivityReach.objects.all()
    # a1: ethnic groups 10 + 3 = 13 people, age bands 5: the larger type sum counts people.
    assert people_reached(reach) == {a1.pk: 13, a2.pk: 4 + 8}

    tables = reach_by_group(reach)
    assert [(t.group_type, t.rows, t.subtotal) for t in tables] == [
        # Bangladeshi 8; Indian 3; Pakistani 10 + 4 = 14; in ONS order; 8 + 3 + 14 = 25.
        ("ethnicity", (("Bangladeshi", 8), ("Indian", 3), ("Pakistani", 14)), 25),
        ("age", (("Aged 65 and over", 5),), 5),
    ]


def test_bar_chart_scales_to_the_largest_and_draws_no_bar_for_stars():
    chart = bar_chart("By theme", [("Trust", 10), ("Cost", "*"), ("Transport", 5)])
    widths = [bar.width for bar in chart.bars]
    assert widths == [300, 0, 150]  # 300 px for the largest; 5 / 10 of it
    assert [bar.value for bar in chart.bars] == [10, "*", 5]
    assert chart.height == 3 * 28
