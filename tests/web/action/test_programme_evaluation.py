"""The programme page's monitoring, evaluation and equity impact, and the programme report
download, per role (web.action.evaluation over reports.programme).

The results store holds a hand-made monthly series (seeded): 8 programme LSOAs and 24 others,
April 2023 to March 2026, about 50 events a month in 1,000 people per LSOA, the programme's
LSOAs losing a fifth of their events from October 2024. The recovery of a known effect is
tested on a synthetic population in tests/reports/test_programme.py; here the pages are.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from healthgap.indicators.series_store import publish_series
from healthgap.indicators.store import publish
from healthgap.web.action import evaluation
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.need.models import Area, AreaType, ResultsLoad
from tests.web.action.factories import make_programme

pytestmark = pytest.mark.django_db

ACSC = "emergency_admissions_acsc_dsr"
LAD = "E08000030"
CODES = [f"E0101{k:04d}" for k in range(40, 72)]
MINE, OTHERS = CODES[:8], CODES[8:]
MONTHS = pd.date_range("2023-04-01", periods=36, freq="MS")
START = date(2024, 10, 1)
ROLES = ("public", "administrator", "analyst", "partner", "champion")


def _series() -> pd.DataFrame:
    rng = np.random.default_rng(10)
    rows = []
    for code in CODES:
        for month in MONTHS:
            mean = 50 * (0.8 if code in MINE and month >= pd.Timestamp(START) else 1.0)
            n = int(rng.poisson(mean))
            rows.append({"indicator_id": ACSC, "area_type": "lsoa21", "area_code": code,
                         "period_start": month.date(), "numerator": n, "denominator": 1000,
                         "value": np.nan, "lowercl": np.nan, "uppercl": np.nan,
                         "method": "dsr", "multiplier": 100000.0})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture
def loaded(tmp_path):
    """A results store with the series, loaded as the app's current results, and its areas."""
    root = tmp_path / "results"
    publish(root, {"results": pd.DataFrame({"indicator_id": [ACSC]})}, {})
    live = publish_series(root, _series(), {"indicators": [ACSC]})
    ResultsLoad.objects.create(source=str(root), version=live.version, icb_code="E54000062")
    lad = Area.objects.create(code=LAD, name="Walsall", area_type=AreaType.LAD)
    for k, code in enumerate(CODES):
        Area.objects.create(code=code, name=f"Walsall {k:03d}A", area_type=AreaType.LSOA,
                            parent=lad, imd_score=70.0 - k)  # fmt: skip
    evaluation._evaluate.cache_clear()
    return root


def _programme(**fields):
    defaults = {"name": "Proactive care", "target_indicators": [ACSC], "target_areas": [LAD, *MINE],
                "start_date": START}  # fmt: skip
    return make_programme(**{**defaults, **fields})


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_monitoring_and_evaluation(client_for, loaded, role):
    programme = _programme()
    page = client_for(role).get(reverse("action:programme-detail", args=[programme.pk]))
    assert page.status_code == 200
    found = page.context["evaluation"]
    assert found.policy == ("none" if role == "analyst" else "public")
    assert found.did.effect is not None and found.did.effect.uppercl < 0
    assert len(found.comparators) == 24
    text = page.text
    assert "Monitoring and evaluation" in text
    assert "more than in the matched comparison areas" in text
    assert "Download programme report (PDF)" in text
    assert text.count('class="icon variation') == 1  # the MDC chart's variation icon


def test_public_counts_are_rounded_and_analysts_see_them_as_computed(client_for, loaded):
    programme = _programme()
    url = reverse("action:programme-detail", args=[programme.pk])
    public = client_for("public").get(url).context["evaluation"].series
    analyst = client_for("analyst").get(url).context["evaluation"].series
    assert (public["numerator"] % 5 == 0).all()
    assert (analyst["numerator"] % 5 != 0).any()
    # about 8 x 50 = 400 events a month: rounding moves a count by at most 2
    assert (public["numerator"] - analyst["numerator"]).abs().max() <= 2


def test_a_programme_without_indicator_or_areas_says_so(client_for, loaded):
    programme = _programme(target_indicators=[], target_areas=[])
    page = client_for("public").get(reverse("action:programme-detail", args=[programme.pk]))
    assert "has no target indicator, target areas or start date yet" in page.text


def test_too_few_points_after_the_start_are_explained(client_for, loaded):
    programme = _programme(start_date=date(2026, 2, 1))
    page = client_for("public").get(reverse("action:programme-detail", args=[programme.pk]))
    assert "at least 8 points before and after the start" in page.text


def test_without_loaded_results_the_page_says_so(client_for, db):
    programme = _programme()
    page = client_for("public").get(reverse("action:programme-detail", args=[programme.pk]))
    assert page.status_code == 200
    assert "No results are loaded in the app yet" in page.text


def test_the_report_download_is_audit_logged_as_an_export(client_for, loaded):
    programme = _programme()
    url = reverse("action:programme-report", args=[programme.pk])
    response = client_for("partner").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.object_id == str(programme.pk) and event.changes["policy"] == "public"


def test_the_public_html_report_has_no_small_counts(client_for, loaded):
    programme = _programme()
    url = reverse("action:programme-report", args=[programme.pk])
    html = client_for("public").get(url, {"format": "html"}).content.decode("utf-8")
    assert "Compared with matched areas" in html
    for cell in pd.Series(html.split('<td class="num count">')[1:]).str.split("<").str[0]:
        assert cell == "*" or int(cell.replace(",", "")) % 5 == 0
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()  # anonymous: no actor
