"""Upload limits (issue 14, "Bad input"): every upload in the web app, the ORUK directory
import (JSON, CSV, ZIP of CSVs) and the WRES upload (counts, extracts, survey), refuses a file
over HEALTHGAP_UPLOAD_MAX_BYTES or HEALTHGAP_UPLOAD_MAX_ROWS whole, with a message naming the
file, its size or rows, the limit and the setting, and loads nothing.

The limits are set small here (pytest-django's `settings`); the counts in each test are written
out by hand from the file the test builds.
"""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import uuid
import zipfile
from html import unescape

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import healthgap.web
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.core.uploads import LimitedUploadHandler, OversizedUpload, UploadField
from healthgap.web.directory.models import Organisation
from healthgap.web.equality.models import WRESReturn
from tests.web.equality.factories import COUNTS, make_lead
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db

ADVICE = "Split the file, or ask an administrator to raise the limit. Nothing was loaded."


def organisations(n: int) -> bytes:
    """healthgap's export envelope with `n` organisations: `n` records (JSON objects) below
    the top level."""
    rows = [{"id": str(uuid.uuid4()), "name": f"Group {i}", "description": "d"} for i in range(n)]
    return json.dumps({"organizations": rows}).encode()


def page(response) -> str:
    return unescape(" ".join(response.content.decode().split()))


