"""Insight pages: public aggregates (theme x group, theme x neighbourhood, a bar chart by theme;
non-analysts see the protected table of all insights, whatever the filters), the list of single
insights for those allowed, and recording."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from healthgap.web.accounts.authorization import Permission, require_permission
from healthgap.web.action import actions
from healthgap.web.action.charts import bar_chart
from healthgap.web.action.forms import PERSONAL_DATA_WARNING, InsightFilterForm, InsightForm
from healthgap.web.action.models import Insight
from healthgap.web.action.permissions import (
    can_list_insights,
    can_record_insight,
    visible_insights,
)
from healthgap.web.action.published import crosstab_for
from healthgap.web.core.forms import submit
from healthgap.web.core.paging import paginate
from healthgap.web.disclosure import sees_everything


def insight_summary(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = InsightFilterForm(request.GET or None)
    insights = filters.filter(Insight.objects.all())
    groups = crosstab_for(insights, filters.chosen_group_type(), user)
    places = crosstab_for(insights, "neighbourhood", user)
    chart = bar_chart(
        "Insights by theme",
        [(label, n) for (_, label), n in zip(groups.themes, groups.theme_totals, strict=True)],
    )
    return render(
        request,
        "action/insight_summary.html",
        {
            "filters": filters,
            "by_group": groups,
            "by_neighbourhood": places,
            "chart": chart,
            "query": request.GET.urlencode(),
            "can_list": can_list_insights(user),
            "filters_apply": sees_everything(user),
            "can_record": can_record_insight(user),
        },
    )


def insight_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_list_insights(user):
        raise PermissionDenied("Single insights are shown to analysts and recorders only.")
    filters = InsightFilterForm(request.GET or None)
    insights = filters.filter(visible_insights(user)).prefetch_related("groups")
    page, query = paginate(request, insights.select_related("organisation", "source_activity"))
    return render(
        request, "action/insight_list.html", {"filters": filters, "page": page, "query": query}
    )


@require_permission(Permission.RECORD_ACTIVITY)
def insight_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_record_insight(user):
        raise PermissionDenied("You need to belong to an organisation to record insights.")
    initial = {}
    if "activity" in request.GET:
        initial["source_activity"] = request.GET["activity"]
    form = InsightForm(request.POST or None, user=user, initial=initial)
    done = submit(
        request,
        form,
        lambda: actions.create_insight(
            by=user, groups=form.selected_groups(), **form.insight_fields()
        ),
        "Insight recorded. Thank you.",
        then=reverse("action:insight-list"),
    )
    if done:
        return done
    return render(
        request, "action/insight_form.html", {"form": form, "warning": PERSONAL_DATA_WARNING}
    )
