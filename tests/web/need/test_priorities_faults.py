"""Small faults on the priorities and atlas pages, each checked where it showed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from healthgap.web.need.atlas import legend_labels
from healthgap.web.need.figures import count, number
from healthgap.web.need.models import Indicator, Priority


def test_legend_classes_do_not_overlap_once_rounded():
    # Class 0 ends at 12.46 and class 1 starts at 12.54: both show as 12.5%, which the old
    # "min to max" labels claimed twice ("10.0% to 12.5%", "12.5% to 14.0%").
    bounds = {0: (10.0, 12.46), 1: (12.54, 14.0), 2: (14.04, 20.0)}
    labels = legend_labels(bounds, lambda v: number(v, "%"))
    assert labels == {0: "10.0% to 12.5%", 1: "over 12.5% to 14.0%", 2: "over 14.0% to 20.0%"}
    # Whole-number headroom: 2.6 and 3.4 both show as 3.
    assert legend_labels({0: (1.0, 2.6), 1: (3.4, 1234.0)}, count) == {
        0: "1 to 3",
        1: "over 3 to 1,234",
    }


@pytest.mark.django_db
def test_priority_page_spaces_the_unit_and_separates_thousands(loaded, client_for):
    priority = Priority.objects.get(rank=1)
    Priority.objects.filter(pk=priority.pk).update(benchmark_value=6652.5, headroom=1234.4)
    # A rate per 100,000 (unit "per 100,000"), as emergency admissions are.
    Indicator.objects.filter(pk=priority.indicator_id).update(multiplier=100000, method="dsr")
    page = client_for("analyst").get(reverse("need:priority-detail", args=[priority.pk]))
    text = page.content.decode()
    assert "6,652.5 per 100,000" in text and "6652.5per" not in text
    assert "1,234 people (95% CI" in text
