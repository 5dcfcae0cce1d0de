"""The neighbourhood profile: figures against the ICB and England, gaps, partners, activities."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from healthgap.errors import DataSourceError
from healthgap.web.directory.models import CommunityChampion, CoverageArea
from healthgap.web.need.charts import dot_whisker
from healthgap.web.need.figures import Figure
from healthgap.web.need.profile import compare
from tests.web.factories import make_organisation
from tests.web.need import stores


def _fig(value, lo, hi):
    return Figure(value, lo, hi, 10.0, 100.0, unit="%")


@pytest.mark.parametrize(
    ("own", "polarity", "expected"),
    [
        (_fig(75, 59.8, 85.8), "higher_is_better", "Similar"),  # CI holds 80
        (_fig(90, 85.0, 95.0), "higher_is_better", "Better"),  # 85 > 80
        (_fig(90, 85.0, 95.0), "lower_is_better", "Worse"),
        (_fig(10, 5.5, 17.4), "higher_is_better", "Worse"),  # 17.4 < 80
        (_fig(10, 5.5, 17.4), "no_judgement", "Lower"),
        (_fig(10, None, None), "higher_is_better", "Not compared"),
        (Figure(None, None, None, None, None, suppressed=True), "higher_is_better", "Not compared"),
    ],
)
def test_compare_with_a_benchmark_uses_the_whole_confidence_interval(own, polarity, expected):
    assert compare(own, _fig(80, 79.9, 80.1), polarity) == expected


def test_dot_whisker_geometry_by_hand():
    chart = dot_whisker(
        [
            ("Area", "a", _fig(50, 40, 60)),
            ("England", "e", _fig(60, 55, 65)),
            ("ICB", "i", Figure(None, None, None, None, None, suppressed=True)),
        ],
        unit="%",
    )
    # Range 40..65, padded by 5% of 25 = 1.25: 38.75..66.25 onto x = 110..460 (350 px).
    area = chart.rows[0]
    assert (area.x, area.x1, area.x2) == (
        round(110 + 11.25 / 27.5 * 350, 1),
        round(110 + 1.25 / 27.5 * 350, 1),
        round(110 + 21.25 / 27.5 * 350, 1),
    )
    assert chart.rows[1].x == round(110 + 21.25 / 27.5 * 350, 1)
    assert (chart.rows[2].x, chart.rows[2].text) == (None, "suppressed")
    assert chart.ticks[0] == (round(110 + 1.25 / 27.5 * 350, 1), "40.0%")
    assert chart.description == (
        "Area: 50.0% (95% CI 40.0 to 60.0); England: 60.0% (95% CI 55.0 to 65.0); ICB: suppressed"
    )
    assert dot_whisker([("Area", "a", None)]) is None


@pytest.mark.django_db
def test_profile_shows_values_with_ci_against_icb_and_england(loaded, client_for):
    page = client_for("public").get(reverse("need:area", args=["E01000002"])).content.decode()
    assert "Alpha 001B" in page
    # Flu: area, ICB and England rows with their intervals and counts, and the comparisons.
    # The public sees limits recomputed from the published (rounded) counts: the ICB's 125 of
    # 310 gives Wilson (125 + 1.92) / 313.84 = 0.4044 +- 1.96 * sqrt(125 * 185 / 310 + 0.96)
    # / 313.84 = 0.0543, so 35.0 to 45.9 (the store's invented limits say 45.8); England's
    # 8,000,000 of 10,000,000: 0.8 +- 1.96 * sqrt(0.8 * 0.2 / 1e7) = 0.00025, so 80.0 to 80.0.
    for text in ("75.0%", "59.8 to 85.8", "40.3%", "35.0 to 45.9", "80.0%", "80.0 to 80.0",
                 "8,000,000", "10,000,000", "Better", "Similar", "Method: Wilson"):  # fmt: skip
        assert text in page, text
    # Emergency admissions (lower is better): 3,900 vs 1,450 (ICB) and 1,400 (England).
    assert "3,900.0 per 100,000" in page and "2,700.0 to 5,400.0" in page
    assert page.count("Worse") == 2
    assert 'role="img"' in page and "<title" in page  # the SVG charts
    assert "Decile 2 of 10" in page and "Core20" in page
    # Breadcrumbs: England > region > ICB > LAD > MSOA.
    assert page.index('href="/need/areas/E92000001/"') < page.index('href="/need/areas/E02000001/"')


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown"),
    [("analyst", True), ("public", False), ("partner", False), ("administrator", False)],
)
def test_small_counts_are_suppressed_for_everyone_but_analysts(loaded, client_for, role, shown):
    page = client_for(role).get(reverse("need:area", args=["E01000001"])).content.decode()
    assert ("12.5%" in page) is shown
    assert ("5.5 to 26.1" in page) is shown
    assert ("Suppressed (based on 1 to 7 people)" in page) is not shown
    # The neighbourhood's SII rests on the same small counts.
    assert ("-1.0" in page) is shown


@pytest.mark.django_db
def test_icb_profile_shows_the_inequality_gap_and_children(loaded, client_for):
    client = client_for("public")
    page = client.get(reverse("need:area", args=[stores.ICB])).content.decode()
    assert "Slope index of inequality (SII)" in page
    assert "-20.5" in page and "-30.1 to -10.9" in page and "PHE phe_sii" in page
    assert "IMD 2025 decile" in page
    assert "4 areas in ICB One" in page  # 2 sub-ICB locations and 2 local authorities
    children = client.get(
        reverse("need:area-children", args=["E02000001"]), {"indicator": stores.FLU}
    ).content.decode()
    assert "Alpha 001A" in children and "Alpha 001B" in children
    assert "43.8%" in children  # the MSOA itself: 43.75 to one decimal place
    assert "75.0%" in children and "Higher" not in children and "Better" in children
    assert "12.5%" not in children


@pytest.mark.django_db
def test_profile_lists_active_partners_and_hides_champions_from_the_public(loaded, client_for):
    organisation = make_organisation(name="Beta Food Bank")
    CoverageArea.objects.create(organisation=organisation, code="E01000002")
    make_organisation(name="Far Away Group")
    champion = CommunityChampion.objects.create(name="Amina Khan", consent_given_on=date.today())
    CoverageArea.objects.create(champion=champion, code="E02000001")
    url = reverse("need:area", args=["E01000002"])
    public = client_for("public").get(url).content.decode()
    assert "Beta Food Bank</a>: covers this neighbourhood" in public
    assert "Far Away Group" not in public
    assert "Amina Khan" not in public
    assert "Community Champions working here: *." in public
    partner = client_for("partner").get(url).content.decode()
    assert "Amina Khan (Community Champion): covers the MSOA around it" in partner


@pytest.mark.django_db
def test_profile_shows_activities_and_insights_from_the_action_app(loaded, client, monkeypatch):
    from healthgap.web.action import queries

    calls = []

    def for_area(lsoa_codes, *, user=None):
        calls.append(sorted(lsoa_codes))
        return {
            "lsoa_codes": sorted(lsoa_codes),
            "programmes": [{"name": "Vaccine ambassadors", "kind_label": "Ambassadors",
                            "lead_organisation": "Council", "url": "/action/programmes/1/"}],
            "activities": [{"date": date(2025, 1, 5), "kind_label": "Outreach session",
                            "programme": "Vaccine ambassadors", "place": "Mosque hall",
                            "people_reached": "*", "url": "/action/activities/1/"}],
            "insights": {"total": 12, "by_theme": [{"label": "Language", "count": 12}],
                         "by_group": []},
        }  # fmt: skip

    monkeypatch.setattr(queries, "for_area", for_area)
    page = client.get(reverse("need:area", args=["E02000001"])).content.decode()
    assert calls == [["E01000001", "E01000002"]]
    assert "Vaccine ambassadors" in page and "Mosque hall" in page and "Language" in page

    def missing(lsoa_codes, *, user=None):
        raise DataSourceError("no lookups")

    monkeypatch.setattr(queries, "for_area", missing)
    page = client.get(reverse("need:area", args=["E02000001"]))
    assert page.status_code == 200
    assert "What is happening here" not in page.content.decode()


@pytest.mark.django_db
def test_unknown_area_is_404(client):
    assert client.get(reverse("need:area", args=["E01999999"])).status_code == 404
