"""An activity of a programme: an outreach session, event, clinic, co-production meeting or
training, with the people it reached counted by group (`ActivityReach`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from healthgap.web.action.areas import containing_areas
from healthgap.web.action.validators import (
    check_fields,
    validate_lsoa,
    validate_not_future,
    validate_people_reached,
    validate_within_areas,
)
from healthgap.web.action.vocab import ActivityKind


class Activity(models.Model):
    """One dated activity. Owned by the organisation that recorded it (`organisation`).

    `attendees` and `outcomes` belong to co-production meetings only (a database constraint
    keeps them empty for other kinds). People reached are aggregate counts in `reach`.
    """

    programme = models.ForeignKey(
        "action.Programme", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    date = models.DateField()
    place = models.CharField(max_length=200, help_text="Where it happened, e.g. a venue name.")
    lsoa21 = models.CharField(
        "Neighbourhood (LSOA 2021 code)", max_length=9, blank=True, validators=[validate_lsoa]
    )
    partners = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="partner_activities"
    )
    notes = models.TextField(blank=True)
    attendees = models.PositiveIntegerField(
        null=True, blank=True, help_text="Co-production meetings: how many people took part."
    )
    outcomes = models.TextField(
        "What came of it",
        blank=True,
        help_text="Co-production meetings: the decisions made and what will change.",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_activities",
        help_text="The organisation that recorded the activity (it owns the record).",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ActivityKind.COPRODUCTION)
                | (Q(attendees__isnull=True) & Q(outcomes="")),
                name="activity_attendees_only_for_coproduction",
                violation_error_message=(
                    "Attendees and outcomes are recorded for co-production meetings only."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.place} ({self.date:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("action:activity-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """Sanity limits (docs/action.md): a date that has passed, a plausible number of
        attendees, and a neighbourhood inside the programme's target areas."""
        check_fields(
            [
                ("date", self.date and (lambda: validate_not_future(self.date))),
                ("attendees", self.attendees and (lambda: validate_people_reached(self.attendees))),
                ("lsoa21", self.lsoa21 and self.programme_id and self._check_in_programme),
            ]
        )

    def _check_in_programme(self) -> None:
        targets = self.programme.target_areas
        if targets:
            validate_within_areas(self.lsoa21, targets, containing_areas([self.lsoa21]))

    @property
    def is_coproduction(self) -> bool:
        return self.kind == ActivityKind.COPRODUCTION
