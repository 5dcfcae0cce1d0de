""" "Download PDF" on a need profile: the board report, public policy unless an analyst asks for
none, audit-logged as an export."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from healthgap.web.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_public_download_of_an_msoa_profile(loaded, use_fixture_geography, client, tmp_path):
    page = client.get(reverse("need:area", args=["E02000001"])).content.decode()
    url = reverse("need:area-report", args=["E02000001"])
    assert url in page and "Download PDF" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert "PROFILE (MSOA)" in text and "E02000001" in text
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.object_type, event.object_id) == ("need.profile_report", "E02000001")
    assert event.changes["policy"] == "public"


@pytest.mark.parametrize(("role", "policy"), [("analyst", "none"), ("administrator", "public")])
def test_only_analysts_get_policy_none(loaded, use_fixture_geography, client_for, role, policy):
    url = reverse("need:area-report", args=["E01000001"])
    response = client_for(role).get(url, {"disclosure": "none"})
    assert response.status_code == 200
    assert AuditEvent.objects.get(action=Action.EXPORT).changes["policy"] == policy


def test_no_report_for_a_region_or_before_a_load(loaded, client):
    assert client.get(reverse("need:area-report", args=["E92000001"])).status_code == 404
