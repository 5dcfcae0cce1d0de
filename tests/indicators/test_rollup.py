"""Roll-ups of the fine table: sums by area, Census ethnic group, and the long breakdown table."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from healthgap.errors import ArgumentError
from healthgap.indicators import load_catalogue
from healthgap.indicators.rollup import NOT_KNOWN_GROUP, breakdowns, rollup, tidy_finest

COLUMNS = [
    "indicator_id",
    "period",
    "lsoa21",
    "ethnicity",
    "sex",
    "age_band",
    "numerator",
    "denominator",
]
FLU = "flu_vaccination_65_plus"
FINEST = tidy_finest(
    pd.DataFrame(
        [
            (FLU, "2024/25", "E01000001", "A", "1", "65-69", 3, 4),
            (FLU, "2024/25", "E01000001", "H", "2", "70-74", 1, 2),
            (FLU, "2024/25", "E01000002", "R", "2", "65-69", 2, 5),
            (FLU, "2024/25", "E01000003", "Z", "1", "90+", 0, 1),
            (FLU, "2024/25", None, "99", "2", "65-69", 1, 1),
            (FLU, "2025/26", "E01000001", "A", "1", "65-69", 4, 4),
        ],
        columns=COLUMNS,
    )
)
AREAS = pd.DataFrame(
    {
        "lsoa21": ["E01000001", "E01000002", "E01000003"],
        "imd_decile": [1, 1, 10],
        "icb24": ["Q1", "Q2", "Q2"],
    }
)


def _row(frame: pd.DataFrame, **where) -> tuple[int, int]:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].isna() if value is None else frame[column] == value
    assert mask.sum() == 1, frame[mask]
    row = frame[mask].iloc[0]
    return int(row["numerator"]), int(row["denominator"])


def test_total():
    out = rollup(FINEST)
    assert _row(out, period="2024/25") == (3 + 1 + 2 + 0 + 1, 4 + 2 + 5 + 1 + 1)


def test_imd_decile_from_areas_unmatched_kept_as_missing():
    out = rollup(FINEST, "imd_decile", areas=AREAS)
    assert _row(out, period="2024/25", imd_decile=1) == (3 + 1 + 2, 4 + 2 + 5)
    assert _row(out, period="2024/25", imd_decile=10) == (0, 1)
    assert _row(out, period="2024/25", imd_decile=None) == (1, 1)


def test_census_2021_ethnic_groups():
    out = rollup(FINEST, "ethnicity5")
    # H (Indian) and R (Chinese) are both Asian in Census 2021's high-level groups.
    assert _row(out, period="2024/25", ethnicity5="Asian") == (1 + 2, 2 + 5)
    assert _row(out, period="2024/25", ethnicity5="White") == (3, 4)
    assert _row(out, period="2024/25", ethnicity5=NOT_KNOWN_GROUP) == (0 + 1, 1 + 1)


def test_unknown_breakdown_column():
    with pytest.raises(ArgumentError, match="Breakdown 'imd_decile' needs an areas table"):
        rollup(FINEST, "imd_decile")
    with pytest.raises(
        ArgumentError,
        match=re.escape("The areas table has no 'core20' column; it has: imd_decile, icb24."),
    ):
        rollup(FINEST, "core20", areas=AREAS)


def test_breakdowns_within_icb():
    indicators = load_catalogue(ids=[FLU])
    out = breakdowns(FINEST, indicators, areas=AREAS, within="icb24")
    q2 = out[(out["area_code"] == "Q2") & (out["period"] == "2024/25")]
    assert _row(q2, breakdown="total", group="all") == (2 + 0, 5 + 1)
    assert _row(q2, breakdown="sex", group="2") == (2, 5)
    assert set(out["breakdown"]) == {
        "total",
        "lsoa21",
        "imd_decile",
        "ethnicity5",
        "sex",
        "age_band",
    }
    assert (out["age_band"] == "all").all()


def test_dsr_breakdowns_keep_every_standard_band():
    dsr = "emergency_admissions_dsr"
    finest = tidy_finest(
        pd.DataFrame(
            [
                (dsr, "2024/25", "E01000001", "A", "1", "0-4", 2, 10),
                (dsr, "2024/25", "E01000001", "A", "2", "90+", 1, 3),
            ],
            columns=COLUMNS,
        )
    )
    out = breakdowns(finest, load_catalogue(ids=[dsr]), areas=AREAS)
    total = out[out["breakdown"] == "total"]
    assert len(total) == 19  # all ESP2013 bands, zero-filled
    assert _row(total, age_band="0-4") == (2, 10)
    assert _row(total, age_band="5-9") == (0, 0)
    assert total.set_index("age_band").loc["90+", "standard_population"] == 1000
    assert total["standard_population"].sum() == 100_000
    by_sex = out[(out["breakdown"] == "sex") & (out["group"] == "2")]
    assert _row(by_sex, age_band="90+") == (1, 3)
