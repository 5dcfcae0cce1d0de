"""`ApiToken`: a personal API token. Only the SHA-256 hash of its secret is stored."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

#: Every secret starts with this, so leaked tokens are easy to recognise (e.g. by secret scanners).
SECRET_PREFIX = "hg_"


def hash_secret(secret: str) -> str:
    """The SHA-256 hex digest of a token's secret, as stored in `ApiToken.token_hash`.

    A fast hash is enough (no salt, no key stretching): the secret is 256 random bits, not a
    password a person chose, so it cannot be guessed from a leaked hash.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A secret that lets a program act as `user` on the REST API (`Authorization: Bearer`).

    The token has the user's role and organisation, no more; it stops working when revoked or
    when the user is deactivated.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. “weekly activity import”."
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
