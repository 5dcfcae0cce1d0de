"""Authentication for the REST API: personal tokens, the browser session, or nobody.

Every router uses one of two lists (django-ninja tries each callable in turn; the first that
returns a principal wins, and it becomes `request.auth` and `request.user`):

- `SIGNED_IN_AUTH` = [bearer token, session]: writes and anything only signed-in users may
  read. No valid credential: 401.
- `PUBLIC_AUTH` = [bearer token, session, anonymous]: public reads. A token or session is still
  honoured, so a partner's token sees its own drafts and an analyst's token unsuppressed figures.

A request with an `Authorization: Bearer` header whose token is unknown, revoked or belongs to
an inactive user is refused with 401 on every endpoint, public ones included, rather than
treated as anonymous. Session requests keep Django's CSRF check on unsafe methods (send the
`X-CSRFToken` header); token requests need none, since browsers never attach them by themselves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from healthgap.web.tokens.actions import user_for_secret


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token (see `tokens.models`)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = user_for_secret(token.strip())
        if found is None:
            raise HttpError(401, "The API token is not valid: it is unknown or revoked.")
        user, api_token = found
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


class SessionCookie(SessionAuth):
    """The Django session of a signed-in browser, with the CSRF check on unsafe methods.

    Unlike ninja's `SessionAuth`, the CSRF check runs only for a signed-in session, so an
    anonymous write is answered 401 (sign in) rather than 403 (CSRF).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class Anonymous:
    """Lets a request through without credentials, as the anonymous user (public endpoints)."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        return AnonymousUser()


BEARER_TOKEN = BearerToken()
SESSION_COOKIE = SessionCookie()
ANONYMOUS = Anonymous()

SIGNED_IN_AUTH = [BEARER_TOKEN, SESSION_COOKIE]
PUBLIC_AUTH = [BEARER_TOKEN, SESSION_COOKIE, ANONYMOUS]
