"""CSV downloads (EXPORT_DATA): activities, people reached, insight aggregates. Audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.action import actions, exports
from healthgap.web.action.forms import ActivityFilterForm, InsightFilterForm
from healthgap.web.action.models import Activity, Insight


@require_permission(Permission.EXPORT_DATA)
def export_csv(request: HttpRequest, what: str) -> HttpResponse:
    """`what` is "activities", "reach" or "insights" (aggregates); GET filters as on the pages."""
    user = request.user
    if what == "insights":
        form = InsightFilterForm(request.GET or None)
        rows = exports.insight_rows(form.filter(Insight.objects.all()), user)
    elif what in ("activities", "reach"):
        form = ActivityFilterForm(request.GET or None)
        make = exports.activity_rows if what == "activities" else exports.reach_rows
        rows = make(form.filter(Activity.objects.all()), user)
    else:
        raise Http404("No such export.")
    text, count = exports.to_csv(rows)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    actions.record_export(
        by=user, what=what, rows=count, filters={k: v for k, v in filters.items() if v}
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="healthgap-{what}.csv"'
    return response
