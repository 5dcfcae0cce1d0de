from django.urls import path

from healthgap.web.tokens import views

app_name = "tokens"
urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/", views.manage, name="manage"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]
