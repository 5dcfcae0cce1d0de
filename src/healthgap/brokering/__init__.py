"""Brokering: who can reach a priority (area x group x indicator). Matching and scoring of
organisations and Community Champions on plain records, with no database: the web app builds
`Partner` records from the directory and shows the `Match`es. Rule and worked example:
docs/brokering.md.

    >>> from healthgap.brokering import Partner, candidates, reach
    >>> area = reach("E01000005", "lsoa21", ancestors=[("E02000003", "msoa21")])
    >>> partner = Partner("organisation", 1, "A", coverage=frozenset({"E02000003"}))
    >>> [(m.partner.name, m.score, m.reasons) for m in candidates([partner], area)]
    [('A', 2, ('covers the MSOA around it',))]
"""

from __future__ import annotations

from healthgap.brokering.match import (
    CHAMPION,
    COVERAGE_TEXT,
    LOCAL_AUTHORITY,
    MSOA,
    ORGANISATION,
    THIS_AREA,
    Language,
    Match,
    Partner,
    Reach,
    candidates,
    coverage_score,
    default_languages,
    group_labels,
    has_local_presence,
    reach,
    reaching,
)

__all__ = [
    "CHAMPION",
    "COVERAGE_TEXT",
    "LOCAL_AUTHORITY",
    "MSOA",
    "ORGANISATION",
    "THIS_AREA",
    "Language",
    "Match",
    "Partner",
    "Reach",
    "candidates",
    "coverage_score",
    "default_languages",
    "group_labels",
    "has_local_presence",
    "reach",
    "reaching",
]
