"""One rule for "active partner": a cold spot's profile never shows a programme or an activity,
and the profile lists its active partners by the same rule (docs/need.md).

Areas are the geography fixture's (tests/web/need/stores.py): priorities in LSOAs E01000001,
E01000003, E01000005 and MSOA E02000003 (E01000004 and E01000005, in local authority
E08000002).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from healthgap.web.directory.models import CoverageArea
from healthgap.web.need.brokering import cold_spots
from tests.web.action.factories import make_activity, make_programme
from tests.web.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def _cold(user) -> list[str]:
    return [s.area.code for s in cold_spots(user)]


def _profile(client, code: str) -> str:
    return client.get(reverse("need:area", args=[code])).content.decode()


def test_a_cold_spot_never_shows_a_programme_or_an_activity(
    loaded, client_for, use_fixture_geography
):
    analyst = make_user("analyst")
    client = client_for("analyst")
    targeted = make_programme(name="Flu champions in Alpha 001A", target_areas=["E01000001"])
    outreach = make_programme(name="Pop-up clinics")
    make_activity(
        outreach, lsoa21="E01000003", place="Alpha mosque", date=date.today() - timedelta(30)
    )
    # E01000001 has a programme aimed at it, E01000003 an outreach session last month.
    assert _cold(analyst) == ["E01000005", "E02000003"]
    for code in _cold(analyst):
        page = _profile(client, code)
        assert targeted.name not in page and outreach.name not in page
        assert "Alpha mosque" not in page
    # Positive controls: the same work shows on the profiles that are not cold.
    assert targeted.name in _profile(client, "E01000001")
    assert "Alpha mosque" in _profile(client, "E01000003")
    # A programme for the whole local authority shows on its neighbourhoods' profiles, so
    # they are no longer cold spots.
    make_programme(name="Council health checks", target_areas=["E08000002"])
    assert _cold(analyst) == []


def test_local_authority_wide_coverage_is_not_an_active_partner(loaded, client_for):
    council = make_organisation(name="Borough council")
    CoverageArea.objects.create(organisation=council, code="E08000002")
    analyst = make_user("analyst")
    assert "E01000005" in _cold(analyst)  # coverage of the local authority is not presence
    page = _profile(client_for("analyst"), "E01000005")
    assert "No partner is active here" in page
    assert "Also covering the whole local authority (not counted as active here)" in page
    local = make_organisation(name="Beta neighbours")
    CoverageArea.objects.create(organisation=local, code="E02000003")  # its MSOA
    assert "E01000005" not in _cold(analyst)
    page = _profile(client_for("analyst"), "E01000005")
    assert "Beta neighbours</a>: covers the MSOA around it" in page
