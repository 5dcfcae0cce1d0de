"""The intruder of the web tests: what a visitor scraped, turned into the linear relations it
implies, solved by `healthgap.disclosure.intruder` (interval propagation, then the two HiGHS
linear programmes per hidden small count).

A scraped cell is a label with what the page showed: a number (the published, rounded count:
the intruder knows the rounding base, so 10 means 8..12 and 0 means 0) or "*" (hidden: 0 or
more). `truth` gives the true counts, used only to state the sums' constants (0 for exact sums)
and to know which hidden counts are small (the ones the guarantee is about).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from healthgap.disclosure import Relation, get_policy
from healthgap.disclosure.intruder import Knowledge, lp_bounds, possible_values, propagate
from healthgap.disclosure.links import links_from_relations
from healthgap.disclosure.suppress import BIG, PRIMARY, SECONDARY, VISIBLE

PUBLIC = get_policy("public")


def narrowed(
    shown: Mapping[Hashable, Any],
    truth: Mapping[Hashable, float],
    relations: Sequence[Relation],
    *,
    rounded: bool = True,
) -> dict[Hashable, tuple[int, int]]:
    """Hidden counts of 1..7 that the intruder narrows to fewer than 5 possible values among
    1..7, with the range it finds: {label: (low, high)}. Empty means protected. A label missing
    from `shown` counts as hidden; `rounded` False reads shown numbers as exact (the app's
    behaviour before the boundary, for the regression tests)."""
    labels = list(truth)
    values = np.array([float(truth[label]) for label in labels])
    links = links_from_relations(labels, relations, values)
    hidden = np.array([shown.get(label, "*") == "*" for label in labels])
    published = np.array(
        [0.0 if h else float(shown[label]) for label, h in zip(labels, hidden, strict=True)]
    )
    low, high = PUBLIC.published_interval(published)  # a shown count is a rounded count
    if not rounded:
        low, high = published, published.copy()
    low, high = np.where(hidden, 0.0, low), np.where(hidden, BIG, high)
    small = hidden & PUBLIC.primary(values)
    status = np.where(small, PRIMARY, np.where(hidden, SECONDARY, VISIBLE)).astype(np.int8)
    know = Knowledge(low.astype(float), high.astype(float), status)
    low_p, high_p = propagate(know, links)
    targets = np.flatnonzero(small)
    if len(targets):
        low_p[targets], high_p[targets] = lp_bounds(know, links, targets, start=(low_p, high_p))
    found = {}
    for t in targets:
        lo, hi = max(low_p[t], PUBLIC.suppress_from), min(high_p[t], PUBLIC.suppress_to)
        if possible_values(np.array([lo]), np.array([hi]))[0] < PUBLIC.min_values:
            found[labels[t]] = (int(low_p[t]), int(min(high_p[t], BIG)))
    return found


def rounded(count: float) -> float:
    """A count as the public policy publishes it when shown (nearest 5, halves up)."""
    return float(PUBLIC.round(np.array([float(count)]))[0])


def assert_published(shown: Mapping[Hashable, Any], truth: Mapping[Hashable, float]) -> None:
    """Every shown cell is "*" or its true count rounded to 5, and every true 1..7 is "*"."""
    for label, value in shown.items():
        if value == "*":
            continue
        assert not 1 <= truth[label] <= 7, (label, value, truth[label])
        assert float(value) == rounded(truth[label]), (label, value, truth[label])


def crosstab_cells(tab: Any, *, columns_add_up: bool) -> tuple[dict, list[Relation]]:
    """A CrossTab's cells by label ((row key, theme), (row key, "all"), ("theme", theme),
    "total") and the sums it implies: each row's total is the sum of its cells (an insight has
    one theme); with `columns_add_up` (every insight in exactly one row) each theme's total is
    the sum of its column, and the grand total the sum of the theme totals."""
    themes = [t for t, _ in tab.themes]
    shown: dict[Hashable, Any] = {"total": tab.total}
    relations = [Relation("total", tuple(("theme", t) for t in themes))]
    for t, n in zip(themes, tab.theme_totals, strict=True):
        shown[("theme", t)] = n
    for row in tab.rows:
        for t, n in zip(themes, row.cells, strict=True):
            shown[(row.key, t)] = n
        shown[(row.key, "all")] = row.total
        relations.append(Relation((row.key, "all"), tuple((row.key, t) for t in themes)))
    if columns_add_up:
        for t in themes:
            relations.append(Relation(("theme", t), tuple((row.key, t) for row in tab.rows)))
    return shown, relations
