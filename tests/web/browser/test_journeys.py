"""The four journeys of issue 5, clicked through in chromium as a person would do them.

Areas and figures come from the hand-made store (tests/web/need/stores.py): LSOA E01000001
"Alpha 001A" has a flu vaccination figure of 5 out of 40 (12.5%), E01000002 "Alpha 001B" 30 of
40, and the rank-1 priority is Black residents of E01000005 "Beta 001B".
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import Community, CommunityChampion, CoverageArea
from healthgap.web.need.models import Introduction, Priority
from tests.web.action.factories import make_activity, make_programme
from tests.web.browser.conftest import follow_menu, sign_in
from tests.web.factories import make_organisation, make_user
from tests.web.need.stores import FLU

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLACK = "Black, Black British, Black Welsh, Caribbean or African"


def test_a_partner_records_an_activity_and_sees_it_on_the_neighbourhood_profile(page, results):
    voices = make_organisation(name="Alpha Community Voices")
    make_user("partner", username="pat", organisation=voices)
    make_programme(lead=voices, name="Flu jabs in Alpha")
    today = timezone.localdate()

    sign_in(page, "pat")
    follow_menu(page, "Programmes")
    page.get_by_role("link", name="Flu jabs in Alpha").click()
    page.get_by_role("link", name="Record an activity").click()
    page.get_by_label("What kind of activity").select_option("outreach")
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Place", exact=True).fill("Alpha library, coffee morning")
    page.get_by_label("Neighbourhood (LSOA 2021 code)").fill("E01000002")
    page.get_by_label("Group, row 1").select_option("ethnicity:Pakistani")
    page.get_by_label("People reached, row 1").fill("12")
    page.get_by_role("button", name="Save activity").click()
    expect(page.get_by_text("Alpha library, coffee morning").first).to_be_visible()

    page.goto(reverse("need:area", args=["E01000002"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha 001B")
    row = page.get_by_role("row").filter(has_text="Alpha library, coffee morning")
    expect(row).to_contain_text("Flu jabs in Alpha")
    expect(row.get_by_role("cell").last).to_have_accessible_name("12")
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="action.activity")
    assert event.actor.username == "pat"


def test_an_analyst_opens_the_atlas_picks_an_indicator_and_brokers_an_introduction(page, results):
    hub = make_organisation(name="Beta Health Hub", capacity_people_per_month=40)
    CoverageArea.objects.create(organisation=hub, code="E01000005")
    hub.communities.set([Community.objects.get(kind="ethnic_group", label=BLACK)])
    make_user("analyst", username="ana")

    sign_in(page, "ana")
    with page.expect_response(re.compile(r"/need/atlas/data\.json")):
        follow_menu(page, "Atlas")
    page.get_by_label("Indicator").select_option(FLU)
    with page.expect_response(re.compile(rf"/need/atlas/data\.json\?.*indicator={FLU}")) as data:
        page.get_by_role("button", name="Show on the map").click()
    assert data.value.ok and data.value.json()["features"]
    expect(page.locator("#atlas-map canvas.maplibregl-canvas")).to_be_visible()
    expect(page.locator("#atlas-title")).to_contain_text("Flu vaccination")

    page.locator("#atlas-table summary").click()  # the map's figures as a table
    page.get_by_role("link", name="Beta 001B").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beta 001B")
    priority = Priority.objects.get(rank=1)
    page.locator(f"a[href='{reverse('need:priority-detail', args=[priority.pk])}']").click()
    candidates = page.get_by_role("table", name=re.compile("can reach"))
    expect(candidates).to_contain_text("Beta Health Hub")
    who = page.get_by_label("Who to introduce")
    who.select_option(who.locator("option", has_text="Beta Health Hub").get_attribute("value"))
    page.get_by_label("Notes (optional)").fill("Hub runs Saturday sessions for Black elders.")
    page.get_by_role("button", name="Propose introduction").click()
    expect(
        page.get_by_text("Introduction of Beta Health Hub recorded as proposed.")
    ).to_be_visible()

    introduction = Introduction.objects.get()
    assert (introduction.to_organisation, introduction.status) == (hub, "proposed")
    assert (introduction.area_code, introduction.category) == ("E01000005", "Black")
    assert AuditEvent.objects.filter(action=Action.CREATE, actor__username="ana").exists()


def test_a_champion_withdraws_consent(page, transactional_db):
    circle = make_organisation(name="Alpha Health Circle")
    chris = make_user("champion", username="chris", organisation=circle)
    record = CommunityChampion.objects.create(
        name="Chris Example",
        email="chris@example.org",
        phone="07700 900123",
        organisation=circle,
        user=chris,
        consent_given_on=timezone.localdate(),
    )

    sign_in(page, "chris")
    follow_menu(page, "Champions")
    page.get_by_role("link", name="Your champion record").click()
    expect(page.get_by_text("chris@example.org")).to_be_visible()
    page.get_by_role("link", name="Withdraw consent").click()
    page.get_by_label(re.compile("I understand that the personal details will be erased")).check()
    page.get_by_role("button", name="Withdraw consent and erase details").click()
    expect(
        page.get_by_text("Your consent has been withdrawn and your personal details erased.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Your champion record")).to_have_count(0)

    record.refresh_from_db()
    assert record.withdrawn and record.user is None
    assert (record.name, record.email, record.phone) == ("", "", "")


def test_a_public_visitor_sees_only_suppressed_figures(page, results, client):
    activity = make_activity(reach={"ethnicity:Roma": 4, "ethnicity:Indian": 20})
    profile = reverse("need:area", args=["E01000001"])
    # The seed really holds the small numbers: an analyst sees them.
    client.force_login(make_user("analyst"))
    assert "12.5" in client.get(profile).content.decode()

    page.goto(profile)
    # Cells are read by their accessible name: a phone's stacked table repeats the column
    # label in each cell, hidden from assistive technology (aria-hidden), not from textContent.
    flu = page.get_by_role("table", name=re.compile("Flu vaccination"))
    first_row = flu.get_by_role("row").nth(1)
    expect(first_row.get_by_role("rowheader")).to_have_accessible_name("Alpha 001A")
    expect(first_row.get_by_role("cell").first).to_have_accessible_name("*")
    expect(first_row).to_contain_text("Suppressed (based on 1 to 7 people)")
    expect(page.locator("main")).not_to_contain_text("12.5")

    follow_menu(page, "Priorities")
    page.get_by_label("Indicator (ranking within one indicator)").select_option(FLU)
    page.get_by_role("button", name="Show").click()
    # Alpha 001A's priority rests on 5 of 40 people: not published, so the public ranking
    # leaves it out (docs/priorities.md, "In the app"); a published one is listed.
    expect(page.get_by_role("row").filter(has_text="Alpha 002A")).to_have_count(1)
    expect(page.get_by_role("row").filter(has_text="Alpha 001A")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("12.5")

    page.goto(activity.get_absolute_url())
    roma = page.get_by_role("row").filter(has_text="Roma")
    expect(roma.get_by_role("cell").last).to_have_accessible_name("*")
    expect(
        page.get_by_role("row").filter(has_text="Indian").get_by_role("cell").last
    ).to_have_accessible_name("20")
