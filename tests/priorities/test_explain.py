"""Pieces of the explanation sentence: values in their units and group labels."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from healthgap.priorities.explain import format_value, group_label


@pytest.mark.parametrize(
    ("value", "multiplier", "text"),
    [
        (58.125, 100, "58.1%"),
        (1234.56, 100_000, "1,234.6 per 100,000"),
        (12.34, 1000, "12.3 per 1,000"),
        (0.12345, 1, "0.123"),
        (math.nan, 100, "NA"),
    ],
)
def test_values_are_written_in_their_units(value: float, multiplier: float, text: str) -> None:
    assert format_value(value, multiplier) == text


def test_group_labels() -> None:
    kinds = ["all", "ethnicity5", "ethnicity19", "ethnicity5", "sex", "age_band", "imd_decile",
             "imd_quintile", "region"]  # fmt: skip
    labels = ["All", "Black", "Pakistani", "Not stated or not known", "Female", "65-69", "1",
              "5", "North"]  # fmt: skip
    got = group_label(pd.Series(kinds), pd.Series(labels)).tolist()
    assert got == [
        "",
        " (Black ethnic group)",
        " (Pakistani ethnic group)",
        " (ethnic group not stated or not known)",
        " (Female)",
        " (aged 65-69)",
        " (IMD decile 1)",
        " (IMD quintile 5)",
        " (region North)",
    ]
