from django.urls import path

from healthgap.web.equality.views import eds, ehia, home, maturity, wres

app_name = "equality"
urlpatterns = [
    path("", home.home, name="home"),
    path("reviews-due/", home.reviews_due, name="reviews-due"),
    path("wres/upload/", wres.upload, name="wres-upload"),
    path("wres/<int:pk>/", wres.detail, name="wres-detail"),
    path("wres/<int:pk>/narrative/", wres.narrative, name="wres-narrative"),
    path("wres/<int:pk>/actions/new/", wres.action_add, name="wres-action-add"),
    path("wres/<int:pk>/report/", wres.report, name="wres-report"),
    path("eds/new/", eds.create, name="eds-create"),
    path("eds/<int:pk>/", eds.detail, name="eds-detail"),
    path("eds/<int:pk>/services/new/", eds.service_add, name="eds-service-add"),
    path("eds/<int:pk>/outcomes/<str:code>/", eds.outcome, name="eds-outcome"),
    path("eds/<int:pk>/actions/new/", eds.action_add, name="eds-action-add"),
    path("eds/<int:pk>/publish/", eds.publish, name="eds-publish"),
    path("eds/<int:pk>/summary/", eds.summary, name="eds-summary"),
    path("eds/<int:pk>/report/", eds.report, name="eds-report"),
    path("maturity/new/", maturity.create, name="maturity-create"),
    path("maturity/<int:pk>/", maturity.detail, name="maturity-detail"),
    path("maturity/<int:pk>/moderate/", maturity.moderate, name="maturity-moderate"),
    path("ehia/new/", ehia.create, name="ehia-create"),
    path("ehia/<int:pk>/", ehia.detail, name="ehia-detail"),
    path("ehia/<int:pk>/profile/", ehia.profile, name="ehia-profile"),
    path("ehia/<int:pk>/actions/new/", ehia.action_add, name="ehia-action-add"),
    path("ehia/<int:pk>/move/", ehia.move, name="ehia-move"),
    path("ehia/<int:pk>/export/", ehia.export, name="ehia-export"),
]
