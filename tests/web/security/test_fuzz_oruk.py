"""Fuzzing the ORUK import (JSON, CSV and ZIP uploads) with hypothesis: whatever the bytes, the
import either loads or reports problems that each name a rule, and a rejected file loads nothing.
No exception escapes (an upload is untrusted input)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthgap.web.directory.models import Location, Organisation, Service, ServiceAtLocation
from healthgap.web.oruk.actions import import_directory
from healthgap.web.oruk.exchange import read_upload
from tests.web.factories import TEST_JOB

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MODELS = (Organisation, Service, Location, ServiceAtLocation)
KEYS = st.sampled_from(
    ["id", "name", "organization_id", "organization", "service", "services", "description",
     "status", "email", "url", "latitude", "longitude", "location", "contents",
     "service_at_locations", "taxonomy_terms"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False),
    st.text(max_size=20), st.sampled_from(["d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "active",
                                           "https://example.org", "a@b.example", "100"]),
)  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=25,
)
CSV_NAMES = st.sampled_from(["organizations.csv", "services.csv", "locations.csv", "junk.csv"])
CSV_TEXT = st.lists(
    st.lists(st.one_of(st.text(max_size=10), SCALARS.map(str)), min_size=1, max_size=5),
    max_size=5,
).map(lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass"))


@st.composite
def uploads(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["json", "raw", "csv", "zip"]))
    if kind == "json":
        return "file.json", json.dumps(draw(JSON)).encode()
    if kind == "raw":
        return draw(st.sampled_from(["file.json", "file.zip", "file.csv"])), draw(
            st.binary(max_size=200)
        )
    if kind == "csv":
        return draw(CSV_NAMES), draw(CSV_TEXT)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in draw(st.lists(CSV_NAMES, max_size=3, unique=True)):
            archive.writestr(name, draw(CSV_TEXT))
    return "file.zip", buffer.getvalue()


@pytest.mark.django_db
@FUZZ
@given(upload=uploads())
def test_oruk_import_fuzz(upload):
    name, content = upload
    before = [m.objects.count() for m in MODELS]
    report = import_directory(by=TEST_JOB, bundle=read_upload(name, content), source=name)
    for problem in report.problems:
        assert problem.rule and problem.rule.strip()
    if not report.loaded:
        assert report.errors, "a rejected upload must say why"
        assert [m.objects.count() for m in MODELS] == before
