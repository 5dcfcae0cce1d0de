"""The equality form pages post through `healthgap.web.core.forms.submit`: a valid POST writes,
shows the message and redirects; what the action refuses (a ValidationError, or a library
`AssessmentError`) comes back on the form with nothing written."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from healthgap.web.equality.models import EDSAction, EDSReturn, ImpactAssessment, WRESAction
from tests.web.equality.factories import make_eds, make_lead, make_wres
from tests.web.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

PLAN_LINE = {"action": "Review shortlisting panels", "owner": "Director of People"}


@pytest.fixture
def lead(client):
    user = make_lead(make_organisation(name="Trust A"))
    client.force_login(user)
    return user


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_starting_an_eds_redirects_to_it_and_a_second_for_the_year_is_refused(client, lead):
    url = reverse("equality:eds-create")
    first = client.post(url, {"year": "2025/26"})
    eds = EDSReturn.objects.get(organisation=lead.organisation)
    assert first.status_code == 302 and first.url == eds.get_absolute_url()
    assert _messages(first) == ["EDS 2022 started."]
    again = client.post(url, {"year": "2025/26"})
    assert again.status_code == 200
    assert "already has an EDS for that year" in again.content.decode()
    assert EDSReturn.objects.filter(organisation=lead.organisation).count() == 1


def test_an_account_without_an_organisation_is_told_so_on_the_form(client):
    client.force_login(make_user("equality_lead", organisation=None))
    for name, data in (
        ("equality:eds-create", {"year": "2025/26"}),
        ("equality:ehia-create", {"title": "Clinic", "service_change": "Closure"}),
    ):
        response = client.post(reverse(name), data)
        assert response.status_code == 200, name
        assert "Your account belongs to no organisation." in response.content.decode(), name
    assert not EDSReturn.objects.exists() and not ImpactAssessment.objects.exists()


def test_eds_action_plan_line_is_added_with_its_outcome(client, lead):
    eds = make_eds(lead.organisation)
    url = reverse("equality:eds-action-add", kwargs={"pk": eds.pk})
    missing_due = client.post(url, {"target": "2D", **PLAN_LINE})
    assert missing_due.status_code == 200 and not EDSAction.objects.exists()
    saved = client.post(url, {"target": "2D", "due": "2026-03-31", **PLAN_LINE})
    assert saved.status_code == 302 and saved.url == eds.get_absolute_url()
    assert _messages(saved) == ["Action added."]
    line = EDSAction.objects.get(eds=eds)
    assert (line.outcome, line.owner, line.due.isoformat()) == (
        "2D",
        "Director of People",
        "2026-03-31",
    )


def test_wres_action_plan_line_is_added_with_its_indicator(client, lead):
    wres = make_wres(lead.organisation)
    url = reverse("equality:wres-action-add", kwargs={"pk": wres.pk})
    page = client.get(url).content.decode()
    assert "Add a WRES 2025 action" in page and "Indicator" in page
    saved = client.post(url, {"target": "2", "due": "2026-03-31", **PLAN_LINE})
    assert saved.status_code == 302 and saved.url == wres.get_absolute_url()
    assert WRESAction.objects.get(wres_return=wres).indicator == "2"


def test_a_stage_change_the_library_refuses_is_shown_on_the_form(client, lead, monkeypatch):
    """An AssessmentError from the EHIA library comes back as a form error, nothing saved."""
    from healthgap.equality.errors import AssessmentError
    from healthgap.web.equality import actions
    from tests.web.equality.factories import make_ehia

    ehia = make_ehia(lead.organisation, owner=lead)

    def refuse(**kwargs):
        raise AssessmentError("A closed EHIA cannot be edited.")

    monkeypatch.setattr(actions, "update_ehia", refuse)
    stage = {"scope": "The clinic", "groups_considered": "Carers"}
    response = client.post(ehia.get_absolute_url(), stage)
    assert response.status_code == 200
    assert "A closed EHIA cannot be edited." in response.content.decode()
    ehia.refresh_from_db()
    assert ehia.scope == ""
