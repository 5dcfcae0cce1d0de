from django.urls import path

from healthgap.web.need.views import areas, atlas, introductions, priorities, report

app_name = "need"
urlpatterns = [
    path("atlas/", atlas.atlas, name="atlas"),
    path("atlas/data.json", atlas.atlas_data_json, name="atlas-data"),
    path("areas/<str:code>/", areas.area_profile, name="area"),
    path("areas/<str:code>/children/", areas.area_children, name="area-children"),
    path("areas/<str:code>/report.pdf", report.area_report, name="area-report"),
    path("priorities/", priorities.priority_list, name="priority-list"),
    path("priorities/<int:pk>/", priorities.priority_detail, name="priority-detail"),
    path(
        "priorities/<int:pk>/introduce/",
        priorities.introduction_create,
        name="introduction-create",
    ),
    path("cold-spots/", priorities.cold_spot_list, name="cold-spots"),
    path("introductions/", introductions.introduction_list, name="introduction-list"),
    path("introductions/<int:pk>/", introductions.introduction_detail, name="introduction-detail"),
    path(
        "introductions/<int:pk>/status/",
        introductions.introduction_status,
        name="introduction-status",
    ),
]
