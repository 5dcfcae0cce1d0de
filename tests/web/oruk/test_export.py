"""Exporting the directory as ORUK JSON and CSV, the round trip back through the importer, and
the management commands."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import Organisation, Taxonomy, TaxonomyTerm
from healthgap.web.oruk.actions import export_directory, import_directory
from healthgap.web.oruk.exchange import read_upload
from tests.web.factories import TEST_JOB, make_user
from tests.web.oruk.schemas import assert_valid

pytestmark = pytest.mark.django_db

SCHEMA_OF = {
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "organizations": "organization",
    "organization_identifiers": "organization_identifier",
    "locations": "location",
    "addresses": "address",
    "accessibility": "accessibility",
    "services": "service",
    "languages": "language",
    "cost_options": "cost_option",
    "attributes": "attribute",
    "service_at_locations": "service_at_location",
}
#: The files of the ORUK tabular package (the `path` of each schema in schemata/).
CSV_FILES = {
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "organizations.csv",
    "organization_identifiers.csv",
    "locations.csv",
    "address.csv",
    "accessibility.csv",
    "services.csv",
    "languages.csv",
    "cost_options.csv",
    "attribute.csv",
    "service_at_location.csv",
    "datapackage.json",
}


def exported(fmt="json", by=TEST_JOB):
    return export_directory(by=by, fmt=fmt)


def test_json_export_rows_are_valid_oruk_and_only_public(directory):
    document = json.loads(exported().content)
    assert (document["version"], document["profile"]) == (
        "3.0",
        "https://github.com/openreferral/uk-profile",
    )
    for table, schema in SCHEMA_OF.items():
        for row in document[table]:
            assert_valid(row, schema)
    assert [o["name"] for o in document["organizations"]] == sorted(
        ["Palfrey Voices", "Whitmore Hub"],
        key=lambda name: str(Organisation.objects.get(name=name).uuid),
    )
    assert {s["name"] for s in document["services"]} == {
        "Vaccine clinic",
        "Wellbeing circle",
        "Midwives drop-in",
    }
    assert len(document["service_at_locations"]) == 4
    text = json.dumps(document)
    assert "Zainab" not in text and "Closed" not in text and "Hidden" not in text
    # every link points at a row of the export
    ids = {
        table: {row["id"] for row in rows}
        for table, rows in document.items()
        if isinstance(rows, list)
    }
    for row in document["service_at_locations"]:
        assert row["service_id"] in ids["services"] and row["location_id"] in ids["locations"]
    for row in document["services"]:
        assert row["organization_id"] in ids["organizations"]


def test_csv_export_is_one_file_per_table_with_a_datapackage(directory):
    export = exported("csv")
    assert export.content_type == "application/zip" and export.filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    assert set(archive.namelist()) == CSV_FILES
    services = list(csv.DictReader(io.StringIO(archive.read("services.csv").decode())))
    assert {row["name"] for row in services} == {
        "Vaccine clinic",
        "Wellbeing circle",
        "Midwives drop-in",
    }
    vaccine = next(row for row in services if row["name"] == "Vaccine clinic")
    assert (vaccine["minimum_age"], vaccine["maximum_age"], vaccine["status"]) == (
        "18",
        "64",
        "active",
    )
    package = json.loads(archive.read("datapackage.json"))
    resources = {r["path"]: r for r in package["resources"]}
    assert set(resources) == CSV_FILES - {"datapackage.json"}
    fields = {f["name"]: f["type"] for f in resources["services.csv"]["schema"]["fields"]}
    assert (fields["minimum_age"], fields["assured_date"], fields["last_modified"]) == (
        "number",
        "date",
        "datetime",
    )


def test_export_is_audited(directory):
    analyst = make_user("analyst")
    exported("csv", by=analyst)
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == analyst
    assert event.changes["format"] == "csv" and event.changes["rows"]["services"] == 3


def _wipe_directory():
    Organisation.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_export_import_export_is_unchanged(directory, fmt):
    first = exported(fmt)
    before = json.loads(exported("json").content)
    _wipe_directory()
    report = import_directory(
        by=TEST_JOB,
        bundle=read_upload(first.filename, first.content),
        source=first.filename,
    )
    assert report.loaded, report.errors
    assert not report.warnings
    after = json.loads(exported("json").content)
    before.pop("generated"), after.pop("generated")
    assert after == before


def test_export_command_writes_json_csv_zip_and_csv_folder(directory, tmp_path):
    call_command("export_oruk", str(tmp_path / "d.json"), stdout=io.StringIO())
    assert json.loads((tmp_path / "d.json").read_text())["version"] == "3.0"
    call_command("export_oruk", str(tmp_path / "d.zip"), stdout=io.StringIO())
    assert zipfile.ZipFile(tmp_path / "d.zip").namelist()
    call_command("export_oruk", str(tmp_path / "tables"), "--format", "csv", stdout=io.StringIO())
    assert {p.name for p in (tmp_path / "tables").iterdir()} == CSV_FILES
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 3


def test_import_command_loads_a_csv_folder_and_refuses_broken_files(directory, tmp_path):
    call_command("export_oruk", str(tmp_path / "tables"), "--format", "csv", stdout=io.StringIO())
    _wipe_directory()
    out = io.StringIO()
    make_user("administrator", username="boss")
    call_command("import_oruk", str(tmp_path / "tables"), "--user", "boss", stdout=out)
    assert "3 services created" in out.getvalue()
    assert AuditEvent.objects.get(action=Action.IMPORT).actor_username == "boss"
    broken = tmp_path / "broken.json"
    broken.write_text('{"services": [{"id": "x", "name": "S", "status": "active"}]}')
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing imported: 2 problem\(s\) in broken.json"):
        call_command("import_oruk", str(broken), stdout=out)
    assert "error: services[0]: id = 'x': ORUK service: 'x' is not a 'uuid'" in out.getvalue()


def test_commands_refuse_users_without_the_permission(tmp_path):
    make_user("partner", username="pat")
    with pytest.raises(CommandError, match="'pat' is not a user allowed to import data"):
        call_command("import_oruk", str(tmp_path), "--user", "pat")
    with pytest.raises(CommandError, match="'pat' is not a user allowed to export data"):
        call_command("export_oruk", str(tmp_path / "x.json"), "--user", "pat")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_oruk", str(tmp_path / "missing.json"))
