"""A maturity self-assessment against a shipped framework, and its moderation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class MaturityAssessment(models.Model):
    """`ratings` maps dimension id -> {"level": int, "evidence": [text, ...]} (checked by
    `healthgap.equality.maturity.assess`); `moderated_levels` maps dimension id -> level once a
    second person (never the assessor) has moderated it."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="maturity_assessments"
    )
    framework = models.CharField(max_length=64)
    assessed_on = models.DateField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ratings = models.JSONField(default=dict)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_on = models.DateField(null=True, blank=True)
    moderated_levels = models.JSONField(null=True, blank=True)
    moderation_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["organisation_id", "framework", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.framework} self-assessment, {self.assessed_on}"

    def get_absolute_url(self) -> str:
        return reverse("equality:maturity-detail", kwargs={"pk": self.pk})

    @property
    def moderated(self) -> bool:
        return self.moderated_levels is not None
