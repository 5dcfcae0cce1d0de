"""`AuditEvent`: one row per create, change, delete, export, import (or refused import),
sign-in, sign-out or refused (403) request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    CREATE = "create", "Create"
    CHANGE = "change", "Change"
    DELETE = "delete", "Delete"
    EXPORT = "export", "Export"
    IMPORT = "import", "Import"
    IMPORT_FAILED = "import_failed", "Import refused"
    LOGIN = "login", "Sign in"
    LOGOUT = "logout", "Sign out"
    REFUSED = "refused", "Access refused (403)"


class AuditEvent(models.Model):
    """Who did what to which object, when. Rows are never edited or deleted by the app.

    `actor_username` keeps the name even if the account is later deleted; `object_type` is the
    model label (e.g. "directory.organisation"); `changes` maps field -> [old, new] for a change
    (or field -> value for a create), with JSON-safe values.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.summary}"
        )
