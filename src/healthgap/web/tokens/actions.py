"""Create and revoke API tokens; each change is audited in the same transaction.

The audit event names the token and its user, never the secret or its hash.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthgap.web.audit.changes import save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import record
from healthgap.web.tokens.models import ApiToken, hash_secret
from healthgap.web.tokens.models.token import SECRET_PREFIX

#: `last_used_at` is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_token(*, by: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is never stored or shown again.

    The secret is "hg_" followed by 32 random bytes in URL-safe base64 (`secrets.token_urlsafe`).
    """
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(user=user, name=name.strip(), token_hash=hash_secret(secret))
        save_valid(token)
        record(
            by=by,
            action=Action.CREATE,
            obj=token,
            summary=f"Created API token “{token.name}” for {user.get_username()}",
            changes={"name": token.name, "user": user.get_username()},
        )
    return token, secret


def revoke_token(*, by: Any, token: ApiToken) -> ApiToken:
    """Revoke `token` now (no-op, and no audit event, when it is already revoked)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            by=by,
            action=Action.CHANGE,
            obj=token,
            summary=f"Revoked API token “{token.name}” of {token.user.get_username()}",
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
    return token


def user_for_secret(secret: str) -> tuple[Any, ApiToken] | None:
    """The active user and live token a secret belongs to, or None; notes when it was used."""
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(token_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
