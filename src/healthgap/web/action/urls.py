from django.urls import path

from healthgap.web.action.views import (
    activities,
    exports,
    insights,
    programme_report,
    programmes,
)

app_name = "action"
urlpatterns = [
    path("programmes/", programmes.programme_list, name="programme-list"),
    path("programmes/new/", programmes.programme_create, name="programme-create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme-edit"),
    path(
        "programmes/<int:pk>/report/",
        programme_report.programme_report,
        name="programme-report",
    ),
    path(
        "programmes/<int:programme_pk>/activities/new/",
        activities.activity_create,
        name="activity-create",
    ),
    path("activities/<int:pk>/", activities.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity-edit"),
    path("activities/reach-row/", activities.reach_row, name="reach-row"),
    path("insights/", insights.insight_summary, name="insight-summary"),
    path("insights/records/", insights.insight_list, name="insight-list"),
    path("insights/new/", insights.insight_create, name="insight-create"),
    path("export/<slug:what>.csv", exports.export_csv, name="export"),
]
