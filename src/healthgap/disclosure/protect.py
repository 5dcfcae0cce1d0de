"""Protect a table of counts: primary suppression, rounding, complementary suppression, and the
intruder check that closes the loop. `protect_table` is the generic entry point (any table of
counts with the sums published beside it); `protect_results` builds on `protect_cells`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.disclosure.intruder import lp_bounds, narrowed, prior, propagate
from healthgap.disclosure.links import Links, Relation, links_from_relations
from healthgap.disclosure.policy import Policy, get_policy
from healthgap.disclosure.suppress import (
    PRIMARY,
    STATUS_NAMES,
    VISIBLE,
    Cells,
    hypercube_pass,
    repair,
)
from healthgap.errors import ArgumentError


def protect_cells(
    values: np.ndarray,
    links: Links,
    policy: Policy,
    *,
    cost: np.ndarray | None = None,
    floor: np.ndarray | None = None,
    lp_check: bool = False,
    max_rounds: int = 50,
) -> Cells:
    """Decide which cells to hide. `values`: true counts (NaN: not a count, never hidden);
    `floor`: a lower bound on each count that statistics published beside it reveal (NaN:
    none), raising the intruder's starting interval above the rounding's;
    `cost`: information lost by hiding each cell (default 1 + log(1 + count)).

    The loop ends when the interval-propagation intruder narrows no small count below
    `policy.min_values` values and, with `lp_check`, neither does the linear-programming
    intruder (two HiGHS solves per small count: affordable for the small tables of
    `protect_table`, not for a whole ICB's results)."""
    values = np.asarray(values, dtype=float)
    status = np.where(policy.primary(values), PRIMARY, VISIBLE).astype(np.int8)
    low, high = policy.published_interval(np.nan_to_num(values))
    if floor is not None:
        low = np.fmax(low, floor)
    if cost is None:
        cost = 1.0 + np.log1p(np.nan_to_num(values))
    cost = np.where(np.isnan(values), np.inf, cost)
    cells = Cells(values, low.astype(float), high.astype(float), status, np.asarray(cost, float))
    if not policy.secondary or links.relations == 0:
        return cells
    for _ in range(max_rounds):
        hypercube_pass(cells, links, policy)
        know = prior(cells, policy)
        low_i, high_i = propagate(know, links)
        still = narrowed(cells, low_i, high_i, policy)
        if len(still) == 0 and lp_check:
            small = np.flatnonzero(cells.status == PRIMARY)
            low_s, high_s = low_i.copy(), high_i.copy()
            low_s[small], high_s[small] = lp_bounds(know, links, small, start=(low_i, high_i))
            still = narrowed(cells, low_s, high_s, policy)
        if len(still) == 0 or repair(cells, links, policy, still) == 0:
            break
    return cells


def protect_table(
    counts: pd.Series | Sequence[float],
    relations: Sequence[Relation],
    policy: str | Policy = "public",
    *,
    cost: pd.Series | Sequence[float] | None = None,
) -> pd.DataFrame:
    """Protect any table of counts published with sums between its cells.

    `counts`: one count per cell, labelled by its index (e.g. `(group, area)` tuples, or
    `("All", area)` for a total); `relations`: every sum published with the table, each a
    `Relation(total=label, parts=(labels...))` meaning total = sum of parts (a cross-tab gives
    one relation per row and one per column; a total over groups one relation). `cost`:
    optional relative loss of hiding each cell (default grows with the count). The result is
    checked against the linear-programming intruder (`healthgap.disclosure.intruder`).

    Returns a frame indexed like `counts` with `count` (the true count), `published` (rounded
    to the policy's base; NaN when hidden) and `suppression` ("", "primary" for a small count,
    "secondary" for a complement hidden so that no small count can be worked out).

    Example: counts {total: 91, a: 27, b: 19, c: 42, d: 3} with Relation("total", ("a", "b",
    "c", "d")) hides d (3) and at least one more cell, so 91 - 27 - 19 - 42 cannot be solved.
    """
    policy = get_policy(policy)
    series = pd.Series(counts, dtype=float)
    if series.index.has_duplicates:
        raise ArgumentError("protect_table needs one count per cell label; labels repeat.")
    values = series.to_numpy()
    links = links_from_relations(list(series.index), relations, values)
    weights = None if cost is None else pd.Series(cost, index=series.index).to_numpy(float)
    cells = protect_cells(values, links, policy, cost=weights, lp_check=True)
    shown = policy.round(values)
    hidden = cells.status != VISIBLE
    return pd.DataFrame(
        {
            "count": values,
            "published": np.where(hidden, np.nan, shown),
            "suppression": STATUS_NAMES[cells.status],
        },
        index=series.index,
    )
