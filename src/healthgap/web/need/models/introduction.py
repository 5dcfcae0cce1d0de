"""An introduction a broker makes between a health partner and someone who can reach a priority."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
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
        on_delete=models.SET_NULL,
        related_name="introductions_received",
    )
    to_champion = models.ForeignKey(
        "directory.CommunityChampion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
        constraints = [
            # Exactly one target when made; both may become null if the target is deleted.
            models.CheckConstraint(
                condition=~Q(to_organisation__isnull=False, to_champion__isnull=False),
                name="introduction_one_target",
                violation_error_message="Introduce an organisation or a champion, not both.",
            )
        ]

    def __str__(self) -> str:
        return f"Introduction of {self.to_name} for {self.area_name} ({self.get_status_display()})"

    @property
    def target(self) -> Any:
        """The organisation or champion introduced (None if it has since been deleted)."""
        return self.to_organisation or self.to_champion

    @property
    def to_name(self) -> str:
        return str(self.target) if self.target is not None else "(removed)"

    @property
    def from_label(self) -> str:
        """Who asked: the health partner, else the broker's username, else "–"."""
        if self.from_organisation is not None:
            return self.from_organisation.name
        return self.from_user.get_username() if self.from_user is not None else "–"

    @property
    def audit_target(self) -> str:
        """The target for the audit log: a champion by id only (their name is personal data,
        erased on withdrawal, so it never goes into the log)."""
        if self.to_champion_id is not None:
            return f"champion {self.to_champion.uuid}"
        return self.to_name

    @property
    def group_label(self) -> str:
        return "Everyone" if self.category_type == "all" else self.category

    @property
    def next_statuses(self) -> list[tuple[str, str]]:
        """(value, label) of the statuses this introduction may move to."""
        return [(s, IntroductionStatus(s).label) for s in TRANSITIONS[self.status]]

    def clean(self) -> None:
        if self._state.adding and self.target is None:
            raise ValidationError("Choose the organisation or champion to introduce.")
