"""Complementary suppression on hand-built tables, checked by the linear-programming intruder."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.disclosure import Policy, Relation, protect_table
from healthgap.disclosure.intruder import lp_bounds, prior, propagate
from healthgap.disclosure.links import links_from_relations
from healthgap.disclosure.protect import protect_cells
from healthgap.disclosure.suppress import PRIMARY, VISIBLE

PUBLIC = Policy("public")
UNROUNDED = Policy("unrounded", round_to=1)  # suppression alone: the harder case


def intruder_ranges(counts: pd.Series, relations: list[Relation], policy: Policy) -> dict:
    """Protect, then let the LP intruder bound every hidden small count: {label: (low, high)}."""
    values = counts.to_numpy(float)
    links = links_from_relations(list(counts.index), relations, values)
    cells = protect_cells(values, links, policy, lp_check=True)
    know = prior(cells, policy)
    start = propagate(know, links)
    small = np.flatnonzero(cells.status == PRIMARY)
    low, high = lp_bounds(know, links, small, start=start)
    return {counts.index[i]: (lo, hi) for i, lo, hi in zip(small, low, high, strict=True)}


def values_in_1_to_7(low: float, high: float) -> int:
    return int(max(0, min(high, 7) - max(low, 1) + 1))


def test_issue_example_rounding_alone_leaves_3_unknown() -> None:
    # /action/activities/5/: reach 91 = 27 + 19 + 42 + 3. Published: 90, 25, 20, 40 and *.
    counts = pd.Series({"total": 91, "a": 27, "b": 19, "c": 42, "d": 3})
    relation = [Relation("total", ("a", "b", "c", "d"))]
    table = protect_table(counts, relation)
    assert table["published"].tolist()[:4] == [90, 25, 20, 40]
    assert table.loc["d", "suppression"] == "primary"
    # d = total - a - b - c with total 88..92, a 23..27, b 18..22, c 38..42:
    # from 88 - 27 - 22 - 42 = -3 (so 0) to 92 - 23 - 18 - 38 = 13: all of 1..7 stay possible.
    assert intruder_ranges(counts, relation, PUBLIC) == {"d": (0, 13)}


def test_issue_example_without_rounding_needs_a_complement() -> None:
    counts = pd.Series({"total": 91, "a": 27, "b": 19, "c": 42, "d": 3})
    relation = [Relation("total", ("a", "b", "c", "d"))]
    table = protect_table(counts, relation, UNROUNDED)
    assert table["suppression"].ne("").sum() >= 2  # 91 - 27 - 19 - 42 = 3 is no longer solvable
    ((low, high),) = intruder_ranges(counts, relation, UNROUNDED).values()
    assert values_in_1_to_7(low, high) >= 5


def test_msoa_minus_its_lsoas() -> None:
    # MSOA 12 = LSOAs 9 + 3 + 0 + 0. Rounded, the MSOA is 8..12 and the 9 is 8..12, zeros are
    # exact, so the 3 would be 12 - 9 in -4..4: only 1..4 of 1..7 (four values) stay possible.
    counts = pd.Series({"msoa": 12, "l1": 9, "l2": 3, "l3": 0, "l4": 0})
    relation = [Relation("msoa", ("l1", "l2", "l3", "l4"))]
    table = protect_table(counts, relation)
    # The cheapest complement is the LSOA of 9 (cost 1 + ln 10 < 1 + ln 13 for the MSOA);
    # then l1 + l2 = 8..12 and l2 is anywhere in 0..12.
    assert table["suppression"].to_dict() == {
        "msoa": "", "l1": "secondary", "l2": "primary", "l3": "", "l4": "",
    }  # fmt: skip
    assert table.loc["msoa", "published"] == 10 and np.isnan(table.loc["l1", "published"])
    assert intruder_ranges(counts, relation, PUBLIC) == {"l2": (0, 12)}


def crosstab(cells: np.ndarray) -> tuple[pd.Series, list[Relation]]:
    """A rows x columns table with row, column and grand totals, as counts and relations."""
    rows, cols = cells.shape
    counts = {(r, c): cells[r, c] for r in range(rows) for c in range(cols)}
    counts |= {(r, "T"): cells[r].sum() for r in range(rows)}
    counts |= {("T", c): cells[:, c].sum() for c in range(cols)}
    counts[("T", "T")] = cells.sum()
    relations = [Relation((r, "T"), tuple((r, c) for c in range(cols))) for r in range(rows)]
    relations += [Relation(("T", c), tuple((r, c) for r in range(rows))) for c in range(cols)]
    relations.append(Relation(("T", "T"), tuple(("T", c) for c in range(cols))))
    relations.append(Relation(("T", "T"), tuple((r, "T") for r in range(rows))))
    return pd.Series(counts, dtype=float), relations


def test_cross_tab_reach_by_group_and_area() -> None:
    reach = np.array([[3, 40, 12], [25, 9, 0], [18, 2, 31]])
    counts, relations = crosstab(reach)
    table = protect_table(counts, relations, UNROUNDED)
    assert table.loc[[(0, 0), (2, 1)], "suppression"].tolist() == ["primary", "primary"]
    for low, high in intruder_ranges(counts, relations, UNROUNDED).values():
        assert values_in_1_to_7(low, high) >= 5


small_counts = st.integers(0, 30)


@settings(max_examples=40)
@given(
    st.integers(1, 4).flatmap(
        lambda r: st.integers(1, 4).flatmap(
            lambda c: st.lists(small_counts, min_size=r * c, max_size=r * c).map(
                lambda v: np.array(v, dtype=float).reshape(r, c)
            )
        )
    ),
    st.sampled_from([PUBLIC, UNROUNDED]),
)
def test_intruder_never_narrows_a_small_count_in_a_cross_tab(cells: np.ndarray, policy) -> None:
    counts, relations = crosstab(cells)
    for low, high in intruder_ranges(counts, relations, policy).values():
        assert values_in_1_to_7(low, high) >= 5


@settings(max_examples=30)
@given(st.lists(st.lists(small_counts, min_size=1, max_size=4), min_size=1, max_size=4),
       st.sampled_from([PUBLIC, UNROUNDED]))  # fmt: skip
def test_intruder_never_narrows_a_small_count_in_a_hierarchy(groups: list, policy) -> None:
    # top = sum of middles; each middle = sum of its leaves (LSOA -> MSOA -> LAD)
    counts = {
        ("leaf", g, i): float(v) for g, leaves in enumerate(groups) for i, v in enumerate(leaves)
    }
    counts |= {("mid", g): float(sum(leaves)) for g, leaves in enumerate(groups)}
    counts["top"] = float(sum(map(sum, groups)))
    relations = [Relation(("mid", g), tuple(("leaf", g, i) for i in range(len(leaves))))
                 for g, leaves in enumerate(groups)]  # fmt: skip
    relations.append(Relation("top", tuple(("mid", g) for g in range(len(groups)))))
    series = pd.Series(counts)
    for low, high in intruder_ranges(series, relations, policy).values():
        assert values_in_1_to_7(low, high) >= 5


def test_visible_cells_are_rounded_and_hidden_ones_nan() -> None:
    counts = pd.Series({"t": 40, "a": 22, "b": 18})
    table = protect_table(counts, [Relation("t", ("a", "b"))])
    assert table["published"].tolist() == [40, 20, 20]
    assert (table["suppression"] == "").all() and VISIBLE == 0
