"""The profile's better/similar/worse verdict sits on the area's own row and names what the
area is compared with (Fingertips' rule, `healthgap.stats.compare_with_benchmark`)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from healthgap.web.need.profile import verdict


@pytest.mark.parametrize(
    ("comparison", "comparator", "text"),
    [
        ("Worse", "the ICB", "Worse than the ICB (95% CI)"),
        ("Similar", "England", "Similar to England (95% CI)"),
        ("Higher", "England", "Higher than England (95% CI)"),
        ("Not compared", "the ICB", "Not compared with the ICB"),
    ],
)
def test_verdict_names_the_comparator(comparison, comparator, text):
    assert verdict(comparison, comparator) == text


def _text(cell: str) -> str:
    """A cell's text without the phone's column label (the NHS.UK responsive table's
    `nhsuk-table-responsive__heading`) or tags."""
    cell = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", cell)
    return re.sub(r"<[^>]+>", "", cell).strip()


def _rows(page: str) -> dict[str, list[str]]:
    """Row header -> the row's cells, for every row of every table (first seen wins)."""
    rows: dict[str, list[str]] = {}
    for header, body in re.findall(r'<th [^>]*scope="row"[^>]*>(.*?)</th>(.*?)</tr>', page, re.S):
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        rows.setdefault(_text(header), []).append(cells[-1])
    return rows


@pytest.mark.django_db
def test_the_verdict_is_on_the_area_row(loaded, client_for):
    # The analyst sees the store's own figures (the public's are recomputed from rounded counts).
    page = client_for("analyst").get(reverse("need:area", args=["E01000002"]))
    page = page.content.decode()
    compared = _rows(page)
    # Admissions (lower is better; the indicators are in name order): 3,900 (2,700 to 5,400)
    # lies wholly above the ICB's 1,450 and England's 1,400. Flu (higher is better): 75.0%
    # (59.8 to 85.8) lies wholly above the ICB's 40.3% and holds England's 80.0%.
    assert compared["Alpha 001B"] == [
        "Worse than the ICB (95% CI); Worse than England (95% CI)",
        "Better than the ICB (95% CI); Similar to England (95% CI)",
    ]
    assert compared["England"] == ["", ""]  # the comparators' rows carry no verdict


@pytest.mark.django_db
def test_the_profile_lists_only_the_priorities_the_viewer_may_see(loaded, client_for):
    # E01000001's only priority rests on 5 of 40 people: not published, so the public
    # profile neither ranks it nor shows its headroom; the analyst sees 25 people (15 to 35).
    url = reverse("need:area", args=["E01000001"])
    public = client_for("public").get(url).content.decode()
    assert "No ranked priorities in this area." in public
    analyst = client_for("analyst").get(url).content.decode()
    assert "25 people (95% CI 15 to 35)" in analyst
