from django.urls import path

from healthgap.web.directory.views import champions, exchange, organisations, services

app_name = "directory"
urlpatterns = [
    path("", organisations.organisation_list, name="organisation-list"),
    path("organisations/new/", organisations.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation-edit"),
    path("organisations/<int:pk>/services/new/", services.service_create, name="service-create"),
    path("organisations/<int:pk>/locations/new/", services.location_create, name="location-create"),
    path("services/<int:pk>/", services.service_detail, name="service-detail"),
    path("services/<int:pk>/edit/", services.service_edit, name="service-edit"),
    path("services/<int:pk>/delete/", services.service_delete, name="service-delete"),
    path("locations/<int:pk>/edit/", services.location_edit, name="location-edit"),
    path("locations/<int:pk>/delete/", services.location_delete, name="location-delete"),
    path("champions/", champions.champion_list, name="champion-list"),
    path("champions/new/", champions.champion_create, name="champion-create"),
    path("champions/<int:pk>/", champions.champion_detail, name="champion-detail"),
    path("champions/<int:pk>/edit/", champions.champion_edit, name="champion-edit"),
    path("champions/<int:pk>/withdraw/", champions.champion_withdraw, name="champion-withdraw"),
    path("import/", exchange.import_directory, name="import"),
    path("export/", exchange.export_directory, name="export"),
]
