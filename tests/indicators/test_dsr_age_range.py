"""A DSR of an age-restricted cohort (falls admissions, 65 and over) is standardised over the
standard population of its own bands, as Fingertips 22401 is: W is the sum of the ESP2013
weights of 65-69 ... 90+ (5,500 + 5,000 + 4,000 + 2,500 + 1,500 + 1,000 = 19,500), not the
whole 100,000. A 1% rate in every band is then 1,000 per 100,000 aged 65+ (with all 100,000 of
W it would read 195)."""

from __future__ import annotations

import pandas as pd
import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators.tidy import statistics

FALLS = "emergency_admissions_falls_65_plus_dsr"
BANDS = ["65-69", "70-74", "75-79", "80-84", "85-89", "90+"]
WEIGHTS = [5500, 5000, 4000, 2500, 1500, 1000]


def _counts(numerators: list[int], denominators: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": FALLS,
            "period": "2024/25",
            "area_type": "icb24",
            "area_code": "E54000062",
            "category_type": "all",
            "category": "All",
            "age_band": BANDS,
            "numerator": numerators,
            "denominator": denominators,
        }
    )


def test_the_standard_is_the_cohorts_own_bands():
    catalogue = load_catalogue(ids=[FALLS])
    assert list(catalogue[FALLS].standard_weights) == BANDS
    assert sum(catalogue[FALLS].standard_weights.values()) == sum(WEIGHTS) == 19_500
    out = statistics(_counts([10] * 6, [1000] * 6), catalogue)
    assert out["value"].iloc[0] == pytest.approx(0.01 * 100_000)


def test_band_rates_are_weighted_by_their_standard_population():
    catalogue = load_catalogue(ids=[FALLS])
    # rates 1%, 2%, 3%, 4%, 5%, 6% (x = 10k of n = 1000)
    out = statistics(_counts([10, 20, 30, 40, 50, 60], [1000] * 6), catalogue)
    expected = (
        (5500 * 0.01 + 5000 * 0.02 + 4000 * 0.03 + 2500 * 0.04 + 1500 * 0.05 + 1000 * 0.06)
        / 19_500
        * 100_000
    )
    assert out["value"].iloc[0] == pytest.approx(expected)  # = 2,615.38...
