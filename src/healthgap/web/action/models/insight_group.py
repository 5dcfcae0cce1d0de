"""A group an insight speaks for (an insight may speak for several)."""

from __future__ import annotations

from django.db import models

from healthgap.web.action.vocab import GroupType, group_key, group_label


class InsightGroup(models.Model):
    insight = models.ForeignKey("action.Insight", on_delete=models.CASCADE, related_name="groups")
    group_type = models.CharField(max_length=16, choices=GroupType.choices)
    group = models.CharField(max_length=100)

    class Meta:
        ordering = ["group_type", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["insight", "group_type", "group"], name="one_row_per_insight_group"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return group_label(group_key(self.group_type, self.group))
