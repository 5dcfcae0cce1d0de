"""Writes of the need app. Each takes the acting user as `by` (None for system jobs) and writes
its audit event in the same transaction as the change (see healthgap.web.audit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from healthgap.geography import DataConfig
from healthgap.web.audit.changes import apply_fields, save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import actor_user, record
from healthgap.web.need import loader
from healthgap.web.need.models import (
    TRANSITIONS,
    Area,
    Boundary,
    Indicator,
    Inequality,
    Introduction,
    IntroductionStatus,
    Priority,
    Result,
    ResultsLoad,
)

BATCH_SIZE = 2000

#: The date field set when an introduction enters each status.
_STATUS_DATES = {
    IntroductionStatus.CONTACTED: "contacted_at",
    IntroductionStatus.ACCEPTED: "responded_at",
    IntroductionStatus.DECLINED: "responded_at",
    IntroductionStatus.ACTIVE: "active_at",
    IntroductionStatus.CLOSED: "closed_at",
}


def load_results(
    *, by: Any, root: str | Path, icb: str | None = None, config: DataConfig | None = None
) -> ResultsLoad:
    """Replace the app's figures with the live version of the results store at `root`.

    The store is read and checked first (`loader.stage`); then every indicator, area,
    boundary, result, inequality and priority row is deleted and the new ones inserted in one
    transaction with its IMPORT audit event, so readers see the old load or the new one, never
    a mixture, and a failure leaves the old load in place.
    """
    staged = loader.stage(root, icb=icb, config=config)
    with transaction.atomic():
        for model in (Priority, Inequality, Result, Boundary, Area, Indicator):
            model.objects.all().delete()
        for model, rows in (
            (Indicator, staged.indicators),
            (Area, staged.areas),
            (Boundary, staged.boundaries),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        for model, frame in (
            (Result, staged.results),
            (Inequality, staged.inequalities),
            (Priority, staged.priorities),
        ):
            _insert(model, frame)
        _analyse(Indicator, Area, Boundary, Result, Inequality, Priority)
        manifest = staged.results_store.manifest
        load = ResultsLoad.objects.create(
            loaded_by=actor_user(by),
            source=str(Path(root).resolve()),
            version=staged.results_store.version,
            created=str(manifest.get("created", "")),
            icb_id=staged.icb,
            icb_code=staged.icb,
            manifest=manifest,
            counts=staged.counts,
        )
        record(
            by=by,
            action=Action.IMPORT,
            obj=load,
            summary=(
                f"Loaded results version {load.version} for ICB {load.icb_code}: "
                f"{len(staged.results)} results, {len(staged.priorities)} priorities"
            ),
            changes=staged.counts,
        )
    return load


def _analyse(*tables: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics of the tables just replaced, in the load's
    transaction: without them the planner takes the new 480,000 result rows for a handful
    until autovacuum gets round to it, and the atlas page's period query took 3.7 s instead
    of 0.2 s (docs/reliability.md, "Load"). Other databases plan without it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _insert(model: type[models.Model], frame: pd.DataFrame) -> None:
    """Insert `frame` (columns named after `model`'s fields) in the current transaction.

    Hundreds of thousands of result rows go in as plain tuples, with COPY on PostgreSQL and
    `executemany` elsewhere: Django's bulk_create prepares every value of every instance in
    Python, which took most of a real load's time. Values are Python objects (psycopg cannot
    adapt numpy scalars) with None for missing.
    """
    if frame.empty:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in frame.columns)
    table = quote(meta.db_table)
    step = BATCH_SIZE * 5
    with connection.cursor() as cursor:
        for start in range(0, len(frame), step):
            part = frame.iloc[start : start + step]
            rows = list(part.astype(object).where(part.notna(), None).itertuples(False, None))
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(frame.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def propose_introduction(
    *,
    by: Any,
    priority: Priority,
    to_organisation: Any = None,
    to_champion: Any = None,
    from_organisation: Any = None,
    notes: str = "",
) -> Introduction:
    """Record a proposed introduction for `priority` to an organisation or a Community
    Champion (exactly one), brokered by `by`, optionally on behalf of a health partner."""
    with transaction.atomic():
        introduction = Introduction(
            indicator_id=priority.indicator_id,
            indicator_name=priority.indicator.name,
            period=priority.period,
            area_code=priority.area_id,
            area_name=priority.area.name,
            category_type=priority.category_type,
            category=priority.category,
            from_organisation=from_organisation,
            from_user=actor_user(by),
            to_organisation=to_organisation,
            to_champion=to_champion,
            notes=notes,
        )
        save_valid(introduction)
        record(
            by=by,
            action=Action.CREATE,
            obj=introduction,
            summary=(
                f"Proposed introduction of {introduction.audit_target} for "
                f"{introduction.indicator_name} in {introduction.area_name}"
            ),
            changes={
                "area_code": introduction.area_code,
                "indicator_id": introduction.indicator_id,
                "category": introduction.category,
                "to": introduction.audit_target,
                "from_organisation": str(from_organisation or ""),
                "notes": notes,
            },
        )
    return introduction


def change_introduction(
    *, by: Any, introduction: Introduction, status: str | None = None, notes: str | None = None
) -> Introduction:
    """Move `introduction` to `status` (one of TRANSITIONS[current]) and/or replace its notes.

    Entering contacted, accepted/declined, active or closed stamps the matching date.
    ValidationError for a move the workflow does not allow.
    """
    new: dict[str, Any] = {}
    if status is not None and status != introduction.status:
        if status not in TRANSITIONS.get(introduction.status, ()):
            allowed = ", ".join(TRANSITIONS.get(introduction.status, ())) or "none"
            raise ValidationError(
                f"An introduction that is {introduction.status} cannot become {status}; "
                f"allowed: {allowed}."
            )
        now = timezone.now()
        new.update(status=status, status_changed_at=now, **{_STATUS_DATES[status]: now})
    if notes is not None and notes != introduction.notes:
        new["notes"] = notes
    if not new:
        return introduction
    with transaction.atomic():
        changes = apply_fields(introduction, new)
        save_valid(introduction)
        record(
            by=by,
            action=Action.CHANGE,
            obj=introduction,
            summary=(
                f"Changed introduction of {introduction.audit_target} for "
                f"{introduction.area_name} ({introduction.get_status_display()})"
            ),
            changes=changes,
        )
    return introduction
