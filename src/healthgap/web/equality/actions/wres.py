"""WRES writes: upload (create or replace a year's return), narrative, action plan, exports."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from healthgap.web.audit.changes import apply_fields, created, save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import Actor, actor_user, record
from healthgap.web.equality.models import WRESAction, WRESReturn


def upload_wres(
    *, by: Actor, organisation: Any, year: str, source: str, counts_csv: str, survey_csv: str = ""
) -> WRESReturn:
    """Store a validated return (`domain.validated_counts`); an existing year is replaced."""
    with transaction.atomic():
        existing = WRESReturn.objects.filter(organisation=organisation, year=year).first()
        fields = {"source": source, "counts_csv": counts_csv, "survey_csv": survey_csv}
        if existing is None:
            wres = WRESReturn(
                organisation=organisation, year=year, uploaded_by=actor_user(by), **fields
            )
            save_valid(wres)
            record(
                by=by,
                action=Action.IMPORT,
                obj=wres,
                summary=f"Uploaded the WRES {year} return of {organisation}",
                changes=created({"organisation": organisation, "year": year, "source": source}),
            )
            return wres
        changes = apply_fields(existing, fields | {"uploaded_by": actor_user(by)})
        save_valid(existing)
        record(
            by=by,
            action=Action.IMPORT,
            obj=existing,
            summary=f"Replaced the WRES {year} return of {organisation}",
            changes={k: v for k, v in changes.items() if not k.endswith("_csv")}
            | {"replaced": sorted(k for k in changes if k.endswith("_csv"))},
        )
        return existing


def save_narrative(*, by: Actor, wres: WRESReturn, narrative: dict[str, str]) -> WRESReturn:
    """Set the answers to the report's narrative prompts."""
    with transaction.atomic():
        changes = apply_fields(wres, {"narrative": narrative})
        save_valid(wres)
        record(
            by=by,
            action=Action.CHANGE,
            obj=wres,
            summary=f"Changed the WRES {wres.year} narrative",
            changes=changes,
        )
    return wres


def add_wres_action(*, by: Actor, wres: WRESReturn, **fields: Any) -> WRESAction:
    """Add a line to the action plan (indicator, action, owner, due)."""
    with transaction.atomic():
        action = WRESAction(wres_return=wres, **fields)
        save_valid(action)
        record(
            by=by,
            action=Action.CREATE,
            obj=action,
            summary=f"Added a WRES {wres.year} action on indicator {action.indicator}",
            changes=created(fields),
        )
    return action


def record_export(*, by: Actor, obj: Any, what: str, fmt: str, policy: str) -> None:
    """Audit a download (report or export) of `obj`."""
    with transaction.atomic():
        record(
            by=by,
            action=Action.EXPORT,
            obj=obj,
            summary=f"Downloaded {what} ({fmt})",
            changes={"format": fmt, "policy": policy},
        )
