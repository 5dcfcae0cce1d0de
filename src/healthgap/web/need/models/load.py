"""A record of each results load: which published version the web app shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ResultsLoad(models.Model):
    """One `load_results` run. The newest row describes the figures now in the app; a load
    replaces all results, inequalities, priorities, areas and boundaries in one transaction."""

    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField(max_length=500, help_text="The results store folder.")
    version = models.CharField(max_length=100)
    created = models.CharField(max_length=40, blank=True)
    icb = models.ForeignKey(
        "need.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    icb_code = models.CharField(max_length=9)
    manifest = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = ["loaded_at", "id"]

    def __str__(self) -> str:
        return f"results {self.version} for {self.icb_code}"

    @classmethod
    def current(cls) -> ResultsLoad | None:
        """The load whose figures the app shows (the newest), or None before any load."""
        return cls.objects.select_related("icb").first()
