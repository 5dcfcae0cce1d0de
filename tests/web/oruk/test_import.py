"""Importing ORUK JSON and CSV: the standard's examples, a broken file (every problem
reported, nothing loaded), references, updates, and the audit trail."""

from __future__ import annotations

import copy
import io
import json
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory import actions as directory_actions
from healthgap.web.directory.models import (
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from healthgap.web.oruk.actions import import_directory
from healthgap.web.oruk.exchange import read_upload
from tests.web.factories import TEST_JOB, make_organisation, make_user
from tests.web.oruk.schemas import example

pytestmark = pytest.mark.django_db

EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
EXAMPLE_ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
EXAMPLE_LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"


def run(document, name="file.json", by=TEST_JOB):
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return import_directory(by=by, bundle=read_upload(name, content), source=name)


def counts():
    return [m.objects.count() for m in (Organisation, Service, Location, ServiceAtLocation)]


def errors(report):
    return [(p.record, p.field, p.value, p.rule) for p in report.errors]


def on_earth(document):
    """The standard's examples put their location at latitude 100, longitude 101 (not on
    Earth); move it to Walsall so the rest of the example can be imported."""
    fixed = copy.deepcopy(document)
    text = (
        json.dumps(fixed)
        .replace('"latitude": 100', '"latitude": 52.586')
        .replace('"longitude": 101', '"longitude": -1.9829')
    )
    return json.loads(text)


@pytest.mark.parametrize(
    "name",
    [
        "service_full.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
    ],
)
def test_examples_with_a_location_are_refused_for_their_placeholder_latitude(name):
    report = run(example(name), name)
    assert not report.loaded
    assert [(p.field, p.value, p.rule) for p in report.errors] == [
        ("latitude", "100", "Ensure this value is less than or equal to 90.")
    ]
    assert report.errors[0].record.endswith("location")
    assert counts() == [0, 0, 0, 0]
    assert refused_only()


@pytest.mark.parametrize(
    "name",
    [
        "service_full.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
        "service_list.json",
        "organization_list.json",
        "taxonomy.json",
        "taxonomy_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
    ],
)
def test_every_example_imports_once_its_location_is_on_earth(name):
    report = run(on_earth(example(name)), name)
    assert report.ok and report.loaded, report.errors


def test_full_service_example_is_stored_field_by_field():
    admin = make_user("administrator")
    report = run(on_earth(example("service_full.json")), by=admin)
    service = Service.objects.get(uuid=EXAMPLE_SERVICE)
    assert (service.name, service.status, service.minimum_age, service.maximum_age) == (
        "Community Counselling",
        "active",
        12,
        100,
    )
    assert service.url == "http://example.com/counselling"
    assert str(service.assured_date) == "2005-01-01"
    assert service.last_modified.isoformat() == "2023-03-15T10:30:45.123000+00:00"
    assert (service.cost_amount, service.cost_description) == (35, "per 1 hour session")
    assert service.organisation.uuid == uuid.UUID(EXAMPLE_ORG)
    assert service.organisation.company_number == "01234567"  # GB-COH 1234567, zero-padded
    assert service.organisation.kind == "other"
    location = Location.objects.get(uuid=EXAMPLE_LOCATION)
    assert location.organisation == service.organisation  # the service's organisation
    assert (location.address_1, location.city, location.postcode, location.country) == (
        "1-30 Main Street",
        "MyCity",
        "ABC 1234",
        "US",
    )
    assert location.accessibility.startswith("The building is equipped with induction loops")
    term = service.taxonomy_terms.get()
    assert (term.name, term.parent, term.taxonomy, term.taxonomy_label) == (
        "name",
        None,
        None,
        "taxonomy",
    )
    assert service.languages.count() == 0  # the example's language has only an id
    warned = {p.field for p in report.warnings}
    assert {"schedules", "contacts", "funding", "service_areas", "attention", "parent_id"} <= warned
    assert report.created == {
        "organizations": 1,
        "services": 1,
        "locations": 1,
        "service_at_locations": 1,
        "taxonomy_terms": 1,
    }


BROKEN = {
    "organizations": [
        {"id": "11111111-1111-4111-8111-111111111111", "name": "Good Org", "description": "Fine."},
        {"id": "not-a-uuid", "name": "Bad id", "description": "x"},
        {
            "id": "22222222-2222-4222-8222-222222222222",
            "description": "No name",
            "website": "not a url",
            "email": "nobody",
        },
    ],
    "services": [
        {
            "id": "33333333-3333-4333-8333-333333333333",
            "name": "Orphan",
            "status": "active",
            "organization_id": "99999999-9999-4999-8999-999999999999",
        },
        {
            "id": "44444444-4444-4444-8444-444444444444",
            "name": "Odd",
            "status": "open",
            "organization_id": "11111111-1111-4111-8111-111111111111",
            "minimum_age": 40,
            "maximum_age": 20,
            "last_modified": "last week",
        },
        {
            "id": "55555555-5555-4555-8555-555555555555",
            "name": "No organisation",
            "status": "active",
        },
        {
            "id": "66666666-6666-4666-8666-666666666666",
            "name": "Half a year",
            "status": "active",
            "organization_id": "11111111-1111-4111-8111-111111111111",
            "minimum_age": 0.5,
        },
    ],
    "locations": [
        {
            "id": "77777777-7777-4777-8777-777777777777",
            "location_type": "physical",
            "name": "Nowhere",
            "latitude": 52.5,
        },
        {
            "id": "88888888-8888-4888-8888-888888888888",
            "location_type": "spaceship",
            "name": "Bad type",
            "organization_id": "11111111-1111-4111-8111-111111111111",
        },
    ],
    "addresses": [
        {
            "id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
            "location_id": "88888888-8888-4888-8888-888888888888",
            "address_1": "1 Street",
            "city": "Walsall",
            "state_province": "",
            "postal_code": "NOT A POSTCODE",
            "country": "GB",
            "address_type": "physical",
        },
    ],
    "service_at_locations": [
        {
            "id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
            "service_id": "44444444-4444-4444-8444-444444444444",
            "location_id": "cccccccc-cccc-4ccc-8ccc-cccccccccccc",
        },
    ],
}


def refused_only() -> bool:
    """Nothing was written but the one IMPORT_FAILED event (web.audit records refusals)."""
    return list(AuditEvent.objects.values_list("action", flat=True)) == [Action.IMPORT_FAILED]


def test_broken_file_reports_every_problem_and_loads_nothing():
    make_organisation(name="Existing")
    before = counts()
    report = run(BROKEN, "broken.json", by=make_user("administrator"))
    assert not report.ok and not report.loaded
    assert counts() == before
    assert refused_only()
    found = errors(report)
    expected = [
        ("organizations[1]", "id", "not-a-uuid", "ORUK organization: 'not-a-uuid' is not a 'uuid'"),
        ("organizations[2]", "name", "", "ORUK organization: a required field"),
        ("organizations[2]", "email", "nobody", "ORUK organization: 'nobody' is not a 'email'"),
        ("organizations[2]", "website", "not a url", "Enter a valid URL."),
        (
            "services[1]",
            "status",
            "open",
            "ORUK service: 'open' is not one of "
            "['active', 'inactive', 'defunct', 'temporarily closed']",
        ),
        ("services[2]", "organization_id", "", "ORUK service: must link to a record"),
        (
            "services[0]",
            "organization_id",
            "99999999-9999-4999-8999-999999999999",
            "no organisation with this id in the file or the directory",
        ),
        ("services[1]", "last_modified", "last week", "not a valid date-time (ISO 8601)"),
        ("services[1]", "minimum_age", "40", "The minimum age must not be above the maximum age."),
        ("services[3]", "minimum_age", "0.5", "ages are stored in whole years (0 or more)"),
        (
            "locations[1]",
            "location_type",
            "spaceship",
            "ORUK location: 'spaceship' is not one of ['physical', 'postal', 'virtual']",
        ),
        (
            "service_at_locations[0]",
            "location_id",
            "cccccccc-cccc-4ccc-8ccc-cccccccccccc",
            "no location with this id in the file or the directory",
        ),
        ("locations[1]", "postal_code", "NOT A POSTCODE", "NOT A POSTCODE is not a UK postcode."),
        (
            "locations[0]",
            "latitude",
            "52.5",
            "Give both latitude and longitude (WGS84 degrees), or neither.",
        ),
        (
            "locations[0]",
            "organization_id",
            "",
            "a new location must belong to an organization: give organization_id, or link it to a "
            "service with a service_at_location",
        ),
    ]
    assert sorted(found) == sorted(expected)


def test_invalid_json_and_unknown_objects_are_reported():
    report = run(b'{"services": [', "bad.json")
    assert errors(report) == [
        ("bad.json", "", "", "not valid JSON: Expecting value (line 1, column 15)")
    ]
    report = run([{"id": str(uuid.uuid4()), "colour": "blue"}], "odd.json")
    assert "cannot tell which ORUK object" in report.errors[0].rule


def test_the_same_id_twice_must_agree():
    org = {"id": str(uuid.uuid4()), "name": "A", "description": "x"}
    report = run({"organizations": [org, {**org, "name": "B"}]})
    assert errors(report) == [
        (
            "organizations[1]",
            "name",
            "B",
            "the same organization id appears at organizations[0] with name 'A'",
        )
    ]


def test_nested_copies_of_one_record_merge():
    org = {"id": str(uuid.uuid4()), "name": "A", "description": "x"}
    services = [
        {"id": str(uuid.uuid4()), "name": f"S{n}", "status": "active", "organization": org}
        for n in range(3)
    ]
    report = run({"contents": services, "total_items": 3})
    assert report.loaded and report.created == {"organizations": 1, "services": 3}


def test_links_may_point_at_records_already_in_the_directory():
    org = make_organisation(name="Here already")
    service_id = str(uuid.uuid4())
    report = run(
        {
            "services": [
                {
                    "id": service_id,
                    "name": "New",
                    "status": "active",
                    "organization_id": str(org.uuid),
                }
            ]
        }
    )
    assert report.loaded
    assert Service.objects.get(uuid=service_id).organisation == org


def test_import_updates_existing_records_and_keeps_what_the_file_leaves_out():
    org = make_organisation(
        name="Old name", description="Kept", kind="faith", email="a@example.org"
    )
    report = run(
        {"organizations": [{"id": str(org.uuid), "name": "New name", "description": "Kept"}]}
    )
    assert report.loaded and report.updated == {"organizations": 1}
    org.refresh_from_db()
    assert (org.name, org.email, org.kind) == ("New name", "a@example.org", "faith")
    change = AuditEvent.objects.get(action=Action.CHANGE)
    assert change.changes == {"name": ["Old name", "New name"]}


def test_import_is_audited_with_one_import_event_and_each_record():
    admin = make_user("administrator")
    report = run(on_earth(example("service_full.json")), "service_full.json", by=admin)
    event = AuditEvent.objects.get(action=Action.IMPORT)
    assert event.actor == admin and event.summary.startswith("Imported service_full.json")
    assert event.changes["created"] == dict(report.created)
    creates = AuditEvent.objects.filter(action=Action.CREATE, actor=admin)
    assert creates.count() == sum(report.created.values())


def test_a_failure_while_loading_keeps_nothing(monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("the database refused it")

    monkeypatch.setattr(directory_actions, "create_service_at_location", refuse)
    report = run(on_earth(example("service_full.json")))
    assert not report.loaded
    assert report.errors[-1].rule == "could not be stored: the database refused it"
    assert counts() == [0, 0, 0, 0]
    assert TaxonomyTerm.objects.filter(name="name").count() == 0
    assert refused_only()


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_csv_tables_import_with_typed_cells():
    org, service, location, link = (str(uuid.uuid4()) for _ in range(4))
    files = {
        "organizations.csv": f"id,name,description\n{org},Tipton Group,Walking groups\n",
        "services.csv": "id,organization_id,name,status,minimum_age,maximum_age\n"
        f"{service},{org},Walks,active,16,\n",
        "locations.csv": f"id,organization_id,location_type,name,latitude,longitude\n"
        f"{location},{org},physical,Canal side,52.529,-2.066\n",
        "service_at_location.csv": f"id,service_id,location_id\n{link},{service},{location}\n",
        "notes.txt": "ignored",
    }
    report = run(_zip(files), "tables.zip")
    assert report.loaded, report.errors
    stored = Service.objects.get(uuid=service)
    assert (stored.minimum_age, stored.maximum_age) == (16, None)
    assert float(Location.objects.get(uuid=location).latitude) == 52.529
    assert ServiceAtLocation.objects.get(uuid=link).service == stored


def test_csv_problems_name_the_file_and_row():
    files = {"services.csv": "id,name,status,minimum_age\nnot-a-uuid,X,active,old\n"}
    report = run(_zip(files), "tables.zip")
    assert (
        "services.csv row 2",
        "minimum_age",
        "old",
        "ORUK service: 'old' is not of type 'number'",
    ) in errors(report)
    assert (
        "services.csv row 2",
        "id",
        "not-a-uuid",
        "ORUK service: 'not-a-uuid' is not a 'uuid'",
    ) in errors(report)
    assert run(b"not a zip", "tables.zip").errors[0].rule == "not a valid ZIP file"


def test_taxonomy_term_links_its_taxonomy_and_parent():
    taxonomy, parent, child = (str(uuid.uuid4()) for _ in range(3))
    child_term = {"id": child, "name": "Child", "description": "", "parent_id": parent}
    report = run(
        {
            "taxonomies": [{"id": taxonomy, "name": "T", "description": "d"}],
            "taxonomy_terms": [
                {**child_term, "taxonomy_id": taxonomy},
                {"id": parent, "name": "Parent", "description": "", "taxonomy_id": taxonomy},
            ],
        }
    )
    assert report.loaded and not report.warnings
    stored = TaxonomyTerm.objects.get(uuid=child)
    assert (stored.parent.name, stored.taxonomy) == ("Parent", Taxonomy.objects.get(uuid=taxonomy))
