from django.urls import path

from healthgap.web.library import views

app_name = "library"
urlpatterns = [
    path("", views.case_study_list, name="case-study-list"),
    path("new/", views.case_study_create, name="case-study-create"),
    path("<int:pk>/", views.case_study_detail, name="case-study-detail"),
    path("<int:pk>/edit/", views.case_study_edit, name="case-study-edit"),
]
