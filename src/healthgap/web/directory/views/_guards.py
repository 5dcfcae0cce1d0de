"""Object-level access checks shared by the directory views."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from healthgap.web.accounts.authorization import can_edit


def edit_denied(request: HttpRequest, obj: Any, allowed: bool | None = None) -> HttpResponse | None:
    """None when the user may change `obj` (or `allowed` is True); a login redirect for an
    anonymous visitor; PermissionDenied (403) for anyone else."""
    if allowed is None:
        allowed = can_edit(request.user, obj)
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied("You can only change your own organisation's records.")


def posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """Form arguments: the POST data (and files) on a POST, even when empty, else nothing.

    (`request.POST or None` would leave a form unbound, with no errors, on an empty POST.)"""
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)
