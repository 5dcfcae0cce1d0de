"""Who may do what with programmes, activities and insights (on top of `authorization`).

- Programmes: anyone may read; EDIT_OWN_ORGANISATION users with an organisation create them
  (their organisation leads); `can_edit` (the lead organisation, or EDIT_ANY) changes them.
- Activities: RECORD_ACTIVITY users record them for programmes their organisation leads or
  partners (EDIT_ANY: any programme); `can_edit` (the recording organisation) changes them.
- Insights: RECORD_ACTIVITY users record them. Aggregates are public (suppressed); single
  insights are listed to analysts and administrators (all) and to partners and champions
  (their own organisation's), so counting rows never undoes suppression for anyone else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.action.models import Insight, Programme


def can_create_programme(user: Any) -> bool:
    if has_permission(user, Permission.EDIT_ANY):
        return True
    return has_permission(user, Permission.EDIT_OWN_ORGANISATION) and bool(user.organisation_id)


def can_record(user: Any, programme: Programme) -> bool:
    """True when `user` may record an activity (or an insight from one) for `programme`."""
    if not has_permission(user, Permission.RECORD_ACTIVITY):
        return False
    if has_permission(user, Permission.EDIT_ANY):
        return True
    return user.organisation_id is not None and user.organisation_id in programme.organisation_ids()


def can_record_insight(user: Any) -> bool:
    if not has_permission(user, Permission.RECORD_ACTIVITY):
        return False
    return has_permission(user, Permission.EDIT_ANY) or bool(user.organisation_id)


def can_list_insights(user: Any) -> bool:
    return has_permission(user, Permission.VIEW_UNSUPPRESSED) or has_permission(
        user, Permission.RECORD_ACTIVITY
    )


def visible_insights(user: Any, insights: QuerySet[Insight] | None = None) -> QuerySet[Insight]:
    """The single insights `user` may read (none for the public)."""
    insights = Insight.objects.all() if insights is None else insights
    if has_permission(user, Permission.VIEW_UNSUPPRESSED) or has_permission(
        user, Permission.EDIT_ANY
    ):
        return insights
    if has_permission(user, Permission.RECORD_ACTIVITY) and user.organisation_id:
        return insights.filter(organisation_id=user.organisation_id)
    return insights.none()
