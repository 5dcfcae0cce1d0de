"""The learning library: published case studies for everyone, drafts for their editors, writes
audited, the same rules in the API."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.library import actions
from healthgap.web.library.forms import parse_tags
from healthgap.web.library.models import CaseStudy
from tests.web.action.factories import make_case_study, make_programme
from tests.web.factories import TEST_JOB, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_studies(role_users):
    return {
        "published": make_case_study(title="Published"),
        "partner_draft": make_case_study(
            title="Partner draft", published=False, organisation=role_users["partner"].organisation
        ),
        "other_draft": make_case_study(title="Other draft", published=False),
    }


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        ("public", {"Published"}),
        ("analyst", {"Published"}),
        ("champion", {"Published"}),
        ("partner", {"Published", "Partner draft"}),
        ("administrator", {"Published", "Partner draft", "Other draft"}),
    ],
)
def test_list_and_api_show_published_and_own_drafts(client_for, case_studies, role, titles):
    client = client_for(role)
    page = client.get(reverse("library:case-study-list"))
    assert {cs.title for cs in page.context["page"]} == titles
    api = client.get(reverse("api:library-case-studies")).json()
    assert {cs["title"] for cs in api["items"]} == titles
    assert api["count"] == len(titles)


def test_tag_filter(client_for):
    make_case_study(title="Jabs", tags=["vaccination", "roma"])
    make_case_study(title="Checks", tags=["health checks"])
    page = client_for("public").get(reverse("library:case-study-list"), {"tag": "Roma"})
    assert [cs.title for cs in page.context["page"]] == ["Jabs"]
    api = client_for("public").get(reverse("api:library-case-studies"), {"tag": "health checks"})
    assert [cs["title"] for cs in api.json()["items"]] == ["Checks"]


def test_parse_tags():
    assert parse_tags(" Vaccination, roma;ROMA\nfaith settings,, ") == [
        "vaccination",
        "roma",
        "faith settings",
    ]


def form_data(**overrides):
    return {
        "title": "Clinics after prayers",
        "programme": "",
        "summary": "Checks where people gather.",
        "what_worked": "Volunteers from the congregation.",
        "evidence": "",
        "evidence_indicators": ["nhs_health_check_uptake"],
        "tags": "health checks, faith",
        "published": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("role", "status", "owner"),
    [
        ("public", 302, None),
        ("analyst", 403, None),
        ("administrator", 302, "none"),
        ("partner", 302, "partner"),
        ("champion", 302, "champion"),
    ],
)
def test_create_by_role(client_for, role_users, role, status, owner):
    contact = make_organisation(name="Gurdwara")
    programme = make_programme()
    data = form_data(contacts=[contact.pk], programme=programme.pk)
    response = client_for(role).post(reverse("library:case-study-create"), data)
    assert response.status_code == status
    created = CaseStudy.objects.first()
    if owner is None:
        assert created is None
        return
    assert created.organisation == (None if owner == "none" else role_users[owner].organisation)
    assert created.tags == ["health checks", "faith"]
    assert created.programme == programme
    assert list(created.contacts.all()) == [contact]
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.object_type == "library.casestudy"
    assert event.changes["contacts"] == [contact.pk]


def test_create_errors_write_nothing(client_for):
    page = client_for("partner").post(
        reverse("library:case-study-create"),
        form_data(what_worked="", evidence_indicators=["nope"]),
    )
    assert page.status_code == 200
    assert "This field is required" in page.text
    assert "Select a valid choice" in page.text
    assert not CaseStudy.objects.exists()


def test_actions_reject_unknown_indicator_ids():
    with pytest.raises(ValidationError, match="Unknown indicator id: nope"):
        actions.create_case_study(
            by=TEST_JOB,
            title="x",
            summary="x",
            what_worked="x",
            evidence_indicators=["nope"],
        )
    assert not CaseStudy.objects.exists()
    assert not AuditEvent.objects.exists()


def test_partner_edits_own_case_study_not_others(client_for, case_studies):
    client = client_for("partner")
    own = case_studies["partner_draft"]
    response = client.post(
        reverse("library:case-study-edit", args=[own.pk]), form_data(title="Renamed")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.title, own.published) == ("Renamed", True)
    changes = AuditEvent.objects.get(action=Action.CHANGE).changes
    assert changes["title"] == ["Partner draft", "Renamed"]
    assert changes["published"] == [False, True]
    other = case_studies["published"]
    denied = client.post(reverse("library:case-study-edit", args=[other.pk]), form_data())
    assert denied.status_code == 403
    assert CaseStudy.objects.get(pk=other.pk).title == "Published"


def test_drafts_are_hidden_from_non_editors(client_for, case_studies):
    draft = case_studies["partner_draft"]
    for role, status in (
        ("public", 404),
        ("champion", 404),
        ("partner", 200),
        ("administrator", 200),
    ):
        page = client_for(role).get(reverse("library:case-study-detail", args=[draft.pk]))
        assert page.status_code == status, role


def post(client, payload):
    return client.post(
        reverse("api:library-case-studies"),
        data=json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 401),
        ("analyst", 403),
        ("partner", 201),
        ("champion", 201),
        ("administrator", 201),
    ],
)
def test_api_create_by_role(client_for, role, status):
    payload = {"title": "T", "summary": "S", "what_worked": "W", "tags": ["Roma", "roma"]}
    response = post(client_for(role), payload)
    assert response.status_code == status
    if status == 201:
        assert response.json()["tags"] == ["roma"]
        assert CaseStudy.objects.get().published is False
    else:
        assert not CaseStudy.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"evidence_indicators": ["no_such"]}, "evidence_indicators"),
        ({"contact_ids": [424242]}, "contact_ids"),
    ],
)
def test_api_create_validation(client_for, payload, field):
    response = post(
        client_for("partner"), {"title": "T", "summary": "S", "what_worked": "W", **payload}
    )
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not CaseStudy.objects.exists()


def test_editors_without_an_organisation_cannot_write(client):
    client.force_login(make_user("partner"))
    assert client.get(reverse("library:case-study-create")).status_code == 403
