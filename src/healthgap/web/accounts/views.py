"""Sign in and sign out (Django's views with healthgap's templates; django-axes throttles)."""

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the header's sign-out button is a small form."""
