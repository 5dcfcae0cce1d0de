"""An equality and health inequalities impact assessment (EHIA) and its actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from healthgap.equality.ehia import Stage

STAGE_CHOICES = [(s.value, s.value.capitalize()) for s in Stage]


class ImpactAssessment(models.Model):
    """The state of `healthgap.equality.ehia.EHIA` for a programme or a service change.

    `profile` is the equity profile pulled from the loaded results (`EquityProfile.to_dict()`,
    small counts hidden); `history` the stage moves; `answers` question key -> text.
    """

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="impact_assessments"
    )
    title = models.CharField(max_length=200)
    programme = models.ForeignKey(
        "action.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_change = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope = models.TextField(blank=True)
    groups_considered = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, default=Stage.PREPARE.value)
    answers = models.JSONField(default=dict, blank=True)
    indicators = models.JSONField(default=list, blank=True)
    area_code = models.CharField(max_length=9, blank=True)
    profile = models.JSONField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    history = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("equality:ehia-detail", kwargs={"pk": self.pk})


class ImpactAction(models.Model):
    """An EHIA action with its owner (a user, who gets the reminders) and dates."""

    ehia = models.ForeignKey(ImpactAssessment, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    review_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["due", "id"]

    @property
    def owning_organisation_id(self) -> int:
        return self.ehia.organisation_id
