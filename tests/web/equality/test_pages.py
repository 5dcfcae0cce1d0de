"""Equality pages as the equality lead: own organisation against another (object
permissions), every change audit-logged, uploads rejected whole, ratings shown."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.equality.models import EDSOutcome, MaturityAssessment, WRESReturn
from tests.web.equality.factories import (
    COUNTS,
    make_eds,
    make_ehia,
    make_lead,
    make_maturity,
    make_wres,
)
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client):
    user = make_lead(make_organisation(name="Trust A"))
    client.force_login(user)
    return user


def _pages(pk_of):
    return [
        ("equality:wres-detail", {"pk": pk_of["wres"]}),
        ("equality:wres-narrative", {"pk": pk_of["wres"]}),
        ("equality:wres-report", {"pk": pk_of["wres"]}),
        ("equality:eds-detail", {"pk": pk_of["eds"]}),
        ("equality:eds-outcome", {"pk": pk_of["eds"], "code": "2B"}),
        ("equality:maturity-detail", {"pk": pk_of["maturity"]}),
        ("equality:maturity-moderate", {"pk": pk_of["maturity"]}),
        ("equality:ehia-detail", {"pk": pk_of["ehia"]}),
        ("equality:ehia-export", {"pk": pk_of["ehia"]}),
    ]


def _records(organisation):
    return {
        "wres": make_wres(organisation).pk,
        "eds": make_eds(organisation).pk,
        "maturity": make_maturity(organisation).pk,
        "ehia": make_ehia(organisation).pk,
    }


def test_the_lead_of_another_organisation_gets_404(client, lead):
    other = _records(make_organisation(name="Trust B"))
    for name, kwargs in _pages(other):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_the_lead_reads_and_changes_their_own_organisation(client, lead):
    own = _records(lead.organisation)
    for name, kwargs in _pages(own):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_lists_show_only_the_own_organisation(client, lead):
    make_wres(make_organisation(name="Trust B"), year="2024")
    make_wres(lead.organisation, year="2025")
    page = client.get(reverse("equality:home")).content.decode()
    assert "WRES 2025" in page and "WRES 2024" not in page


def test_wres_upload_shows_indicator_2_and_is_audited(client, lead):
    upload = SimpleUploadedFile("counts.csv", COUNTS.encode())
    response = client.post(reverse("equality:wres-upload"), {"year": "2025", "counts": upload})
    wres = WRESReturn.objects.get(organisation=lead.organisation, year="2025")
    assert response.status_code == 302
    page = client.get(wres.get_absolute_url()).content.decode()
    # Worked in factories.py: RL 1.5, 95% limits 1.02 to 2.20.
    assert "1.50" in page and "1.02 to 2.20" in page
    event = AuditEvent.objects.get(object_type="equality.wresreturn", object_id=str(wres.pk))
    assert event.action == Action.IMPORT and event.actor == lead


def test_a_bad_counts_file_is_rejected_whole_with_every_problem(client, lead):
    bad = "indicator,ethnicity,numerator,denominator\n2,White,60,50\n2,Purple,3,10\n3,White,1,10\n"
    upload = SimpleUploadedFile("counts.csv", bad.encode())
    response = client.post(reverse("equality:wres-upload"), {"year": "2025", "counts": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "more than the denominator" in page  # row 1
    assert "&#x27;Purple&#x27; is not White, BME or Unknown" in page  # row 2
    assert "indicator 3 needs a White and a BME row" in page  # whole file
    assert not WRESReturn.objects.exists()


def test_grading_an_outcome_changes_the_rating_and_is_audited(client, lead):
    eds = make_eds(lead.organisation)
    # 4 x 2 (1A-1D, median of three services graded 2) + 7 x 2 = 22: Achieving (22-32).
    assert "Achieving" in client.get(eds.get_absolute_url()).content.decode()
    url = reverse("equality:eds-outcome", kwargs={"pk": eds.pk, "code": "2D"})
    data = {"grade": "1", "evidence": "Staff survey", "stakeholders": "Staff network"}
    assert client.post(url, data).status_code == 302
    # 22 - 1 = 21: Developing (8-21), as in the Leeds example (docs/equality.md).
    page = client.get(eds.get_absolute_url()).content.decode()
    assert "<strong>Developing</strong> (21 of 33)" in page
    outcome = EDSOutcome.objects.get(eds=eds, code="2D")
    event = AuditEvent.objects.filter(
        object_type="equality.edsoutcome", object_id=str(outcome.pk)
    ).first()
    assert event.action == Action.CHANGE and event.changes == {
        "grade": [2, 1],
        "evidence": ["Survey", "Staff survey"],
    }


def test_the_published_summary_is_public_and_an_unpublished_one_is_not(client, lead):
    eds = make_eds(lead.organisation)
    client.logout()
    url = reverse("equality:eds-summary", kwargs={"pk": eds.pk})
    assert client.get(url).status_code == 404
    client.force_login(lead)
    assert (
        client.post(
            reverse("equality:eds-publish", kwargs={"pk": eds.pk}), {"published": "yes"}
        ).status_code
        == 302
    )
    client.logout()
    assert client.get(url).status_code == 200


def test_moderation_needs_a_second_person(client, lead):
    assessment = make_maturity(lead.organisation, assessor=lead)
    url = reverse("equality:maturity-moderate", kwargs={"pk": assessment.pk})
    data = {
        "moderated_on": "2026-01-10",
        "notes": "Agreed",
        **{f"level_{d}": "2" for d in assessment.ratings},
    }
    page = client.post(url, data).content.decode()
    assert "Moderation needs a second person" in page
    second = make_lead(lead.organisation)
    client.force_login(second)
    assert client.post(url, data | {"level_careers": "1"}).status_code == 302
    assessment = MaturityAssessment.objects.get(pk=assessment.pk)
    assert assessment.moderated_levels["careers"] == 1 and assessment.moderator == second
    event = AuditEvent.objects.filter(
        object_type="equality.maturityassessment", action=Action.CHANGE
    ).get()
    assert event.changes["changed_levels"] == {"careers": [2, 1]}


def test_ehia_moves_only_when_the_stage_is_complete(client, lead):
    ehia = make_ehia(lead.organisation, owner=lead)
    move = reverse("equality:ehia-move", kwargs={"pk": ehia.pk})
    client.post(move, {"direction": "advance"})
    ehia.refresh_from_db()
    assert ehia.stage == "prepare"
    client.post(ehia.get_absolute_url(), {"scope": "The clinic", "groups_considered": "Carers"})
    client.post(move, {"direction": "advance"})
    ehia.refresh_from_db()
    assert ehia.stage == "assess" and ehia.history[0]["by"] == lead.username
    assert AuditEvent.objects.filter(
        object_type="equality.impactassessment", summary__contains="to assess"
    ).exists()


def test_downloads_are_audited_as_exports(client, lead):
    wres = make_wres(lead.organisation)
    response = client.get(reverse("equality:wres-report", kwargs={"pk": wres.pk}))
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.changes == {"format": "pdf", "policy": "public"} and event.actor == lead


def test_ehia_csv_export_neutralises_formulas_and_is_audited(client, lead):
    ehia = make_ehia(lead.organisation, owner=lead)
    client.post(ehia.get_absolute_url(), {"scope": "=HYPERLINK(1)", "groups_considered": "Carers"})
    url = reverse("equality:ehia-export", kwargs={"pk": ehia.pk}) + "?format=csv"
    body = client.get(url).content.decode()
    assert "assessment,scope,'=HYPERLINK(1)" in body
    assert AuditEvent.objects.get(action=Action.EXPORT).changes["format"] == "csv"


def test_the_equity_profile_is_pulled_from_the_loaded_results_small_counts_hidden(client, lead):
    from healthgap.web.need.models import Result
    from tests.web.need.factories import make_area, make_indicator

    area, flu = make_area(), make_indicator()
    rows = [
        ("core20", "Core20", 30, 100, 30.0),
        ("core20", "Not Core20", 60, 100, 60.0),
        ("imd_quintile", "1", 5, 40, 12.5),
        ("imd_quintile", "2", 30, 50, 60.0),
    ]
    for kind, category, x, n, value in rows:
        Result.objects.create(
            indicator=flu,
            period="2024/25",
            area=area,
            category_type=kind,
            category=category,
            numerator=x,
            denominator=n,
            value=value,
        )
    ehia = make_ehia(lead.organisation, owner=lead)
    url = reverse("equality:ehia-profile", kwargs={"pk": ehia.pk})
    assert client.post(url, {"area": area.code, "indicators": [flu.id]}).status_code == 302
    ehia.refresh_from_db()
    # Higher is better: Core20 30.0 against 60.0 elsewhere, a gap of -30, so Core20 is worse.
    core = ehia.profile["core20"][0]
    assert (core["core20_value"], core["rest_value"], core["core20_worse"]) == (30.0, 60.0, True)
    # Quintile 1 has a numerator of 5 (1 to 7): hidden; quintile 2 is shown.
    values = {r["category"]: r["value"] for r in ehia.profile["imd_quintile"]}
    assert values == {"1": None, "2": 60.0}
    assert AuditEvent.objects.filter(summary__startswith="Pulled the equity profile").exists()


def test_only_analysts_may_download_the_unsuppressed_wres_report(client, lead):
    from tests.web.factories import make_user

    wres = make_wres(lead.organisation)
    url = reverse("equality:wres-report", kwargs={"pk": wres.pk}) + "?policy=none&format=html"
    assert client.get(url).status_code == 200
    client.force_login(make_user("analyst"))
    assert client.get(url).status_code == 200
    policies = list(
        AuditEvent.objects.filter(action=Action.EXPORT)
        .order_by("id")
        .values_list("changes__policy", flat=True)
    )
    assert policies == ["public", "none"]


def test_an_administrator_uploads_for_a_chosen_organisation(client):
    from tests.web.factories import make_user

    trust = make_organisation(name="Trust C")
    client.force_login(make_user("administrator"))
    upload = SimpleUploadedFile("counts.csv", COUNTS.encode())
    data = {"organisation": trust.pk, "year": "2025", "counts": upload}
    assert client.post(reverse("equality:wres-upload"), data).status_code == 302
    assert WRESReturn.objects.get().organisation == trust


def test_a_year_column_must_match_the_return(client, lead):
    counts = "year,indicator,ethnicity,numerator,denominator\n2024,2,White,6,20\n2025,2,BME,3,10\n"
    upload = SimpleUploadedFile("counts.csv", counts.encode())
    page = client.post(reverse("equality:wres-upload"), {"year": "2025", "counts": upload})
    assert "&#x27;2024&#x27; is not the year of this return (2025)." in page.content.decode()
    assert not WRESReturn.objects.exists()


def test_eds_compares_with_the_previous_year(client, lead):
    from healthgap.web.equality import actions
    from tests.web.factories import TEST_JOB

    last = make_eds(lead.organisation, year="2023/24")
    actions.grade_outcome(
        by=TEST_JOB, eds=last, code="2D", grade=1, evidence="Survey", stakeholders="Staff network"
    )
    this = make_eds(lead.organisation, year="2024/25")
    page = client.get(this.get_absolute_url()).content.decode()
    # The Leeds example (docs/equality.md): 21 Developing, then 2D rises to 2: 22 Achieving.
    assert "Compared with 2023/24" in page
    overall = page.split("<td>Overall</td>")[1].split("</tr>")[0]
    assert "<td>21</td><td>22</td><td>1</td><td>Developing → Achieving</td>" in overall


def test_maturity_progress_over_time(client, lead):
    from datetime import date

    from healthgap.web.equality import actions

    first = make_maturity(lead.organisation, assessor=lead)  # level 2 everywhere, 5 Jan 2026
    ratings = {d: (3 if d == "careers" else 2, ["Panel audit"]) for d in first.ratings}
    later = actions.create_self_assessment(
        by=lead,
        organisation=lead.organisation,
        framework="anti-racism",
        assessed_on=date(2026, 6, 1),
        ratings=ratings,
    )
    page = client.get(later.get_absolute_url()).content.decode()
    row = page.split("<td>1 Jun 2026</td><td>Recruitment and career progression</td>")[1]
    assert row.startswith("<td>3</td><td>1</td>")  # level 3, up 1 from 2
    assert page.count('class="series"') == 2  # both assessments on the radar
