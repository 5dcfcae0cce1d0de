""" "Download PDF" of a need profile (LSOA, MSOA, local authority, ICB): the board report of
`healthgap.reports.render_profile`, audit-logged as an export.

The report uses the public disclosure policy (the protected results version, docs/disclosure.md)
unless an analyst asks for `?disclosure=none`. Its Community section is filled from the app with
what the reader may see: active partners reaching the area (consenting champions only, as on the
profile page), the activities held in its LSOAs without their reach (docs/reports.md), and single
insights only for those allowed to read them.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from healthgap.reports import model as report_model
from healthgap.reports import render_profile
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import SystemActor, record
from healthgap.web.disclosure import sees_everything
from healthgap.web.need.brokering import partners_reaching
from healthgap.web.need.models import Area, AreaType, ResultsLoad

REPORT_TYPES = (AreaType.LSOA, AreaType.MSOA, AreaType.LAD, AreaType.ICB)
ACTIVITY_LIMIT = 20


def area_report(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code)
    load = ResultsLoad.current()
    if area.area_type not in REPORT_TYPES or load is None:
        raise Http404("There is no profile report for this area.")
    user = request.user
    policy = (
        "none" if sees_everything(user) and request.GET.get("disclosure") == "none" else "public"
    )
    pdf = render_profile(load.source, area.code, fmt="pdf", policy=policy,
                         community=community_for(area, user))  # fmt: skip
    record(
        by=user if user.is_authenticated else SystemActor("public"),
        action=Action.EXPORT,
        object_type="need.profile_report",
        object_id=area.code,
        summary=f"Downloaded the profile report of {area.name} ({area.code}) as PDF",
        changes={"area": area.code, "policy": policy, "version": load.version},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="healthgap-profile-{area.code}.pdf"'
    return response


def community_for(area: Area, user: Any) -> report_model.Community:
    """Partners, activities (no reach) and, for readers allowed them, insights in `area`."""
    from healthgap.web.action.models import Activity
    from healthgap.web.action.permissions import can_list_insights, visible_insights
    from healthgap.web.action.vocab import group_key, group_label
    from healthgap.web.need.views.areas import _lsoas_below

    partners = tuple(
        report_model.Partner(p.name, p.kind) for p in partners_reaching(area)
    )  # fmt: skip
    lsoas = _lsoas_below(area)
    activities = (
        Activity.objects.filter(lsoa21__in=lsoas)
        .select_related("programme", "organisation")
        .prefetch_related("reach")
        .order_by("-date", "-id")[:ACTIVITY_LIMIT]
    )
    listed = tuple(
        report_model.Activity(
            title=f"{a.get_kind_display()}: {a.programme.name}",
            organisation=a.organisation.name if a.organisation else "",
            when=a.date,
            groups=tuple(sorted({group_label(group_key(r.group_type, r.group))
                                 for r in a.reach.all()})),
        )
        for a in activities
    )  # fmt: skip
    insights: tuple[report_model.Insight, ...] = ()
    if can_list_insights(user):
        places = set(lsoas) | set(
            Area.objects.filter(code__in=lsoas).values_list("parent_id", flat=True)
        )
        found = visible_insights(user).filter(neighbourhood__in=places)[:ACTIVITY_LIMIT]
        insights = tuple(
            report_model.Insight(i.get_theme_display(), i.summary, i.date) for i in found
        )
    return report_model.Community(partners, listed, insights)
