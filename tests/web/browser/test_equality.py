"""Equality journeys in chromium (issue 11): an equality lead uploads a WRES counts file and
reads indicator 2 with its limits; grades EDS outcomes and sees the overall rating; and a
maturity self-assessment is moderated by a second person."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from healthgap.web.audit.models import AuditEvent
from healthgap.web.equality.models import MaturityAssessment
from tests.web.browser.conftest import follow_menu, sign_in
from tests.web.equality.factories import COUNTS, make_eds, make_lead
from tests.web.factories import make_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_uploads_a_wres_counts_file_and_sees_indicator_2(page, tmp_path):
    make_lead(make_organisation(name="Alpha Trust"), username="lee")
    counts = tmp_path / "counts.csv"
    counts.write_text(COUNTS)

    sign_in(page, "lee")
    follow_menu(page, "Equality")
    page.get_by_role("link", name="Upload a WRES return").click()
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Counts CSV").set_input_files(str(counts))
    page.get_by_role("button", name="Upload").click()
    row = page.locator("#indicator-2")
    # tests/web/equality/factories.py: (60/200) / (30/150) = 1.5, Katz limits 1.02 to 2.20.
    expect(row).to_contain_text("1.50")
    expect(row).to_contain_text("1.02 to 2.20")
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()


def test_a_lead_grades_eds_outcomes_and_sees_the_overall_rating(page):
    trust = make_organisation(name="Alpha Trust")
    make_lead(trust, username="lee")
    eds = make_eds(trust)  # every outcome graded 2: 22 of 33, Achieving

    sign_in(page, "lee")
    page.goto(eds.get_absolute_url())
    expect(page.locator("#overall-rating")).to_contain_text("Achieving (22 of 33)")
    for code in ("2D", "3A"):
        page.get_by_role("link", name=f"Grade {code}").click()
        page.get_by_label("Grade").select_option("1")
        page.get_by_label("Evidence").fill("Staff survey 2025")
        page.get_by_label("Stakeholders").fill("Staff network")
        page.get_by_role("button", name="Save").click()
    # 22 - 1 - 1 = 20: Developing (8 to 21).
    expect(page.locator("#overall-rating")).to_contain_text("Developing (20 of 33)")


def test_a_maturity_self_assessment_is_moderated_by_a_second_person(page):
    trust = make_organisation(name="Alpha Trust")
    make_lead(trust, username="lee")
    make_lead(trust, username="mo")

    sign_in(page, "lee")
    follow_menu(page, "Equality")
    page.get_by_role("link", name="Start a maturity self-assessment").click()
    page.get_by_role("link", name="Anti-racism framework").click()
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_role("radio").nth(1).check()  # level 2 everywhere
    for box in page.get_by_label("Evidence for").all():
        box.fill("Board minutes, March")
    page.get_by_role("button", name="Save self-assessment").click()
    expect(page.locator("#moderation-status")).to_have_text("Not moderated yet.")
    expect(page.locator("svg[role=img]").first).to_be_visible()  # the radar chart
    expect(page.get_by_role("link", name="Moderate")).to_have_count(0)  # not for the assessor

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "mo")
    page.goto(MaturityAssessment.objects.get().get_absolute_url())
    page.get_by_role("link", name="Moderate").click()
    page.get_by_label("Recruitment and career progression").select_option("1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#moderation-status")).to_contain_text("Moderated by mo")
    assessment = MaturityAssessment.objects.get()
    assert assessment.moderated_levels["careers"] == 1
    assert AuditEvent.objects.filter(summary__startswith="Moderated").get().actor_username == "mo"


AXE = "vendor/axe/axe.min.js"


def test_equality_pages_have_no_serious_accessibility_violations(page):
    from django.templatetags.static import static
    from django.urls import reverse

    from tests.web.equality.factories import make_ehia, make_maturity, make_wres

    trust = make_organisation(name="Alpha Trust")
    lead = make_lead(trust, username="lee")
    urls = [
        reverse("equality:home"),
        reverse("equality:wres-upload"),
        make_wres(trust).get_absolute_url(),
        make_eds(trust).get_absolute_url(),
        make_maturity(trust).get_absolute_url(),
        make_ehia(trust, owner=lead).get_absolute_url(),
    ]
    sign_in(page, "lee")
    for url in urls:
        assert page.goto(url).ok, url
        page.add_script_tag(url=static(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not blocking, f"{url}:\n" + "\n".join(blocking)
