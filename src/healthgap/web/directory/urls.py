from django.urls import path

from healthgap.web.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("<int:pk>/", views.organisation_detail, name="organisation-detail"),
]
