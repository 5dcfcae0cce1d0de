"""The audit log page (administrators): newest first, filter by user and action, paginated."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.core.paging import paginate

PAGE_SIZE = 50


@require_permission(Permission.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor")
    user = request.GET.get("user", "").strip()
    action = request.GET.get("action", "")
    if user:
        events = events.filter(actor_username__iexact=user)
    if action in Action.values:
        events = events.filter(action=action)
    page, query = paginate(request, events, PAGE_SIZE)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "actions": Action.choices,
            "selected_user": user,
            "selected_action": action,
            "query": query,
        },
    )
