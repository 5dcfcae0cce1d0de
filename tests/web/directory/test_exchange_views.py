"""The import and export pages: importing needs IMPORT_DATA (administrators), exporting
EXPORT_DATA (administrators and analysts); both are audited; a bad file loads nothing."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import Organisation, Service
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


def upload(document, name="directory.json"):
    return {"file": SimpleUploadedFile(name, json.dumps(document).encode(), "application/json")}


def test_administrator_imports_a_file(client_for):
    org = str(uuid.uuid4())
    document = {
        "organizations": [{"id": org, "name": "Imported Group", "description": "From ORUK"}],
        "services": [
            {"id": str(uuid.uuid4()), "organization_id": org, "name": "S", "status": "active"}
        ],
    }
    response = client_for("administrator").post("/directory/import/", upload(document), follow=True)
    assert (
        "Imported directory.json: 1 organization created, 1 service created."
        in response.content.decode()
    )
    assert Organisation.objects.get(name="Imported Group").services.count() == 1
    assert AuditEvent.objects.filter(action=Action.IMPORT).count() == 1


def test_a_broken_upload_lists_every_problem_and_loads_nothing(client_for):
    document = {
        "organizations": [{"id": "x", "name": "Bad"}],
        "services": [{"id": str(uuid.uuid4()), "name": "S", "status": "open"}],
    }
    response = client_for("administrator").post("/directory/import/", upload(document))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: the file has 4 problems" in page
    for text in (
        "organizations[0]",
        "&#x27;x&#x27; is not a &#x27;uuid&#x27;",
        "description",
        "must link to a record",
    ):
        assert text in page
    assert not Organisation.objects.filter(name="Bad").exists() and not Service.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.IMPORT).exists()


@pytest.mark.parametrize("role", ["analyst", "partner", "champion"])
def test_only_administrators_import(client_for, role):
    document = {"organizations": [{"id": str(uuid.uuid4()), "name": "Sneaky", "description": ""}]}
    assert client_for(role).post("/directory/import/", upload(document)).status_code == 403
    assert not Organisation.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("json", "application/json"), ("csv", "application/zip")]
)
def test_analyst_downloads_an_audited_export(client_for, role_users, fmt, content_type):
    make_organisation(name="Listed")
    response = client_for("analyst").post("/directory/export/", {"format": fmt})
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="healthgap-directory-')
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == role_users["analyst"] and event.changes["format"] == fmt


@pytest.mark.parametrize("role", ["partner", "champion"])
def test_partners_and_champions_cannot_export(client_for, role):
    assert client_for(role).post("/directory/export/", {"format": "json"}).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_import_summary_counts_agree_with_their_nouns() -> None:
    from collections import Counter

    from healthgap.web.oruk.exchange.problems import Report

    report = Report()
    report.created = Counter({"organizations": 1, "service_at_locations": 2})
    report.updated = Counter({"services": 1, "taxonomy_terms": 1234})
    assert report.summary() == (
        "1 organization created, 2 service at locations created, 1 service updated, "
        "1,234 taxonomy terms updated"
    )
