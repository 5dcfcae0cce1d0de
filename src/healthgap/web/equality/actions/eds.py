"""EDS 2022 writes: the year, services graded on domain 1, outcome grades, actions, publishing."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from healthgap.web.audit.changes import apply_fields, created, save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import Actor, actor_user, record
from healthgap.web.equality.models import EDSAction, EDSOutcome, EDSReturn, EDSService


def create_eds(*, by: Actor, organisation: Any, year: str) -> EDSReturn:
    """Start a year's EDS 2022 for `organisation`."""
    with transaction.atomic():
        eds = EDSReturn(organisation=organisation, year=year, created_by=actor_user(by))
        save_valid(eds)
        record(
            by=by,
            action=Action.CREATE,
            obj=eds,
            summary=f"Started the EDS {year} of {organisation}",
            changes=created({"organisation": organisation, "year": year}),
        )
    return eds


def add_eds_service(*, by: Actor, eds: EDSReturn, **fields: Any) -> EDSService:
    """Add a service graded on outcomes 1A-1D with its evidence and stakeholders."""
    with transaction.atomic():
        service = EDSService(eds=eds, **fields)
        save_valid(service)
        record(
            by=by,
            action=Action.CREATE,
            obj=service,
            summary=f"Graded service {service.service} for the EDS {eds.year}",
            changes=created(fields),
        )
    return service


def grade_outcome(*, by: Actor, eds: EDSReturn, code: str, **fields: Any) -> EDSOutcome:
    """Record (or change) the grade, evidence and stakeholders of outcome `code` (2A-3C)."""
    with transaction.atomic():
        outcome = EDSOutcome.objects.filter(eds=eds, code=code).first()
        if outcome is None:
            outcome = EDSOutcome(eds=eds, code=code, **fields)
            save_valid(outcome)
            record(
                by=by,
                action=Action.CREATE,
                obj=outcome,
                summary=f"Graded outcome {code} for the EDS {eds.year}",
                changes=created({"code": code, **fields}),
            )
        else:
            changes = apply_fields(outcome, fields)
            save_valid(outcome)
            record(
                by=by,
                action=Action.CHANGE,
                obj=outcome,
                summary=f"Changed outcome {code} of the EDS {eds.year}",
                changes=changes,
            )
    return outcome


def add_eds_action(*, by: Actor, eds: EDSReturn, **fields: Any) -> EDSAction:
    """Add a line to the EDS action plan."""
    with transaction.atomic():
        action = EDSAction(eds=eds, **fields)
        save_valid(action)
        record(
            by=by,
            action=Action.CREATE,
            obj=action,
            summary=f"Added an EDS {eds.year} action on outcome {action.outcome}",
            changes=created(fields),
        )
    return action


def set_eds_published(*, by: Actor, eds: EDSReturn, published: bool) -> EDSReturn:
    """Publish (or withdraw) the EDS summary; only a complete assessment can be published
    (the caller checks `domain.eds_or_problem` first)."""
    with transaction.atomic():
        changes = apply_fields(eds, {"published": published})
        save_valid(eds)
        verb = "Published" if published else "Withdrew"
        record(
            by=by,
            action=Action.CHANGE,
            obj=eds,
            summary=f"{verb} the EDS {eds.year} summary",
            changes=changes,
        )
    return eds
