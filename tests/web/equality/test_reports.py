"""The WRES and EDS reports as PDF: pdftotext finds the parts; the public version shows no
count of 1 to 7 (and hides the values derived from one); the reminders command."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from healthgap.equality.wres import wres_indicators
from healthgap.reports.equality import render_eds, render_wres, wres_report
from healthgap.web.equality import actions
from healthgap.web.equality.domain import eds_assessment
from tests.web.equality.factories import make_eds, make_ehia, make_lead
from tests.web.factories import TEST_JOB, make_organisation

pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")

# Indicator 2 has 5 BME appointed (a count of 1-7); indicator 9 has 3 BME board members.
SMALL = (
    "indicator,ethnicity,band,staff_group,numerator,denominator\n"
    "1,White,5,clinical,700,1000\n1,BME,5,clinical,250,1000\n1,Unknown,5,clinical,50,1000\n"
    "2,White,,,50,200\n2,BME,,,5,100\n3,White,,,10,900\n3,BME,,,20,300\n"
    "9,White,,voting,9,12\n9,BME,,voting,3,12\n"
)


def _text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


@pdftotext
def test_public_wres_report_has_its_parts_and_no_count_of_1_to_7():
    results = wres_indicators(io.StringIO(SMALL))
    report = wres_report(
        results,
        "Trust A",
        "",
        narrative={"context": "Fewer gaps."},
        actions=(
            {
                "indicator": "2",
                "action": "Diverse panels",
                "owner": "Director of People",
                "due": "2026-03-31",
                "done": False,
            },
        ),
    )
    text = _text(render_wres(report, "pdf"))
    for part in (
        "Part 1: the indicators",
        "Part 2: narrative",
        "Part 3: action plan",
        "Fewer gaps.",
        "Diverse panels",
    ):
        assert part in text
    # Indicator 2: the 5 BME appointed is hidden, and with it the relative likelihood.
    line_2 = next(line for line in text.splitlines() if line.strip().startswith("2 "))
    assert "* / 100" in line_2 and " 5 / " not in line_2
    # Indicator 9: 3 BME of 12 (and the complement 9) hidden; 12 is rounded to 10.
    board = next(line for line in text.splitlines() if line.strip().startswith("9 (Board"))
    assert "* / 10" in board and not re.search(r"(?<![\d.])[1-7] /", board)


@pdftotext
def test_analyst_version_keeps_every_count():
    results = wres_indicators(io.StringIO(SMALL))
    text = _text(render_wres(wres_report(results, "Trust A", "", policy="none"), "pdf"))
    line_2 = next(line for line in text.splitlines() if line.strip().startswith("2 "))
    assert "5 / 100" in line_2


@pdftotext
@pytest.mark.django_db
def test_eds_summary_pdf_shows_the_overall_rating():
    eds = make_eds(make_organisation(name="Trust A"))
    text = _text(render_eds(eds_assessment(eds), "pdf"))
    # 11 outcomes graded 2: 22 of 33, Achieving (22-32).
    assert "Overall rating: Achieving (22 of 33)" in text
    assert "Diabetes, Maternity, Stroke" in " ".join(text.split())


@pytest.mark.django_db
def test_reminders_list_and_email_due_actions():
    organisation = make_organisation()
    owner = make_lead(organisation, email="lead@example.org")
    ehia = make_ehia(organisation, owner=owner)
    actions.add_ehia_action(
        by=TEST_JOB,
        ehia=ehia,
        description="Run a carers' forum",
        owner=owner,
        due=date(2026, 3, 1),
        review_on=None,
    )
    out = io.StringIO()
    call_command("equality_reminders", "--today", "2026-03-04", "--send", stdout=out)
    assert "action due 'Run a carers' forum'" in out.getvalue()
    assert "3 days overdue" in out.getvalue()  # 1 March to 4 March
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lead@example.org"]
    out = io.StringIO()
    call_command(
        "equality_reminders", "--today", str(date(2026, 3, 1) - timedelta(days=1)), stdout=out
    )
    assert "Nothing is due" in out.getvalue()


@pdftotext
def test_cli_writes_the_public_report(tmp_path):
    from typer.testing import CliRunner

    from healthgap.cli import app

    counts = tmp_path / "counts.csv"
    counts.write_text(SMALL)
    out = tmp_path / "wres.pdf"
    args = [
        "equality",
        "report",
        "--counts",
        str(counts),
        "--out",
        str(out),
        "--organisation",
        "Trust A",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = _text(out.read_bytes())
    assert "Workforce Race Equality Standard" in text and "Trust A" in text
    line_2 = next(line for line in text.splitlines() if line.strip().startswith("2 "))
    assert "* / 100" in line_2
