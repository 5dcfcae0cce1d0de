"""An insight: a barrier or an idea that a community reported, by theme, group and place."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from healthgap.web.action.validators import (
    check_fields,
    validate_neighbourhood,
    validate_not_future,
)
from healthgap.web.action.vocab import InsightKind, Theme


class Insight(models.Model):
    """What people said, summarised without personal data. Groups are `InsightGroup` rows.

    `neighbourhood` is a 2021 LSOA or MSOA code (blank when not known). Owned by the
    organisation that recorded it.
    """

    kind = models.CharField(max_length=8, choices=InsightKind.choices, default=InsightKind.BARRIER)
    theme = models.CharField(max_length=16, choices=Theme.choices)
    summary = models.TextField(
        "What people said",
        help_text="A quote or summary. No names, contact details or anything that could identify "
        "a person.",
    )
    neighbourhood = models.CharField(
        "Neighbourhood (LSOA or MSOA 2021 code)",
        max_length=9,
        blank=True,
        validators=[validate_neighbourhood],
    )
    source_activity = models.ForeignKey(
        "action.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insights",
    )
    date = models.DateField()
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_insights",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["theme", "date"])]

    def __str__(self) -> str:
        return f"{self.get_theme_display()} ({self.date:%d %b %Y})"

    def clean(self) -> None:
        """Sanity limit (docs/action.md): an insight is dated when it was heard, not later."""
        check_fields([("date", self.date and (lambda: validate_not_future(self.date)))])
