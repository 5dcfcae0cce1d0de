"""The action and library demo: Black Country programmes on real LSOAs, safe to load twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from healthgap.geography import lsoas_in
from healthgap.web.accounts.authorization import can_edit
from healthgap.web.accounts.models import User
from healthgap.web.action.models import Activity, ActivityReach, Insight, Programme
from healthgap.web.action.permissions import can_record
from healthgap.web.action.vocab import ActivityKind, Theme
from healthgap.web.library.models import CaseStudy

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]


def test_demo_loads_black_country_action_once(area_lookups):
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    # Four community programmes + the evaluation demo's two (docs/evaluation.md).
    assert Programme.objects.count() == 6
    assert Activity.objects.count() == 20
    assert Insight.objects.count() == 30
    assert CaseStudy.objects.count() == 3
    assert CaseStudy.objects.filter(published=True).count() == 2
    printed = out.getvalue()
    assert "Demo programmes: 6 created with 20 activities and 30 insights" in printed
    assert "(6 existed)" in printed

    black_country = set(lsoas_in(icb="E54000062"))
    assert set(Activity.objects.values_list("lsoa21", flat=True)) <= black_country
    placed = set(Insight.objects.exclude(neighbourhood="").values_list("neighbourhood", flat=True))
    msoas = set(area_lookups.loc[area_lookups["icb24_code"] == "E54000062", "msoa21_code"])
    assert placed <= black_country | msoas
    assert set(Insight.objects.values_list("theme", flat=True)) == set(Theme.values)
    assert Activity.objects.filter(kind=ActivityKind.COPRODUCTION).exclude(outcomes="").count() == 4
    assert ActivityReach.objects.filter(group_type="ethnicity").exists()

    # The demo accounts can record and change activities (and the champion leads a programme).
    partner = User.objects.get(username="partner")
    champion = User.objects.get(username="champion")
    for user in (partner, champion):
        assert any(can_record(user, p) for p in Programme.objects.all())
        assert any(can_edit(user, a) for a in Activity.objects.all())
    assert any(can_edit(champion, p) for p in Programme.objects.all())  # leads health checks
