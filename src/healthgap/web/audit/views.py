"""The audit log page (administrators): newest first, filter by who, what and when,
paginated (`web.core.paging`), each change shown as before -> after with human labels
(`labels.describe`); and the same filtered rows as CSV (`audit:export`), itself audited."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from healthgap.disclosure import safe_csv_cell
from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.audit.forms import AuditFilterForm
from healthgap.web.audit.labels import describe, object_label
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.audit.record import record
from healthgap.web.core.paging import paginate

PAGE_SIZE = 50
#: Most rows one CSV export holds (newest first); narrow the filters for older events.
EXPORT_LIMIT = 100_000
CSV_HEADER = ["when (UTC)", "who", "action", "type of record", "record id", "summary", "changes"]


@require_permission(Permission.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = form.filter(AuditEvent.objects.select_related("actor"))
    page, query = paginate(request, events, PAGE_SIZE)
    rows = [(event, object_label(event), describe(event)) for event in page]
    return render(
        request, "audit/log.html", {"form": form, "page": page, "rows": rows, "query": query}
    )


@require_permission(Permission.VIEW_AUDIT_LOG)
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered events as CSV (spreadsheet-safe cells), recorded as an EXPORT event."""
    form = AuditFilterForm(request.GET or None)
    events = list(form.filter(AuditEvent.objects.all())[:EXPORT_LIMIT])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for event in events:
        row = [
            event.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_username,
            event.get_action_display(),
            event.object_type,
            event.object_id,
            event.summary,
            json.dumps(event.changes, sort_keys=True, ensure_ascii=False),
        ]
        writer.writerow([safe_csv_cell(value) for value in row])
    with transaction.atomic():
        record(
            by=request.user,
            action=Action.EXPORT,
            object_type="audit.auditevent",
            summary=f"Exported {len(events)} audit events as CSV",
            changes={"filters": form.applied(), "rows": len(events)},
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"healthgap-audit-{timezone.now():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
