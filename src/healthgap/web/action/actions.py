"""Writes to programmes, activities and insights, and exports. Each takes the acting user as
`by` and writes its audit event in the same transaction as the change (see healthgap.web.audit),
so both commit or neither does. Invalid input raises Django's ValidationError and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from healthgap.web.action.models import Activity, ActivityReach, Insight, InsightGroup, Programme
from healthgap.web.action.population import ReachUncheckable, reach_problems, residents
from healthgap.web.action.vocab import split_group_key
from healthgap.web.audit.changes import (
    apply_fields,
    created,
    ids,
    json_value,
    save_valid,
    set_related,
)
from healthgap.web.audit.changes import update as audited_update
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import actor_user, record


# --- programmes ------------------------------------------------------------------------------
def create_programme(*, by: Any, partners: Iterable[Any] = (), **fields: Any) -> Programme:
    """Create a programme from model `fields` and its partner organisations."""
    partners = list(partners)
    with transaction.atomic():
        programme = Programme(**fields)
        save_valid(programme)
        programme.partners.set(partners)
        record(
            by=by,
            action=Action.CREATE,
            obj=programme,
            summary=f"Created programme {programme.name}",
            changes={**created(fields), "partners": ids(partners)},
        )
    return programme


def update_programme(
    *, by: Any, programme: Programme, partners: Iterable[Any] | None = None, **fields: Any
) -> Programme:
    """Change `fields` (and, if given, the partners) of `programme`."""
    audited_update(
        by=by,
        instance=programme,
        fields=fields,
        related={"partners": partners},
        summary=lambda p: f"Changed programme {p.name}",
    )
    return programme


# --- activities ------------------------------------------------------------------------------
def _reach_rows(activity: Activity, reach: Mapping[str, int]) -> list[ActivityReach]:
    """Validated ActivityReach rows from {group key: count} (zero counts are kept)."""
    rows, errors = [], []
    for key, count in reach.items():
        try:
            group_type, group = split_group_key(key)
            row = ActivityReach(activity=activity, group_type=group_type, group=group, count=count)
            row.full_clean(exclude=["activity"], validate_unique=False)
        except (ValueError, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            errors += [f"{key}: {message}" for message in messages]
            continue
        rows.append(row)
    if errors:
        raise ValidationError({"reach": errors})
    return rows


def _check_against_residents(activity: Activity, reach: Mapping[str, int]) -> None:
    """People reached at most the Census 2021 residents of the programme's target areas
    (`population.reach_problems`); refused, saying why, when that cannot be checked."""
    if not reach:
        return
    try:
        people = residents(activity.programme.target_areas)
    except ReachUncheckable as error:
        raise ValidationError(
            {
                "reach": [
                    "People reached cannot be checked against the Census 2021 population of "
                    f"the programme's areas: {error}"
                ]
            }
        ) from error
    problems = reach_problems(reach, people) if people is not None else []
    if problems:
        raise ValidationError({"reach": problems})


def _reach_dict(activity: Activity) -> dict[str, int]:
    return {row.key: row.count for row in activity.reach.all()}


def _owner(by: Any, organisation: Any) -> dict[str, Any]:
    """Who owns a new record: `organisation` if given, else `by`'s (None for admins)."""
    owner_id = organisation.pk if organisation is not None else getattr(by, "organisation_id", None)
    recorder = actor_user(by)
    return {"organisation_id": owner_id, "recorded_by": recorder}


def create_activity(
    *,
    by: Any,
    programme: Programme,
    reach: Mapping[str, int] | None = None,
    partners: Iterable[Any] = (),
    organisation: Any = None,
    **fields: Any,
) -> Activity:
    """Record an activity of `programme` with people reached as {group key: count}.

    The record belongs to `organisation`, by default `by`'s (None for users without one).
    """
    reach = dict(reach or {})
    partners = list(partners)
    with transaction.atomic():
        activity = Activity(programme=programme, **_owner(by, organisation), **fields)
        save_valid(activity)
        rows = _reach_rows(activity, reach)
        _check_against_residents(activity, reach)
        ActivityReach.objects.bulk_create(rows)
        activity.partners.set(partners)
        record(
            by=by,
            action=Action.CREATE,
            obj=activity,
            summary=f"Recorded {activity.get_kind_display().lower()} for {programme.name}",
            changes={
                "programme": programme.pk,
                "organisation": activity.organisation_id,
                **created(fields),
                "partners": ids(partners),
                "reach": reach,
            },
        )
    return activity


def update_activity(
    *,
    by: Any,
    activity: Activity,
    reach: Mapping[str, int] | None = None,
    partners: Iterable[Any] | None = None,
    **fields: Any,
) -> Activity:
    """Change `fields`; `reach` (if given) replaces all reach rows; `partners` likewise."""
    with transaction.atomic():
        changes = apply_fields(activity, fields)
        save_valid(activity)
        if reach is not None:
            reach = dict(reach)
            old = _reach_dict(activity)
            rows = _reach_rows(activity, reach)
            _check_against_residents(activity, reach)
            activity.reach.all().delete()
            ActivityReach.objects.bulk_create(rows)
            if old != reach:
                changes["reach"] = [old, reach]
        if partners is not None:
            set_related(activity.partners, partners, changes, "partners")
        record(
            by=by,
            action=Action.CHANGE,
            obj=activity,
            summary=f"Changed {activity.get_kind_display().lower()} of {activity.programme.name}",
            changes=changes,
        )
    return activity


# --- insights --------------------------------------------------------------------------------
def create_insight(
    *, by: Any, groups: Iterable[str] = (), organisation: Any = None, **fields: Any
) -> Insight:
    """Record an insight for the group keys in `groups`, owned by `organisation` (by default
    `by`'s)."""
    groups = list(dict.fromkeys(groups))
    pairs = []
    for key in groups:
        try:
            pairs.append(split_group_key(key))
        except ValueError as error:
            raise ValidationError({"groups": str(error)}) from error
    with transaction.atomic():
        insight = Insight(**_owner(by, organisation), **fields)
        save_valid(insight)
        InsightGroup.objects.bulk_create(
            InsightGroup(insight=insight, group_type=t, group=g) for t, g in pairs
        )
        record(
            by=by,
            action=Action.CREATE,
            obj=insight,
            summary=f"Recorded insight on {insight.get_theme_display().lower()}",
            changes={**created(fields), "organisation": insight.organisation_id, "groups": groups},
        )
    return insight


# --- exports ---------------------------------------------------------------------------------
def record_programme_report(*, by: Any, programme: Programme, fmt: str, policy: str) -> None:
    """Audit a download of `programme`'s report (an export) as `fmt` under `policy`."""
    with transaction.atomic():
        record(
            by=by,
            action=Action.EXPORT,
            obj=programme,
            summary=f"Downloaded the programme report ({fmt})",
            changes={"format": fmt, "policy": policy},
        )


def record_export(*, by: Any, what: str, rows: int, filters: Mapping[str, Any]) -> None:
    """Audit an export of `rows` rows of `what` (the CSV is built by `exports`)."""
    with transaction.atomic():
        record(
            by=by,
            action=Action.EXPORT,
            object_type=f"action.{what}",
            summary=f"Exported {rows} rows of {what} as CSV",
            changes={"filters": {k: json_value(v) for k, v in filters.items()}, "rows": rows},
        )
