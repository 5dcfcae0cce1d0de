"""A results load refreshes PostgreSQL's planner statistics of the tables it replaced.

Without it the planner took the freshly COPYed 480,000 result rows of the demo for a handful
(`reltuples` -1, never analysed) and the atlas's period query ran as a nested loop: 2.9 s a
request instead of 0.4 s for the whole page (docs/reliability.md, "Load"). ANALYZE of a table
this small reads every row, so `reltuples` is then the exact row count.
"""

from __future__ import annotations

import pytest
from django.db import connection

from healthgap.web.need.models import Area, Result

pytestmark = pytest.mark.django_db


def test_a_results_load_analyses_the_tables_it_filled(loaded):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL NOT TESTED here (SQLite needs no ANALYZE): make test-postgres")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN ('need_result', 'need_area')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        "need_result": Result.objects.count(),
        "need_area": Area.objects.count(),
    }
    assert Result.objects.count() == 14  # the hand-made store (tests/web/need/stores.py)
