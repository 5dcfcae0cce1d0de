"""Maturity writes: a self-assessment, and its moderation by a second person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction

from healthgap.equality.maturity import assess, moderate
from healthgap.web.audit.changes import save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import record
from healthgap.web.equality.domain import maturity_assessment, shipped_frameworks
from healthgap.web.equality.models import MaturityAssessment


def create_self_assessment(
    *,
    by: Any,
    organisation: Any,
    framework: str,
    assessed_on: date,
    ratings: Mapping[str, tuple[int, Sequence[str]]],
) -> MaturityAssessment:
    """Store a self-assessment by `by` (the assessor); `assess` checks every dimension is rated
    with evidence (AssessmentError otherwise)."""
    checked = assess(
        shipped_frameworks()[framework], organisation.name, by.get_username(), assessed_on, ratings
    )
    stored = {
        r.dimension: {"level": r.level, "evidence": list(r.evidence)} for r in checked.ratings
    }
    with transaction.atomic():
        assessment = MaturityAssessment(
            organisation=organisation,
            framework=framework,
            assessed_on=assessed_on,
            assessor=by,
            ratings=stored,
        )
        save_valid(assessment)
        record(
            by=by,
            action=Action.CREATE,
            obj=assessment,
            summary=f"Self-assessed {organisation} against {framework}",
            changes={
                "framework": framework,
                "assessed_on": assessed_on.isoformat(),
                "levels": {k: v["level"] for k, v in stored.items()},
            },
        )
    return assessment


def moderate_assessment(
    *,
    by: Any,
    assessment: MaturityAssessment,
    moderated_on: date,
    levels: Mapping[str, int],
    notes: str = "",
) -> MaturityAssessment:
    """Moderate by `by`, who may not be the assessor (`moderate` raises AssessmentError)."""
    changes = {k: v for k, v in levels.items() if assessment.ratings[k]["level"] != v}
    moderated = moderate(
        maturity_assessment(assessment), by.get_username(), moderated_on, changes, notes
    )
    assert moderated.moderation is not None
    with transaction.atomic():
        assessment.moderator = by
        assessment.moderated_on = moderated_on
        assessment.moderated_levels = dict(moderated.moderation.levels)
        assessment.moderation_notes = notes
        save_valid(assessment)
        record(
            by=by,
            action=Action.CHANGE,
            obj=assessment,
            summary=f"Moderated the {assessment.framework} self-assessment",
            changes={
                "moderated_on": moderated_on.isoformat(),
                "changed_levels": {
                    k: [assessment.ratings[k]["level"], v] for k, v in changes.items()
                },
            },
        )
    return assessment
