"""EHIA writes: create, edit the current stage, pull the equity profile, actions, stage moves.

Each change is made on the library's `EHIA` first (which enforces the workflow: what each
stage needs, one stage forward at a time, closed means read-only) and then stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from healthgap.equality.ehia import EHIA, EHIAAction, Stage
from healthgap.web.audit.changes import apply_fields, created, save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import record
from healthgap.web.equality.domain import ehia_of
from healthgap.web.equality.models import ImpactAction, ImpactAssessment


def create_ehia(*, by: Any, organisation: Any, **fields: Any) -> ImpactAssessment:
    """Start an EHIA (prepare stage) for a programme or a service change."""
    with transaction.atomic():
        ehia = ImpactAssessment(organisation=organisation, **fields)
        save_valid(ehia)
        record(
            by=by,
            action=Action.CREATE,
            obj=ehia,
            summary=f"Started the EHIA {ehia.title}",
            changes=created({"organisation": organisation, **fields}),
        )
    return ehia


def _history(ehia: EHIA) -> list[dict]:
    return ehia.export()["history"]


def update_ehia(*, by: Any, ehia: ImpactAssessment, **fields: Any) -> ImpactAssessment:
    """Change fields of the current stage (answers are merged); not once closed."""
    library = {
        k: tuple(v) if k == "groups_considered" else v
        for k, v in fields.items()
        if k in ("scope", "groups_considered", "answers", "review_date", "title")
    }
    updated = ehia_of(ehia).update(**library)
    if "answers" in fields:
        fields = fields | {"answers": dict(updated.answers)}
    with transaction.atomic():
        changes = apply_fields(ehia, fields)
        save_valid(ehia)
        record(
            by=by,
            action=Action.CHANGE,
            obj=ehia,
            summary=f"Changed the EHIA {ehia.title}",
            changes=changes,
        )
    return ehia


def pull_profile(
    *, by: Any, ehia: ImpactAssessment, profile: dict, indicators: list[str], area_code: str
) -> ImpactAssessment:
    """Store the equity profile pulled from the loaded results (`profile.equity_for`)."""
    ehia_of(ehia).update()  # a closed EHIA cannot be changed
    with transaction.atomic():
        ehia.profile, ehia.indicators, ehia.area_code = profile, indicators, area_code
        save_valid(ehia)
        record(
            by=by,
            action=Action.CHANGE,
            obj=ehia,
            summary=f"Pulled the equity profile into the EHIA {ehia.title}",
            changes={"indicators": indicators, "area_code": area_code},
        )
    return ehia


def add_ehia_action(*, by: Any, ehia: ImpactAssessment, **fields: Any) -> ImpactAction:
    """Add an action with an owner (a user) and due/review dates."""
    owner = fields["owner"]
    ehia_of(ehia).add_action(
        EHIAAction(
            fields["description"], owner.get_username(), fields["due"], fields.get("review_on")
        )
    )
    with transaction.atomic():
        action = ImpactAction(ehia=ehia, **fields)
        save_valid(action)
        record(
            by=by,
            action=Action.CREATE,
            obj=action,
            summary=f"Added an action to the EHIA {ehia.title}",
            changes=created(fields),
        )
    return action


def _store_move(by: Any, ehia: ImpactAssessment, moved: EHIA, verb: str) -> ImpactAssessment:
    with transaction.atomic():
        old = ehia.stage
        ehia.stage, ehia.history = moved.stage.value, _history(moved)
        save_valid(ehia)
        record(
            by=by,
            action=Action.CHANGE,
            obj=ehia,
            summary=f"{verb} the EHIA {ehia.title} to {moved.stage.value}",
            changes={"stage": [old, moved.stage.value]},
        )
    return ehia


def advance_ehia(*, by: Any, ehia: ImpactAssessment, on: date, note: str = "") -> ImpactAssessment:
    """Move to the next stage (AssessmentError naming what the stage still needs)."""
    moved = ehia_of(ehia).advance(by=by.get_username(), on=on, note=note)
    return _store_move(by, ehia, moved, "Moved")


def return_ehia(
    *, by: Any, ehia: ImpactAssessment, stage: str, on: date, note: str
) -> ImpactAssessment:
    """Go back to an earlier stage, with a reason."""
    moved = ehia_of(ehia).return_to(Stage(stage), by=by.get_username(), on=on, note=note)
    return _store_move(by, ehia, moved, "Returned")
