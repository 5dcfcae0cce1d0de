"""Writes to the learning library; each writes its audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from healthgap.web.audit.changes import created, ids, save_valid
from healthgap.web.audit.changes import update as audited_update
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import actor_user, record
from healthgap.web.library.models import CaseStudy


def create_case_study(
    *, by: Any, contacts: Iterable[Any] = (), organisation: Any = None, **fields: Any
) -> CaseStudy:
    """Create a case study owned by `organisation` (by default `by`'s organisation)."""
    contacts = list(contacts)
    with transaction.atomic():
        owner_id = organisation.pk if organisation else getattr(by, "organisation_id", None)
        case_study = CaseStudy(
            organisation_id=owner_id,
            created_by=actor_user(by),
            **fields,
        )
        save_valid(case_study)
        case_study.contacts.set(contacts)
        record(
            by=by,
            action=Action.CREATE,
            obj=case_study,
            summary=f"Created case study {case_study.title}",
            changes={
                **created(fields),
                "organisation": owner_id,
                "contacts": ids(contacts),
            },
        )
    return case_study


def update_case_study(
    *, by: Any, case_study: CaseStudy, contacts: Iterable[Any] | None = None, **fields: Any
) -> CaseStudy:
    """Change `fields` (and, if given, the contact organisations) of `case_study`."""
    audited_update(
        by=by,
        instance=case_study,
        fields=fields,
        related={"contacts": contacts},
        summary=lambda c: f"Changed case study {c.title}",
    )
    return case_study
