"""The equality landing page and the "reviews due" list of EHIA actions for their owners."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.equality.ehia import due_reviews
from healthgap.web.accounts.authorization import Permission, has_permission, require_permission
from healthgap.web.core.paging import paginate
from healthgap.web.equality.domain import ehia_of
from healthgap.web.equality.models import (
    EDSReturn,
    ImpactAssessment,
    MaturityAssessment,
    WRESReturn,
)
from healthgap.web.equality.permissions import readable


@require_permission(Permission.VIEW_EQUALITY)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "wres": readable(user, WRESReturn.objects.select_related("organisation")),
        "eds": readable(user, EDSReturn.objects.select_related("organisation")),
        "maturity": readable(user, MaturityAssessment.objects.select_related("organisation")),
        "ehias": readable(user, ImpactAssessment.objects.select_related("organisation")),
        "can_manage": has_permission(user, Permission.MANAGE_EQUALITY),
    }
    return render(request, "equality/home.html", context)


def reminders_for(assessments, today: date, owner: str | None = None) -> list:
    """Due reminders (the library's `due_reviews`), optionally only those of one owner."""
    found = due_reviews([ehia_of(a) for a in assessments], today)
    return [r for r in found if owner is None or r.owner == owner]


@require_permission(Permission.VIEW_EQUALITY)
def reviews_due(request: HttpRequest) -> HttpResponse:
    """The signed-in person's due EHIA actions and reviews (analysts see everyone's)."""
    user = request.user
    assessments = readable(user, ImpactAssessment.objects.prefetch_related("actions__owner"))
    mine = not has_permission(user, Permission.VIEW_UNSUPPRESSED) or "all" not in request.GET
    owner = user.get_username() if mine else None
    page, query = paginate(request, reminders_for(assessments, date.today(), owner))
    return render(
        request, "equality/reviews_due.html", {"page": page, "query": query, "mine": mine}
    )
