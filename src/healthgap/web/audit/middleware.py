"""Record refused requests: every 403 answer to a signed-in caller becomes a REFUSED event.

The event names the account (username), the HTTP method and the path without its query
string; nothing else about the request (no query, body, address or headers), so it holds no
personal data beyond the username. Anonymous callers are not recorded: they are sent to sign
in (pages) or answered 401 (API), and an audit event always names who did it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from healthgap.web.audit.models import Action
from healthgap.web.audit.record import record

FORBIDDEN = 403


def _signed_in(request: HttpRequest) -> Any:
    """The account behind the request: an API token's (`request.auth`) or the session's."""
    for who in (getattr(request, "auth", None), getattr(request, "user", None)):
        if getattr(who, "is_authenticated", False):
            return who
    return None


class RefusedAccessMiddleware:
    """Django middleware: after the view, a 403 for a signed-in caller is audited."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == FORBIDDEN:
            who = _signed_in(request)
            if who is not None:
                record(
                    by=who,
                    action=Action.REFUSED,
                    summary=f"Refused {request.method} {request.path}",
                    changes={"method": request.method, "path": request.path, "status": 403},
                )
        return response
