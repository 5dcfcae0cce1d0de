"""Insight pages (public aggregates, single insights for those allowed, recording) and the CSV
exports (audited, suppressed for non-analysts)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from healthgap.web.action.forms import PERSONAL_DATA_WARNING
from healthgap.web.action.models import Insight
from healthgap.web.audit.models import Action, AuditEvent
from tests.web.action.factories import SANDWELL_LSOA, make_activity, make_insight, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def insights(role_users):
    """3 language insights for Pakistani people (partner's), 9 trust for Indian (champion's)."""
    for _ in range(3):
        make_insight(
            "language",
            ("ethnicity:Pakistani",),
            organisation=role_users["partner"].organisation,
            neighbourhood=SANDWELL_LSOA,
            date=date(2026, 1, 10),
        )
    for _ in range(9):
        make_insight(
            "trust",
            ("ethnicity:Indian",),
            organisation=role_users["champion"].organisation,
            date=date(2026, 6, 10),
        )


def rows(tab):
    return {row.label: (row.cells, row.total) for row in tab.rows}


@pytest.mark.parametrize(
    ("role", "pakistani"),
    [("public", "*"), ("administrator", "*"), ("partner", "*"), ("champion", "*"), ("analyst", 3)],
)
def test_summary_suppresses_small_counts_for_all_but_analysts(
    client_for, insights, role, pakistani
):
    page = client_for(role).get(reverse("action:insight-summary"))
    tab = rows(page.context["by_group"])
    chart = page.context["chart"]
    assert [bar.label for bar in chart.bars] == ["Language", "Trust"]
    assert chart.bars[0].value == pakistani
    if role == "analyst":
        assert tab == {"Indian": ((0, 9), 9), "Pakistani": ((3, 0), 3)}
        assert chart.bars[1].value == 9 and chart.bars[0].width == round(300 * 3 / 9)
        return
    # Pakistani language 3 and its row total 3 hidden; Indian trust 9 shown as 10 (or hidden:
    # the grand total 12 -> 10 beside trust 9 -> 10 would leave language at 0..4).
    assert tab["Pakistani"][0][0] == "*" and tab["Pakistani"][1] == "*"
    assert tab["Indian"][0][1] in (10, "*") and tab["Indian"][1] in (10, "*")
    assert chart.bars[0].width == 0
    assert "*" in (chart.bars[1].value, page.context["by_group"].total)
    assert "<svg" in page.text


def test_summary_filters(client_for, insights):
    client = client_for("analyst")
    url = reverse("action:insight-summary")
    by_theme = client.get(url, {"theme": "trust"}).context["by_group"]
    assert rows(by_theme) == {"Indian": ((9,), 9)}
    by_date = client.get(url, {"date_to": "2026-02-01"}).context["by_group"]
    assert rows(by_date) == {"Pakistani": ((3,), 3)}
    by_group = client.get(url, {"group": "ethnicity:Indian"}).context["by_group"]
    assert by_group.total == 9
    by_place = client.get(url, {"neighbourhood": SANDWELL_LSOA}).context["by_neighbourhood"]
    assert [(row.key, row.total) for row in by_place.rows] == [(SANDWELL_LSOA, 3)]


def test_summary_filters_by_programme_through_the_source_activity(client_for):
    programme = make_programme()
    activity = make_activity(programme=programme)
    make_insight("cost", ("ethnicity:Indian",), source_activity=activity)
    make_insight("cost", ("ethnicity:Indian",))
    tab = (
        client_for("analyst")
        .get(reverse("action:insight-summary"), {"programme": programme.pk})
        .context["by_group"]
    )
    assert tab.total == 1


def test_a_bad_filter_is_reported_not_applied(client_for, insights):
    page = client_for("analyst").get(
        reverse("action:insight-summary"), {"neighbourhood": "nowhere"}
    )
    assert "Not an LSOA or MSOA code" in page.text
    assert page.context["by_group"].total == 12


def test_summary_by_age_band(client_for):
    make_insight("transport", ("age:65 and over", "ethnicity:Indian"))
    tab = (
        client_for("analyst")
        .get(reverse("action:insight-summary"), {"group_type": "age"})
        .context["by_group"]
    )
    assert rows(tab) == {"Aged 65 and over": ((1,), 1)}


@pytest.mark.parametrize(
    ("role", "count"), [("administrator", 12), ("analyst", 12), ("partner", 3), ("champion", 9)]
)
def test_single_insights_are_listed_to_analysts_admins_and_their_own_organisation(
    client_for, insights, role, count
):
    page = client_for(role).get(reverse("action:insight-list"))
    assert page.context["page"].paginator.count == count


def test_the_public_cannot_list_single_insights(client_for, insights):
    response = client_for("public").get(reverse("action:insight-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def insight_data(**overrides):
    return {
        "kind": "idea",
        "theme": "access",
        "summary": "Open on Saturdays.",
        "ethnic_groups": ["ethnicity:Caribbean"],
        "plus_groups": ["plus:Carers"],
        "age_bands": [],
        "languages": [],
        "neighbourhood": "E02002051",
        "source_activity": "",
        "date": "2026-05-04",
        **overrides,
    }


@pytest.mark.parametrize(
    ("role", "status", "owner"),
    [
        ("public", 302, None),
        ("administrator", 302, "none"),
        ("analyst", 403, None),
        ("partner", 302, "partner"),
        ("champion", 302, "champion"),
    ],
)
def test_record_insight_by_role(client_for, role_users, role, status, owner):
    response = client_for(role).post(reverse("action:insight-create"), insight_data())
    assert response.status_code == status
    insight = Insight.objects.first()
    if owner is None:
        assert insight is None
        return
    assert insight.organisation == (None if owner == "none" else role_users[owner].organisation)
    assert sorted(g.label for g in insight.groups.all()) == ["Carers", "Caribbean"]
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="action.insight").exists()


def test_the_form_warns_against_personal_data(client_for):
    page = client_for("champion").get(reverse("action:insight-create"))
    assert PERSONAL_DATA_WARNING in page.text
    assert "No personal data" in page.text


def test_only_activities_of_own_programmes_can_be_the_source(client_for, role_users):
    mine = make_activity(programme=make_programme(lead=role_users["partner"].organisation))
    theirs = make_activity()
    client = client_for("partner")
    bad = client.post(reverse("action:insight-create"), insight_data(source_activity=theirs.pk))
    assert "Select a valid choice" in bad.text
    assert not Insight.objects.exists()
    client.post(reverse("action:insight-create"), insight_data(source_activity=mine.pk))
    assert Insight.objects.get().source_activity == mine


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("neighbourhood", "E08000028", "Not an LSOA or MSOA code"), ("summary", "", "required")],
)
def test_record_insight_errors(client_for, field, value, message):
    page = client_for("partner").post(
        reverse("action:insight-create"), insight_data(**{field: value})
    )
    assert page.status_code == 200 and message in page.text
    assert not Insight.objects.exists()


# --- exports ---------------------------------------------------------------------------------
def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(("role", "small"), [("analyst", "3"), ("administrator", "*")])
def test_insight_export_is_aggregate_suppressed_and_audited(client_for, insights, role, small):
    response = client_for(role).get(
        reverse("action:export", args=["insights"]), {"theme": "language"}
    )
    table = read_csv(response)
    ethnic = {
        (r["label"], r["theme"]): r["insights"] for r in table if r["dimension"] == "ethnicity"
    }
    if role == "analyst":  # the filtered counts: Pakistani language 3
        assert ethnic == {("Pakistani", "language"): "3", ("Pakistani", "all"): "3"}
    else:  # the published table of all insights, whatever the filter
        assert ethnic[("Pakistani", "language")] == small and ethnic[("Pakistani", "all")] == small
        assert ("Indian", "trust") in ethnic
    assert {"summary", "text"}.isdisjoint(table[0])  # counts only, never what people said
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.object_type == "action.insights"
    assert event.changes["filters"] == {"theme": "language"}
    assert event.changes["rows"] == len(table)


@pytest.mark.parametrize(("role", "small"), [("analyst", "5"), ("administrator", "*")])
def test_activity_and_reach_exports(client_for, role, small):
    programme = make_programme(name="Checks")
    make_activity(programme=programme, reach={"ethnicity:Indian": 40, "age:65 and over": 5})
    make_activity(date=date(2020, 1, 1), reach={"ethnicity:Indian": 1})
    client = client_for(role)
    activities = read_csv(
        client.get(reverse("action:export", args=["activities"]), {"programme": programme.pk})
    )
    assert [(a["programme"], a["people_reached"]) for a in activities] == [("Checks", "40")]
    reach = read_csv(
        client.get(reverse("action:export", args=["reach"]), {"date_from": "2025-01-01"})
    )
    assert [(r["group"], r["count"]) for r in reach] == [("65 and over", small), ("Indian", "40")]
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 2
