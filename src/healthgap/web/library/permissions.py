"""Who sees and edits case studies: published ones are public; drafts only for editors."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from healthgap.web.accounts.authorization import Permission, can_edit, has_permission
from healthgap.web.library.models import CaseStudy


def can_create(user: Any) -> bool:
    if has_permission(user, Permission.EDIT_ANY):
        return True
    return has_permission(user, Permission.EDIT_OWN_ORGANISATION) and bool(user.organisation_id)


def can_read(user: Any, case_study: CaseStudy) -> bool:
    return case_study.published or can_edit(user, case_study)


def readable(user: Any) -> QuerySet[CaseStudy]:
    """Published case studies, plus the drafts `user` may edit."""
    case_studies = CaseStudy.objects.all()
    if has_permission(user, Permission.EDIT_ANY):
        return case_studies
    if has_permission(user, Permission.EDIT_OWN_ORGANISATION) and user.organisation_id:
        return case_studies.filter(Q(published=True) | Q(organisation_id=user.organisation_id))
    return case_studies.filter(published=True)
