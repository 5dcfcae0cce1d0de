"""The compiler's internal layout, beyond what the catalogue exercises (DuckDB; the spec tests
run every backend)."""

from __future__ import annotations

import pandas as pd
import pytest

from healthgap.indicators import compile as compiler
from healthgap.indicators import load_catalogue
from healthgap.indicators.backends import connect, execute_finest
from healthgap.indicators.plan import plan
from healthgap.indicators.reference import reference_finest
from tests.spec.synthetic import population

CATALOGUE = load_catalogue()


def test_flags_and_code_lists_spread_over_several_words(monkeypatch):
    # The catalogue's flags fit one 62-bit word; with 5 bits a word the same indicators need
    # ten flag words and five code-list words, and must still match the reference engine.
    monkeypatch.setattr(compiler, "WORD_BITS", 5)
    layout = compiler._Layout(plan(CATALOGUE))
    assert len(layout.words) > 2 and len(layout.masks_words) > 2
    people, events = population(CATALOGUE, n_people=300, n_events=3000, seed=11)
    got = execute_finest(connect("duckdb"), CATALOGUE, people, events)
    pd.testing.assert_frame_equal(got, reference_finest(CATALOGUE, people, events))


@pytest.mark.parametrize(
    ("born", "age"),
    [(2024 * 12 + 2, 1), (2024 * 12 + 3, 0), (2025 * 12 + 2, 0), (2025 * 12 + 3, None)],
)
def test_age_from_birth_month(born, age):
    # On 2025-03-31 (month 2025·12 + 2): born March 2024 is 1, April 2024 is 0, born in
    # March 2025 is 0, born April 2025 is not born yet.
    assert compiler._age(pd.Timestamp("2025-03-31").date(), born) == age
