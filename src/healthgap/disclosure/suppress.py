"""Secondary (complementary) cell suppression for linked additive tables.

Method: the hypercube method (Repsilber's GHMITER, as in tau-ARGUS; Giessing and Repsilber
2002) applied to the one-dimensional relations a linked table is made of, iterated over the
linked relations until stable, then checked by an intruder who propagates intervals through
every relation at once (`healthgap.disclosure.intruder`), with more complements added until that
intruder learns nothing below the protection level.

For each hidden cell and each relation it belongs to, the other cells of the relation must be
able to absorb a move of the hidden cell: within a relation `sum(sign * x) = constant`, a cell
on the same side moves the other way, a cell on the other side the same way. How far a cell can
move without the intruder noticing is its *allowance*: a visible count moves within its
rounding interval (a published 10 is 8..12, so 12 moves down 4 and up 0), a hidden one from 0
upwards without limit (the publication does not say why a cell is hidden).
A hidden cell is protected in a relation when its own possible moves (for a small count: within
suppress_from..suppress_to, as if the intruder guessed it was one), capped by what the rest of
the relation can absorb, span at least `min_values - 1` (so at least `min_values` counts stay
possible). Where a relation fails, the cheapest visible cell that protects it is hidden
(cost: `cost`, e.g. lower for small areas and for rows already hidden), and the pass repeats,
since the new complement must itself be protected in its other relations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.disclosure.links import Links
from healthgap.disclosure.policy import Policy

VISIBLE, PRIMARY, SECONDARY = 0, 1, 2
STATUS_NAMES = np.array(["", "primary", "secondary"], dtype=object)
BIG = 1e9  # "no upper limit" for a hidden complement (counts stay far below)


@dataclass(frozen=True)
class Cells:
    """The cells of a table as an intruder and the suppression model see them.

    `values`: true counts; `low`/`high`: what a visible cell's published value tells (its
    rounding interval; equal to the value for counts published exactly); `status`: VISIBLE,
    PRIMARY or SECONDARY; `cost`: the information lost by hiding the cell.
    """

    values: np.ndarray
    low: np.ndarray
    high: np.ndarray
    status: np.ndarray
    cost: np.ndarray


def allowances(cells: Cells, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """How far each cell can move up and down without contradicting what is published.

    A published table does not say why a cell is hidden (saying "small number" would tell an
    intruder that a hidden total and its hidden parts are all 1..7 and bound them), so every
    hidden cell can move from 0 upwards without limit.
    """
    v = np.nan_to_num(cells.values)
    hidden = cells.status != VISIBLE
    up = np.where(hidden, BIG, cells.high - v)
    down = np.where(hidden, v, v - cells.low)
    return np.maximum(up, 0.0), np.maximum(down, 0.0)


def _capacities(links: Links, up: np.ndarray, down: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per membership: how far the other cells of its relation let the cell move up and down."""
    r, c, s = links.relation, links.cell, links.sign
    n = links.relations
    part, total = s > 0, s < 0
    sums = {
        (side, d): np.bincount(r[mask], weights=arr[c[mask]], minlength=n)
        for side, mask in (("p", part), ("t", total))
        for d, arr in (("up", up), ("down", down))
    }
    same_down = np.where(part, sums["p", "down"][r], sums["t", "down"][r]) - down[c]
    same_up = np.where(part, sums["p", "up"][r], sums["t", "up"][r]) - up[c]
    other_up = np.where(part, sums["t", "up"][r], sums["p", "up"][r])
    other_down = np.where(part, sums["t", "down"][r], sums["p", "down"][r])
    return same_down + other_up, same_up + other_down


