"""Additive relations between the cells of a published table, as flat arrays.

A relation says `total = sum(parts) + constant` (the constant is what an intruder is assumed to
know beyond the published cells: 0 when the parts are exhaustive). Relations are stored as one
row per membership, `(relation, cell, sign)` with sign +1 for a part and -1 for the total, so
that `sum(sign * x) = constant` for every relation. This is the constraint matrix of the
cell-suppression problem (Fischetti and Salazar-Gonzalez 2000) in coordinate form.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from healthgap.errors import ArgumentError


@dataclass(frozen=True)
class Relation:
    """`total = sum(parts)` over cell labels (e.g. a row total and its cells, a parent area
    and its children, the `All` row and the categories of a breakdown)."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Links:
    """Memberships of cells (0..cells-1) in relations (0..relations-1).

    `constant[r]` = sum over members of sign * true value (0 when the sum holds exactly).
    """

    relation: np.ndarray  # int64, one per membership
    cell: np.ndarray  # int64
    sign: np.ndarray  # float64, +1 part, -1 total
    constant: np.ndarray  # float64, one per relation
    cells: int

    @property
    def relations(self) -> int:
        return len(self.constant)

    def matrix(self):
        """The relations as a sparse matrix A (relations x cells), so that A @ x = constant."""
        from scipy.sparse import coo_matrix

        return coo_matrix(
            (self.sign, (self.relation, self.cell)), shape=(self.relations, self.cells)
        ).tocsr()


def build_links(
    relation: np.ndarray, cell: np.ndarray, sign: np.ndarray, values: np.ndarray
) -> Links:
    """Links from membership arrays; the constants are computed from the true `values`.

    Relations with fewer than two members say nothing and are dropped; relation ids are
    renumbered 0..n-1.
    """
    relation = np.asarray(relation, dtype=np.int64)
    cell = np.asarray(cell, dtype=np.int64)
    sign = np.asarray(sign, dtype=float)
    values = np.asarray(values, dtype=float)
    if not (len(relation) == len(cell) == len(sign)):
        raise ArgumentError("Relation, cell and sign arrays must have the same length.")
    members = np.bincount(relation) if len(relation) else np.zeros(0, dtype=np.int64)
    keep = members[relation] >= 2 if len(relation) else np.zeros(0, dtype=bool)
    relation, cell, sign = relation[keep], cell[keep], sign[keep]
    _, relation = np.unique(relation, return_inverse=True)
    n = int(relation.max()) + 1 if len(relation) else 0
    constant = np.bincount(relation, weights=sign * np.nan_to_num(values[cell]), minlength=n)
    return Links(relation, cell, sign, constant, len(values))


def links_from_relations(labels: Sequence[Hashable], relations: Sequence[Relation],
                         values: np.ndarray) -> Links:  # fmt: skip
    """Links for `relations` given by cell labels (`labels[i]` names cell i)."""
    index = {label: i for i, label in enumerate(labels)}
    rel, cell, sign = [], [], []
    for r, relation in enumerate(relations):
        for label, s in [(relation.total, -1.0)] + [(p, 1.0) for p in relation.parts]:
            if label not in index:
                raise ArgumentError(f"Relation {r} names cell {label!r}, which the table lacks.")
            rel.append(r)
            cell.append(index[label])
            sign.append(s)
    return build_links(np.array(rel), np.array(cell), np.array(sign), values)
