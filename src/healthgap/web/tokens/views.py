"""The account page (your details and API tokens) and the administrators' token list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from healthgap.web.accounts.authorization import Permission, has_permission, require_permission
from healthgap.web.core.forms import attach_errors
from healthgap.web.tokens import actions
from healthgap.web.tokens.forms import TokenForm, TokenForUserForm
from healthgap.web.tokens.models import ApiToken


def _created(request: HttpRequest, token: ApiToken, secret: str, back: str) -> HttpResponse:
    """The page that shows a new token's secret, once; never cached."""
    response = render(
        request, "tokens/created.html", {"token": token, "secret": secret, "back": back}
    )
    add_never_cache_headers(response)
    return response


def _create(request: HttpRequest, form: TokenForm, user: object, back: str) -> HttpResponse | None:
    try:
        token, secret = actions.create_token(
            by=request.user, user=user, name=form.cleaned_data["name"]
        )
    except ValidationError as error:
        attach_errors(form, error)
        return None
    return _created(request, token, secret, back)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your account, your tokens, and a form to create one (POST shows its secret once)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _create(request, form, request.user, "tokens:account")
        if response is not None:
            return response
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "tokens/account.html", {"form": form, "tokens": tokens})


@require_permission(Permission.MANAGE_USERS)
def manage(request: HttpRequest) -> HttpResponse:
    """Every account's tokens (administrators): revoke any, create one for any account."""
    form = TokenForUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _create(request, form, form.cleaned_data["user"], "tokens:manage")
        if response is not None:
            return response
    tokens = ApiToken.objects.select_related("user")
    return render(request, "tokens/manage.html", {"form": form, "tokens": tokens})


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a token: your own, or anyone's with manage_users."""
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk and not has_permission(
        request.user, Permission.MANAGE_USERS
    ):
        raise PermissionDenied("You can only revoke your own API tokens.")
    actions.revoke_token(by=request.user, token=token)
    messages.success(request, f"API token “{token.name}” revoked: it no longer works.")
    back = "tokens:manage" if request.POST.get("back") == "manage" else "tokens:account"
    if back == "tokens:manage" and not has_permission(request.user, Permission.MANAGE_USERS):
        back = "tokens:account"
    return redirect(back)
