from django.urls import path

from healthgap.web.core import views

app_name = "core"
urlpatterns = [path("", views.home, name="home")]
