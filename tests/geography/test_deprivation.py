"""IMD tables, quintiles and the Core20 rule (rank <= 20% of the national number of LSOAs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, InputDataError
from healthgap.geography import core20_from_rank, imd2019, imd2025, quintile_from_decile


def test_core20_on_hand_made_ranks() -> None:
    # 10 areas: 20% of 10 = 2, so ranks 1 and 2 (the most deprived) are Core20.
    flags = core20_from_rank(pd.Series([3, 1, 10, 2, 5]), n_areas=10)
    assert flags.tolist() == [False, True, False, True, False]


@pytest.mark.parametrize(
    ("n_areas", "last_core20"),
    [
        (33_755, 6_751),  # IoD2025: 0.2 x 33,755 = 6,751 exactly
        (32_844, 6_568),  # IoD2019: 0.2 x 32,844 = 6,568.8, so rank 6,568 is the last
        (7, 1),  # 0.2 x 7 = 1.4
        (4, 0),  # 0.2 x 4 = 0.8: no area is in the most deprived 20%
    ],
)
def test_core20_boundary(n_areas: int, last_core20: int) -> None:
    ranks = [r for r in (last_core20, last_core20 + 1) if r >= 1]
    flags = core20_from_rank(ranks, n_areas=n_areas).tolist()
    assert flags == [r == last_core20 for r in ranks]


def test_tied_ranks_get_the_same_flag() -> None:
    assert core20_from_rank([6568, 6568, 6570], n_areas=32_844).tolist() == [True, True, False]


@pytest.mark.parametrize("bad", [0, 11, 2.5, None, "x", -1])
def test_core20_rejects_ranks_outside_1_to_n(bad: object) -> None:
    with pytest.raises(InputDataError, match=r"IMD ranks must be whole numbers from 1 to 10"):
        core20_from_rank([1, bad], n_areas=10)


@pytest.mark.parametrize("n_areas", [0, -5, 2.5, True, "10"])
def test_core20_rejects_a_bad_number_of_areas(n_areas: object) -> None:
    with pytest.raises(ArgumentError, match="n_areas must be a positive whole number"):
        core20_from_rank([1], n_areas=n_areas)  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=40_000), st.data())
def test_core20_is_exactly_the_most_deprived_fifth(n_areas: int, data: st.DataObject) -> None:
    ranks = np.arange(1, n_areas + 1)
    flags = core20_from_rank(ranks, n_areas=n_areas)
    assert flags.sum() == n_areas // 5  # floor(0.2 N) areas
    rank = data.draw(st.integers(min_value=1, max_value=n_areas))
    assert flags.iloc[rank - 1] == (rank <= 0.2 * n_areas + 1e-9)


def test_quintile_from_decile() -> None:
    deciles = pd.Series(range(1, 11))
    assert quintile_from_decile(deciles).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.mark.parametrize("bad", [0, 11, 1.5, None])
def test_quintile_rejects_bad_deciles(bad: object) -> None:
    with pytest.raises(InputDataError, match=r"IMD deciles must be whole numbers from 1 to 10"):
        quintile_from_decile([1, bad])


def test_imd2025_on_the_fixture(config: DataConfig) -> None:
    table = imd2025(config).set_index("lsoa21_code")
    assert table.loc["E01000007", ["imd_rank", "imd_decile", "imd_quintile"]].tolist() == [7, 7, 4]
    assert table.loc["E01000007", "barriers_score"] == 50 - 4 * 7
    assert table["core20"].sum() == 2  # N = 10: ranks 1 and 2
    for domain in ("income", "employment", "education", "health", "crime", "environment"):
        assert {f"{domain}_score", f"{domain}_rank", f"{domain}_decile"} <= set(table.columns)


def test_imd2019_has_ranks_and_deciles_but_no_scores(config: DataConfig) -> None:
    table = imd2019(config).set_index("lsoa11_code")
    assert not [column for column in table.columns if column.endswith("_score")]
    # The fixture ranks the ten 2011 LSOAs 10, 9, ..., 1 in file order.
    assert table.loc["E01000010", ["imd_rank", "imd_quintile", "core20"]].tolist() == [1, 1, True]
    assert table.loc["E01000001", ["lad19_code", "imd_rank", "core20"]].tolist() == [
        "E08000001", 10, False,
    ]  # fmt: skip
