"""The public ranking of priorities, computed at load time (`healthgap.web.need.ranking`).

Every number is invented input; expected ranks are worked out by hand in the comments.
"""

from __future__ import annotations

import pandas as pd

from healthgap.web.need.ranking import priority_frame

FLU = "flu_vaccination_65_plus"


def _priorities() -> pd.DataFrame:
    # rank, area, category_type, category, group_rank, headroom, lowercl
    rows = [
        (1, "B", "all", "All", 0, 50.0, 40.0),  # hidden
        (1, "B", "ethnicity5", "Asian", 1, 10.0, 5.0),
        (2, "C", "all", "All", 0, 40.0, 30.0),
        (3, "A", "all", "All", 0, 30.0, 20.0),
        (3, "A", "ethnicity5", "Black", 1, 20.0, 10.0),  # hidden
        (4, "D", "all", "All", 0, 5.0, 1.0),  # no results row: not published
    ]
    return pd.DataFrame(
        [
            {"rank": r, "indicator_id": FLU, "period": "2024/25", "area_code": a,
             "category_type": t, "category": c, "group_rank": g, "headroom": h,
             "headroom_lowercl": lo}
            for r, a, t, c, g, h, lo in rows
        ]
    )  # fmt: skip


def _results() -> pd.DataFrame:
    hidden = {("B", "All"), ("A", "Black")}
    keys = [("B", "all", "All"), ("B", "ethnicity5", "Asian"), ("C", "all", "All"),
            ("A", "all", "All"), ("A", "ethnicity5", "Black")]  # fmt: skip
    return pd.DataFrame(
        [
            {
                "indicator_id": FLU,
                "period": "2024/25",
                "area_code": a,
                "category_type": t,
                "category": c,
                "suppressed": (a, c) in hidden,
            }
            for a, t, c in keys
        ]
    )


def _by_key(frame: pd.DataFrame) -> dict[tuple[str, str], dict]:
    return {(r["area_code"], r["category"]): r for r in frame.to_dict("records")}


def test_public_ranking_leaves_hidden_rows_out_and_renumbers():
    out = _by_key(priority_frame(_priorities(), _results(), {FLU: "proportion"}))
    # Published entries and their keys: C (Everyone, 40), A (Everyone, 30), B (only its
    # Asian group is published, 10). Ranked by the published key: C 1, A 2, B 3 -- B's
    # hidden Everyone row (50) no longer puts it first, and D (no published figure) is out.
    assert [out[k]["public_rank"] for k in [("C", "All"), ("A", "All"), ("B", "Asian")]] == [
        1,
        2,
        3,
    ]
    assert out[("B", "Asian")]["public_lead"] and out[("B", "Asian")]["public_group_rank"] == 1
    for hidden in [("B", "All"), ("A", "Black"), ("D", "All")]:
        assert not out[hidden]["published"]
        assert pd.isna(out[hidden]["public_rank"]) and not out[hidden]["public_lead"]
    # The analyst's ranking is the store's: B first, its Everyone row leading.
    assert out[("B", "All")]["rank"] == 1 and out[("B", "All")]["lead"]
    assert not out[("B", "Asian")]["lead"]


def test_missing_columns_are_filled_from_the_category_and_method():
    old = _priorities().drop(columns=["group_rank"])
    out = _by_key(priority_frame(old, _results().drop(columns=["suppressed"]), {FLU: "rate"}))
    assert out[("A", "All")]["group"] == "Everyone" and out[("A", "Black")]["group"] == "Black"
    assert out[("A", "All")]["group_rank"] == 0 and out[("A", "Black")]["group_rank"] == 1
    assert out[("A", "All")]["unit"] == "events"  # a rate counts events
    # Unprotected results: every row is published.
    assert all(row["published"] for row in out.values())
