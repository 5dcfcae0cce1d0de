"""People an activity reached in one group: an aggregate count, never a person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from healthgap.web.action.validators import check_fields, validate_people_reached
from healthgap.web.action.vocab import GroupType, group_key, group_label, is_group


class ActivityReach(models.Model):
    """`count` people of `group` (of `group_type`) reached by `activity`.

    One row per activity and group. Groups of different types overlap (a person is in an ethnic
    group *and* an age band), so counts are summed within one group type only.
    """

    activity = models.ForeignKey("action.Activity", on_delete=models.CASCADE, related_name="reach")
    group_type = models.CharField(max_length=16, choices=GroupType.choices)
    group = models.CharField(max_length=100)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["group_type", "group"]
        verbose_name_plural = "activity reach"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "group_type", "group"],
                name="one_reach_row_per_activity_group",
                violation_error_message="Each group can be counted once per activity.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.count}"

    @property
    def key(self) -> str:
        return group_key(self.group_type, self.group)

    @property
    def label(self) -> str:
        return group_label(self.key)

    def clean(self) -> None:
        if self.group_type and not is_group(self.group_type, self.group):
            raise ValidationError({"group": f"{self.group!r} is not a known group."})
        check_fields([("count", self.count and (lambda: validate_people_reached(self.count)))])
