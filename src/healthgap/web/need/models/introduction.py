"""An introduction a broker makes between a health partner and someone who can reach a priority."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class IntroductionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONTACTED = "contacted", "Contacted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


#: The statuses an introduction may move to from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    IntroductionStatus.PROPOSED: (IntroductionStatus.CONTACTED, IntroductionStatus.CLOSED),
    IntroductionStatus.CONTACTED: (
        IntroductionStatus.ACCEPTED,
        IntroductionStatus.DECLINED,
        IntroductionStatus.CLOSED,
    ),
    IntroductionStatus.ACCEPTED: (IntroductionStatus.ACTIVE, IntroductionStatus.CLOSED),
    IntroductionStatus.DECLINED: (IntroductionStatus.CLOSED,),
    IntroductionStatus.ACTIVE: (IntroductionStatus.CLOSED,),
    IntroductionStatus.CLOSED: (),
}

#: Statuses in which the partner counts as working on the priority.
LIVE_STATUSES = (IntroductionStatus.ACCEPTED, IntroductionStatus.ACTIVE)


class Introduction(models.Model):
    """Who was introduced to whom, for which priority (area x group x indicator), and how it went.

    The priority is kept by its key (indicator, period, area, group) rather than a foreign key,
    because every results load replaces the priority rows; names are copied so the record
    reads the same after the figures change. From: a health partner organisation and/or the
    user who brokered it; to: exactly one organisation or Community Champion.
    """

    indicator_id = models.CharField(max_length=64)
    indicator_name = models.CharField(max_length=300)
    period = models.CharField(max_length=32)
    area_code = models.CharField(max_length=9, db_index=True)
    area_name = models.CharField(max_length=200)
    category_type = models.CharField(max_length=32)
    category = models.CharField(max_length=100)

    from_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions_made",
        help_text="The health partner asking for the introduction.",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions_made",
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="introductions_received",
    )
    status = models.CharField(
        max_length=16, choices=IntroductionStatus.choices, default=IntroductionStatus.PROPOSED
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    contacted_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    active_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Introduction of {self.to_name} for {self.area_name} ({self.get_status_display()})"

    @property
    def to_name(self) -> str:
        target = self.to_organisation
        return str(target) if target is not None else "(removed)"

    @property
    def group_label(self) -> str:
        return "Everyone" if self.category_type == "all" else self.category

    @property
    def next_statuses(self) -> list[tuple[str, str]]:
        """(value, label) of the statuses this introduction may move to."""
        return [(s, IntroductionStatus(s).label) for s in TRANSITIONS[self.status]]

    @property
    def owning_organisation_id(self) -> int | None:
        """For `can_edit`: the organisation introduced (its staff may see the record)."""
        return self.to_organisation_id


def _one_target() -> Q:
    return Q(to_organisation__isnull=False)