def import_file(client_for, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    return client_for("administrator").post("/directory/import/", {"file": upload})


def assert_nothing_imported(before: int) -> None:
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.filter(action=Action.IMPORT).exists()


# --- ORUK directory import -------------------------------------------------------------------


def test_an_oversized_oruk_file_is_refused_with_the_size_and_the_limit(client_for, settings):
    settings.HEALTHGAP_UPLOAD_MAX_BYTES = 2_000
    content = organisations(40)
    assert len(content) > 2_000
    before = Organisation.objects.count()
    response = import_file(client_for, "big.json", content)
    assert response.status_code == 200
    text = page(response)
    assert (
        f"big.json is {len(content):,} bytes; uploads are limited to 2,000 bytes "
        f"(HEALTHGAP_UPLOAD_MAX_BYTES). {ADVICE}"
    ) in text
    assert_nothing_imported(before)


def test_an_oruk_json_with_too_many_records_is_refused(client_for, settings):
    settings.HEALTHGAP_UPLOAD_MAX_ROWS = 3
    before = Organisation.objects.count()
    response = import_file(client_for, "four.json", organisations(4))  # 4 objects below the top
    text = page(response)
    assert (
        "four.json has 4 records (JSON objects); uploads are limited to 3 rows or records "
        f"(HEALTHGAP_UPLOAD_MAX_ROWS). {ADVICE}"
    ) in text
    assert_nothing_imported(before)


def test_an_oruk_json_at_the_row_limit_is_imported(client_for, settings):
    settings.HEALTHGAP_UPLOAD_MAX_ROWS = 4
    before = Organisation.objects.count()
    response = import_file(client_for, "four.json", organisations(4))
    assert response.status_code == 302
    assert Organisation.objects.count() == before + 4


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_an_oruk_csv_zip_with_too_many_rows_counts_every_table(client_for, settings):
    settings.HEALTHGAP_UPLOAD_MAX_ROWS = 4
    orgs = "id,name,description\n" + "".join(
        f"{uuid.uuid4()},Group {i},d\n" for i in range(3)
    )  # 3 data rows
    services = "id,organization_id,name,status\n" + "".join(
        f"{uuid.uuid4()},{uuid.uuid4()},S{i},active\n" for i in range(2)
    )  # 2 data rows: 3 + 2 = 5 > 4
    before = Organisation.objects.count()
    content = _zip({"organizations.csv": orgs, "services.csv": services})
    text = page(import_file(client_for, "tables.zip", content))
    assert "tables.zip has 5 rows; uploads are limited to 4 rows or records" in text
    assert_nothing_imported(before)


def test_a_zip_that_unpacks_past_the_size_limit_is_refused(client_for, settings):
    settings.HEALTHGAP_UPLOAD_MAX_BYTES = 100_000
    header = "id,name,description\n"
    content = _zip({"organizations.csv": header + "0" * 1_000_000})  # 1,000,020 bytes unpacked
    assert len(content) < 100_000  # small on the wire
    before = Organisation.objects.count()
    text = page(import_file(client_for, "bomb.zip", content))
    assert (
        "bomb.zip unpacks to 1.0 MB; uploads are limited to 100,000 bytes "
        "(HEALTHGAP_UPLOAD_MAX_BYTES), the contents of a ZIP included."
    ) in text
    assert_nothing_imported(before)


# --- WRES upload (equality) -------------------------------------------------------------------


@pytest.fixture
def lead(client):
    client.force_login(make_lead(make_organisation(name="Trust A")))
    return client


def _wres(client, **files: bytes):
    data = {"year": "2025"} | {
        field: SimpleUploadedFile(f"{field}.csv", content, "text/csv")
        for field, content in files.items()
    }
    return client.post(reverse("equality:wres-upload"), data)


def test_a_wres_counts_csv_with_too_many_rows_is_refused(lead, settings):
    settings.HEALTHGAP_UPLOAD_MAX_ROWS = 10
    response = _wres(lead, counts=COUNTS.encode())  # 11 data rows (factories.COUNTS)
    assert response.status_code == 200
    assert (
        "counts.csv has 11 rows; uploads are limited to 10 rows or records "
        f"(HEALTHGAP_UPLOAD_MAX_ROWS). {ADVICE}"
    ) in page(response)
    assert not WRESReturn.objects.exists()


def test_a_wres_counts_csv_at_the_row_limit_is_saved(lead, settings):
    settings.HEALTHGAP_UPLOAD_MAX_ROWS = 11
    response = _wres(lead, counts=COUNTS.encode())
    assert response.status_code == 302
    assert WRESReturn.objects.count() == 1


@pytest.mark.parametrize("field", ["workforce", "survey"])
def test_an_oversized_wres_extract_is_refused_and_nothing_saved(lead, settings, field):
    settings.HEALTHGAP_UPLOAD_MAX_BYTES = 1_000
    big = ("id,ethnicity,band\n" + "x,White,5\n" * 200).encode()  # 18 + 200 * 10 bytes
    assert len(big) == 2_018
    files = {"counts": COUNTS.encode()} if field == "survey" else {}
    response = _wres(lead, **files, **{field: big})
    text = page(response)
    assert (
        f"{field}.csv is 2,018 bytes; uploads are limited to 1,000 bytes "
        "(HEALTHGAP_UPLOAD_MAX_BYTES)."
    ) in text
    assert not WRESReturn.objects.exists()


# --- the pieces -------------------------------------------------------------------------------


def test_the_handler_keeps_no_bytes_past_the_limit(settings):
    settings.HEALTHGAP_UPLOAD_MAX_BYTES = 10
    handler = LimitedUploadHandler()
    handler.new_file("file", "big.csv", "text/csv", 25)
    assert handler.receive_data_chunk(b"a" * 8, 0) == b"a" * 8  # 8 <= 10: passed on
    assert handler.receive_data_chunk(b"b" * 8, 8) is None  # 16 > 10: dropped
    assert handler.receive_data_chunk(b"c" * 9, 16) is None
    upload = handler.file_complete(25)
    assert isinstance(upload, OversizedUpload)
    assert upload.size == 25 and upload.read() == b""


def test_the_handler_leaves_a_file_within_the_limit_to_django(settings):
    settings.HEALTHGAP_UPLOAD_MAX_BYTES = 10
    handler = LimitedUploadHandler()
    handler.new_file("file", "ok.csv", "text/csv", 10)
    assert handler.receive_data_chunk(b"a" * 10, 0) == b"a" * 10
    assert handler.file_complete(10) is None


def test_a_quoted_newline_does_not_count_as_a_row(settings):
    settings.HEALTHGAP_UPLOAD_MAX_ROWS = 1
    field = UploadField()
    one_row = b'name,description\n"Group","two\nlines"\n'  # one record over two lines
    assert field.clean(SimpleUploadedFile("one.csv", one_row)) is not None
    with pytest.raises(forms.ValidationError, match="has 2 rows"):
        field.clean(SimpleUploadedFile("two.csv", one_row + b"Other,x\n"))


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(healthgap.web.__path__, "healthgap.web."):
        if ".migrations" not in module.name and not module.name.endswith(("wsgi", "__main__")):
            importlib.import_module(module.name)
    found, stack = [], [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("healthgap.web."):
            found.append(cls)
    return found


def test_every_file_field_in_the_web_app_is_limited():
    fields = {
        f"{form.__module__}.{form.__name__}.{name}": type(field)
        for form in _all_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    assert fields  # the ORUK import and the WRES upload at least
    assert {name: kind for name, kind in fields.items() if kind is not UploadField} == {}
    assert "healthgap.web.directory.forms.ImportForm.file" in fields
    assert "healthgap.web.equality.forms.WRESUploadForm.workforce" in fields