def _own_range(
    cells: Cells, policy: Policy, up: np.ndarray, down: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How far the protection wants each cell to be able to move: a small count anywhere in
    suppress_from..suppress_to (the intruder may guess it is one), other cells as allowed."""
    v = np.nan_to_num(cells.values)
    primary = cells.status == PRIMARY
    own_up = np.where(primary, np.maximum(policy.suppress_to - v, 0), up)
    own_down = np.where(primary, np.maximum(v - policy.suppress_from, 0), down)
    return own_up, own_down


def unprotected(cells: Cells, links: Links, policy: Policy) -> np.ndarray:
    """Memberships (indices into links) where a hidden cell is not protected by its relation."""
    up, down = allowances(cells, policy)
    cap_up, cap_down = _capacities(links, up, down)
    own_up, own_down = _own_range(cells, policy, up, down)
    c = links.cell
    hidden = cells.status[c] != VISIBLE
    spread = np.minimum(cap_up, own_up[c]) + np.minimum(cap_down, own_down[c])
    return np.flatnonzero(hidden & (spread < policy.min_values - 1 - 1e-9))


def _choose(cells: Cells, links: Links, policy: Policy, failing: np.ndarray) -> np.ndarray:
    """For each relation with a failing membership, the cheapest visible cell that protects it
    (or, when none does alone, the one that helps most per cost). Returns cell indices."""
    up, down = allowances(cells, policy)
    cap_up, cap_down = _capacities(links, up, down)
    first = pd.DataFrame({"m": failing, "rel": links.relation[failing]}).drop_duplicates("rel")
    need = pd.DataFrame({
        "rel": first["rel"].to_numpy(), "cell": links.cell[first["m"]],
        "sign": links.sign[first["m"]], "cap_up": cap_up[first["m"]],
        "cap_down": cap_down[first["m"]],
    })  # fmt: skip
    members = pd.DataFrame({"rel": links.relation, "cand": links.cell, "csign": links.sign})
    cand = need.merge(members, on="rel")
    cand = cand[(cand["cand"] != cand["cell"]) & (cells.status[cand["cand"]] == VISIBLE)]
    if cand.empty:
        return np.zeros(0, dtype=np.int64)
    j, i = cand["cand"].to_numpy(), cand["cell"].to_numpy()
    same = (cand["sign"] * cand["csign"]).to_numpy() > 0
    v_j = np.nan_to_num(cells.values[j])
    # Hidden as a complement, cell j can move up without limit and down to 0.
    gain_down_j, gain_up_j = v_j - down[j], BIG - up[j]
    new_up = cand["cap_up"].to_numpy() + np.where(same, gain_down_j, gain_up_j)
    new_down = cand["cap_down"].to_numpy() + np.where(same, gain_up_j, gain_down_j)
    own_up, own_down = _own_range(cells, policy, up, down)
    spread = np.minimum(new_up, own_up[i]) + np.minimum(new_down, own_down[i])
    enough = spread >= policy.min_values - 1 - 1e-9
    cost = cells.cost[j]
    cand = cand.assign(
        enough=enough,
        score=np.where(enough, cost, BIG + cost / np.maximum(np.minimum(spread, 10), 1e-6)),
    )
    best = cand.sort_values(["rel", "score", "cand"]).drop_duplicates("rel")
    return np.unique(best["cand"].to_numpy())


def hypercube_pass(cells: Cells, links: Links, policy: Policy, *, max_rounds: int = 200) -> int:
    """Add complements (in place, status SECONDARY) until every relation protects its hidden
    cells or no visible cell can help. Returns the number of complements added."""
    added = 0
    for _ in range(max_rounds):
        failing = unprotected(cells, links, policy)
        if len(failing) == 0:
            break
        chosen = _choose(cells, links, policy, failing)
        if len(chosen) == 0:
            break
        cells.status[chosen] = SECONDARY
        added += len(chosen)
    return added


def repair(
    cells: Cells, links: Links, policy: Policy, narrowed: np.ndarray, *, hops: int = 4
) -> int:
    """Hide more cells around hidden cells an intruder still narrows (`narrowed`: cell ids): in
    every relation of such a cell, its cheapest visible member; where those relations have no
    visible member left, the relations of the hidden cells beside it (up to `hops` steps).
    Returns the number of cells hidden."""
    members = pd.DataFrame({"rel": links.relation, "cell": links.cell})
    frontier = np.asarray(narrowed)
    for _ in range(hops):
        rels = np.unique(links.relation[np.isin(links.cell, frontier)])
        around = members[np.isin(members["rel"], rels)]
        visible = around[cells.status[around["cell"]] == VISIBLE]
        if not visible.empty:
            visible = visible.assign(cost=cells.cost[visible["cell"]])
            best = visible.sort_values(["rel", "cost", "cell"]).drop_duplicates("rel")["cell"]
            chosen = np.unique(best.to_numpy())
            cells.status[chosen] = SECONDARY
            return len(chosen)
        frontier = np.unique(around["cell"].to_numpy())
    return 0
