"""The intruder the protection is tested against.

The intruder sees everything the public policy publishes: every visible count as its rounded
value (and knows the rounding base, so a published 10 means 8..12 and a published 0 means 0),
which counts are hidden (each a small number or a complement: the publication does not say
which, since "small number" on a total and on its parts would bound them all by 7), and every
additive relation between the cells (area hierarchy, breakdowns against their totals, nested
breakdowns). It then works out, for each hidden cell, the range of counts consistent with all
of that:

* `propagate` narrows intervals relation by relation until nothing changes (constraint
  propagation, using that counts are whole numbers);
* `lp_bounds` solves the two linear programmes min x_t and max x_t over every relation at once
  with HiGHS (`scipy.optimize.linprog(method="highs")`), the attacker problem of the
  cell-suppression literature (Fischetti and Salazar-Gonzalez 2000); its bounds are rounded
  inward to integers.

`narrowed` lists the hidden small counts left with fewer than `policy.min_values` possible
values: the protection guarantee is that it is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgap.disclosure.links import Links
from healthgap.disclosure.policy import Policy
from healthgap.disclosure.suppress import BIG, PRIMARY, VISIBLE, Cells

EPS = 1e-6


@dataclass(frozen=True)
class Knowledge:
    """What the intruder knows of each cell before solving the sums: [low, high] and status."""

    low: np.ndarray
    high: np.ndarray
    status: np.ndarray


def prior(cells: Cells, policy: Policy) -> Knowledge:
    """The intruder's starting intervals: published intervals for visible cells, 0..unbounded
    for hidden ones."""
    hidden = cells.status != VISIBLE
    low = np.where(hidden, 0.0, cells.low)
    high = np.where(hidden, BIG, cells.high)
    return Knowledge(low.astype(float), high.astype(float), cells.status.copy())


def propagate(know: Knowledge, links: Links, *,
              max_rounds: int = 200) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Intervals [low, high] per cell after interval propagation through every relation."""
    low, high = know.low.astype(float).copy(), know.high.astype(float).copy()
    r, c, s = links.relation, links.cell, links.sign
    order = np.argsort(c, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(c[order]) != 0])
    cells_sorted = c[order][starts]
    for _ in range(max_rounds):
        a = np.where(s > 0, low[c], -high[c])
        b = np.where(s > 0, high[c], -low[c])
        sum_a = np.bincount(r, weights=a, minlength=links.relations)
        sum_b = np.bincount(r, weights=b, minlength=links.relations)
        k = links.constant[r]
        lo_sx = k - (sum_b[r] - b)
        hi_sx = k - (sum_a[r] - a)
        new_lo = np.where(s > 0, lo_sx, -hi_sx)
        new_hi = np.where(s > 0, hi_sx, -lo_sx)
        best_lo = np.maximum.reduceat(new_lo[order], starts)
        best_hi = np.minimum.reduceat(new_hi[order], starts)
        before = (low.copy(), high.copy())
        low[cells_sorted] = np.maximum(low[cells_sorted], best_lo)
        high[cells_sorted] = np.minimum(high[cells_sorted], best_hi)
        high[:] = np.minimum(high, BIG)
        low[:], high[:] = np.ceil(low - EPS), np.floor(high + EPS)
        if np.array_equal(before[0], low) and np.array_equal(before[1], high):
            break
    return low, high


Bounds = tuple[np.ndarray, np.ndarray]


def lp_bounds(
    know: Knowledge, links: Links, targets: np.ndarray, *, start: Bounds | None = None
) -> Bounds:
    """min and max of each target cell over all tables consistent with what is published
    (linear relaxation, rounded inward to integers). `start`: valid bounds to start from (e.g.
    from `propagate`); cells they fix become constants, so the programmes get smaller. Each
    target's programme holds every relation connected to it through cells that are not fixed."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    targets = np.asarray(targets, dtype=np.int64)
    low, high = (know.low, know.high) if start is None else start
    high = np.minimum(high, BIG)
    label = _components(links, high > low + EPS)
    lo_out, hi_out = low[targets].astype(float), high[targets].astype(float)
    member_label = label[links.cells + links.relation]
    for comp in np.unique(label[targets]):
        rels = np.flatnonzero(label[links.cells :] == comp)
        which = [k for k, t in enumerate(targets) if label[t] == comp]
        if len(rels) == 0:
            continue
        member = member_label == comp
        cell = links.cell[member]
        free = high[cell] > low[cell] + EPS
        cells, cols = np.unique(cell[free], return_inverse=True)
        rows = np.searchsorted(rels, links.relation[member])
        coef = links.sign[member]
        b = links.constant[rels].copy()
        np.subtract.at(b, rows[~free], coef[~free] * low[cell[~free]])
        a_eq = coo_matrix((coef[free], (rows[free], cols)), shape=(len(rels), len(cells)))
        bounds = np.column_stack([low[cells], high[cells]])
        for k in which:
            objective = np.zeros(len(cells))
            objective[np.searchsorted(cells, targets[k])] = 1.0
            for sense in (1.0, -1.0):
                res = linprog(sense * objective, A_eq=a_eq.tocsr(), b_eq=b, bounds=bounds,
                              method="highs")  # fmt: skip
                if res.status != 0:
                    continue
                if sense > 0:
                    lo_out[k] = max(lo_out[k], np.ceil(res.fun - EPS))
                else:
                    hi_out[k] = min(hi_out[k], np.floor(-res.fun + EPS))
    return lo_out, hi_out


def _components(links: Links, free: np.ndarray) -> np.ndarray:
    """Connected-component label per node (cells 0..n-1, then relations), joining a relation
    to its cells that are not fixed; fixed cells are left on their own."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keep = free[links.cell]
    size = links.cells + links.relations
    graph = coo_matrix(
        (np.ones(keep.sum()), (links.cell[keep], links.cells + links.relation[keep])),
        shape=(size, size),
    )
    return connected_components(graph, directed=False)[1]


def possible_values(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Number of integer counts in [low, high]."""
    return np.maximum(np.floor(high + EPS) - np.ceil(low - EPS) + 1, 0)


def narrowed(cells: Cells, low: np.ndarray, high: np.ndarray, policy: Policy) -> np.ndarray:
    """Hidden small counts (primary cells) left with fewer than `min_values` possible counts
    among suppress_from..suppress_to (as if the intruder guessed that the cell is small)."""
    prim = np.flatnonzero(cells.status == PRIMARY)
    low_p = np.maximum(low[prim], policy.suppress_from)
    high_p = np.minimum(high[prim], policy.suppress_to)
    return prim[possible_values(low_p, high_p) < policy.min_values]
