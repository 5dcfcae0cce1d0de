"""Stored XSS into the reports (issue 14, "Security"): free text holding markup reaches the
profile PDF, the programme report, the WRES report and the EDS summary as text, never as
markup. The HTML is escaped (no raw `<script`, `<img`, `</style`) and the PDF shows the
payload literally (pdftotext): if it were markup, WeasyPrint would drop the tags, or a
`</style>` would end the style sheet early.

Each field gets the payload plus its own marker (`#programme.name`), so a test names the
field that went missing or raw. The fields each report shows are read from its template
(src/healthgap/reports/templates) and view.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from healthgap.web.action.models import Activity, Insight, Programme
from healthgap.web.directory.models import Organisation
from healthgap.web.equality import actions as equality_actions
from healthgap.web.equality.models import EDSOutcome, EDSService
from tests.web.action.factories import make_activity, make_insight, make_programme
from tests.web.equality.factories import make_eds, make_wres
from tests.web.factories import TEST_JOB, make_organisation
from tests.web.need.conftest import geo_config, loaded, store, use_fixture_geography  # noqa: F401

pytestmark = pytest.mark.django_db

PAYLOAD = '</style><script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW = ("<script", "<img src=x", "</style><")
ESCAPED = "&lt;/style&gt;&lt;script&gt;alert("


def text(marker: str) -> str:
    return f"{PAYLOAD}#{marker}"


def squeeze(value: str) -> str:
    """Without whitespace: a PDF wraps long text across lines and table cells."""
    return re.sub(r"\s+", "", value)


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) NOT INSTALLED: PDF text not checked")
    assert content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def assert_escaped_html(html: str, markers: list[str]) -> None:
    """No raw markup, yet every marker's payload is there once entities are decoded: so it is
    there escaped."""
    raw = [bit for bit in RAW if bit in html]
    assert not raw, f"raw markup in the HTML: {raw}"
    assert ESCAPED in html
    decoded = squeeze(unescape(html))
    missing = [m for m in markers if squeeze(text(m)) not in decoded]
    assert not missing, f"not shown in the HTML: {missing}"


def assert_literal_pdf(content: bytes, tmp_path, markers: list[str]) -> None:
    raw_text = pdf_text(content, tmp_path)
    found = squeeze(raw_text)
    missing = [m for m in markers if squeeze(text(m)) not in found]
    assert not missing, f"not shown literally in the PDF: {missing}"


def test_the_wres_report_shows_narrative_and_plan_as_text(client_for, tmp_path):
    wres = make_wres(make_organisation(name=text("organisation.name")))
    equality_actions.save_narrative(
        by=TEST_JOB, wres=wres, narrative={"context": text("wres.narrative")}
    )
    equality_actions.add_wres_action(
        by=TEST_JOB,
        wres=wres,
        indicator="2",
        action=text("wres_action.action"),
        owner=text("wres_action.owner")[:200],
        due=date(2026, 6, 1),
    )
    markers = ["organisation.name", "wres.narrative", "wres_action.action", "wres_action.owner"]
    client = client_for("administrator")
    url = reverse("equality:wres-report", kwargs={"pk": wres.pk})
    html = client.get(url, {"format": "html"})
    assert html.status_code == 200
    assert_escaped_html(html.content.decode(), markers)
    assert_literal_pdf(client.get(url).content, tmp_path, markers)


def test_the_eds_summary_shows_services_and_evidence_as_text(client_for, tmp_path):
    eds = make_eds(make_organisation(name=text("organisation.name")))
    EDSService.objects.filter(eds=eds, service="Maternity").update(
        service=text("eds_service.service"),
        evidence=text("eds_service.evidence"),
        stakeholders=text("eds_service.stakeholders"),
    )
    EDSOutcome.objects.filter(eds=eds, code="2A").update(
        evidence=text("eds_outcome.evidence"), stakeholders=text("eds_outcome.stakeholders")
    )
    markers = ["organisation.name", "eds_service.service", "eds_outcome.evidence"]
    markers += ["eds_outcome.stakeholders"]
    client = client_for("administrator")
    url = reverse("equality:eds-report", kwargs={"pk": eds.pk})
    html = client.get(url, {"format": "html"})
    assert html.status_code == 200
    page = html.content.decode()
    assert_escaped_html(page, markers)
    assert_literal_pdf(client.get(url).content, tmp_path, markers)


def test_the_programme_report_shows_its_name_and_organisation_as_text(client_for, tmp_path):
    programme = make_programme(
        make_organisation(name=text("organisation.name")), name=text("programme.name")
    )
    Programme.objects.filter(pk=programme.pk).update(aims=text("programme.aims"))
    make_activity(programme, place=text("activity.place"), notes=text("activity.notes"))
    markers = ["programme.name"]
    client = client_for("administrator")
    url = reverse("action:programme-report", kwargs={"pk": programme.pk})
    html = client.get(url, {"format": "html"})
    assert html.status_code == 200
    assert_escaped_html(html.content.decode(), markers)
    assert_literal_pdf(client.get(url).content, tmp_path, markers)


def test_the_profile_pdf_shows_activities_and_insights_as_text(
    loaded,  # noqa: F811
    use_fixture_geography,  # noqa: F811
    client_for,
    tmp_path,
):
    from healthgap.reports import render_profile
    from healthgap.web.need.models import Area, ResultsLoad
    from healthgap.web.need.views.report import community_for

    organisation = make_organisation(name=text("organisation.name"))
    programme = make_programme(organisation, name=text("programme.name"))
    make_activity(programme, organisation, lsoa21="E01000001")
    make_insight(organisation=organisation, neighbourhood="E01000001", summary=text("insight"))
    assert Activity.objects.filter(lsoa21="E01000001").exists()
    assert Insight.objects.filter(neighbourhood="E01000001").exists()
    assert Organisation.objects.filter(name=text("organisation.name")).exists()
    markers = ["organisation.name", "programme.name", "insight"]
    analyst = client_for("analyst")
    response = analyst.get(reverse("need:area-report", args=["E01000001"]))
    assert response.status_code == 200
    assert_literal_pdf(response.content, tmp_path, markers)
    # The same report as HTML (the view serves only the PDF; the HTML is what WeasyPrint read).
    area, load = Area.objects.get(code="E01000001"), ResultsLoad.current()
    user = response.wsgi_request.user
    html = render_profile(load.source, area.code, fmt="html", community=community_for(area, user))
    assert_escaped_html(html.decode() if isinstance(html, bytes) else html, markers)
