"""The ranked priorities as a viewer may see them, paged and filtered in the database.

Two views (docs/priorities.md, "In the app"):

- **by indicator** (default): one entry per area of one indicator, in rank order, each with its
  groups nested beneath it (`groups_of`);
- **combined**: the entries of every indicator ordered by score = weight × share, where share
  is the entry's headroom over its indicator's total (loaded from `priorities.parquet`) and
  the weights are the viewer's (1 unless set, `parse_weights`).

Analysts (VIEW_UNSUPPRESSED) see the full ranking (`rank`, `group_rank`, `lead`); everyone
else sees the public ranking computed at load time over the published rows only
(`public_rank`, `public_group_rank`, `public_lead`, `published`): hidden rows are left out and
the rest renumbered, so nothing shown bounds a hidden headroom (`healthgap.web.need.ranking`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

from healthgap.errors import HealthgapError
from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.need.models import Priority

VIEWS = ("indicator", "combined")
MAX_WEIGHT = 100.0
"""Weights are numbers from 0 to MAX_WEIGHT."""


class WeightError(HealthgapError):
    """A weight that is not a number from 0 to MAX_WEIGHT."""


@dataclass(frozen=True)
class Columns:
    """The ranking columns a viewer reads, and whether they see only published rows."""

    rank: str
    group_rank: str
    lead: str
    published_only: bool


FULL = Columns("rank", "group_rank", "lead", published_only=False)
PUBLIC = Columns("public_rank", "public_group_rank", "public_lead", published_only=True)


def columns_for(user: Any) -> Columns:
    """FULL for viewers who may see unsuppressed figures (analysts), else PUBLIC."""
    return FULL if has_permission(user, Permission.VIEW_UNSUPPRESSED) else PUBLIC


def visible(user: Any) -> QuerySet[Priority]:
    """Every priority row `user` may see (published rows only, unless analyst)."""
    rows = Priority.objects.select_related("indicator", "area")
    return rows.filter(published=True) if columns_for(user).published_only else rows


def entries(
    user: Any,
    *,
    view: str = "indicator",
    indicator: str | None = None,
    weights: Mapping[str, float] | None = None,
    core20: bool = False,
    area_type: str | None = None,
) -> QuerySet[Priority]:
    """The lead rows (one per area and indicator), ordered for `view`, annotated with
    `shown_rank` (the viewer's rank within the indicator) and, in the combined view, `score`."""
    cols = columns_for(user)
    rows = leads(user).annotate(shown_rank=F(cols.rank))
    if indicator:
        rows = rows.filter(indicator_id=indicator)
    if core20:
        rows = rows.filter(core20=True)
    if area_type:
        rows = rows.filter(area__area_type=area_type)
    if view == "combined":
        rows = rows.annotate(score=F("share") * _weight_case(weights or {}))
        return rows.order_by(
            F("score").desc(nulls_last=True), "-headroom_lowercl", "indicator_id", "area_id"
        )
    return rows.order_by("indicator_id", cols.rank, "area_id")


def leads(user: Any) -> QuerySet[Priority]:
    """The lead rows `user` may see: one per area and indicator (`public_lead` is set on
    published rows only, so it needs no second filter, and its indexes serve the lists)."""
    rows = Priority.objects.select_related("indicator", "area")
    return rows.filter(**{columns_for(user).lead: True})


def all_rows(user: Any, *, indicator: str | None = None, area_type: str | None = None) -> Any:
    """Every row the viewer may see, entries in rank order with their groups after them,
    annotated with `shown_rank` and `shown_group_rank` (the API's flat list)."""
    cols = columns_for(user)
    rows = visible(user).annotate(shown_rank=F(cols.rank), shown_group_rank=F(cols.group_rank))
    if indicator:
        rows = rows.filter(indicator_id=indicator)
    if area_type:
        rows = rows.filter(area__area_type=area_type)
    return rows.order_by("indicator_id", cols.rank, "area_id", cols.group_rank)


class Paged:
    """A queryset paged by key: `count()` in the database, and a slice sorts only primary keys
    (a narrow sort) before fetching the page's rows, with their annotations, by key. Django's
    Paginator and ninja's pagination both accept it (`count`, `all`, slices)."""

    def __init__(self, rows: QuerySet[Priority]) -> None:
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def all(self) -> Paged:
        return self

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Priority]:
        keys = list(self.rows.values_list("pk", flat=True)[index])
        found = {row.pk: row for row in self.rows.filter(pk__in=keys).order_by()}
        return [found[key] for key in keys]


def groups_of(user: Any, entries: Iterable[Priority]) -> dict[int, list[Priority]]:
    """Lead row pk -> the other rows of its entry the viewer may see, by group rank (one
    query for a whole page)."""
    leads = list(entries)
    if not leads:
        return {}
    cols = columns_for(user)
    pairs = Q()
    for pair in {(p.area_id, p.indicator_id) for p in leads}:
        pairs |= Q(area_id=pair[0], indicator_id=pair[1])  # the (area, indicator) index
    found = (
        visible(user)
        .filter(pairs, **{cols.lead: False})
        .annotate(shown_group_rank=F(cols.group_rank))
        .order_by(cols.group_rank, "pk")
    )
    keys = {(p.indicator_id, p.period, p.area_id, getattr(p, cols.rank)): p.pk for p in leads}
    out: dict[int, list[Priority]] = defaultdict(list)
    for row in found:
        lead = keys.get((row.indicator_id, row.period, row.area_id, getattr(row, cols.rank)))
        if lead is not None:
            out[lead].append(row)
    return dict(out)


def parse_weights(raw: Mapping[str, str], indicators: Iterable[str]) -> dict[str, float]:
    """Indicator id -> weight from text (blank: 1). Raises WeightError naming the indicator
    when a weight is not a number from 0 to MAX_WEIGHT."""
    weights = {}
    for indicator in indicators:
        text = (raw.get(indicator) or "").strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 <= value <= MAX_WEIGHT:
            raise WeightError(
                f"The weight for {indicator} must be a number from 0 to {MAX_WEIGHT:g}; "
                f"got {text!r}."
            )
        weights[indicator] = value
    return weights


def _weight_case(weights: Mapping[str, float]) -> Any:
    if not weights:
        return Value(1.0, output_field=FloatField())
    return Case(
        *(When(indicator_id=i, then=Value(float(w))) for i, w in weights.items()),
        default=Value(1.0),
        output_field=FloatField(),
    )
