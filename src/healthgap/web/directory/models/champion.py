"""A Community Champion: a volunteer who links communities and services, with their consent.

Consent is recorded when the champion is added (date, the version of the consent statement
they agreed to, and who recorded it) and can be withdrawn. Withdrawal erases the personal
details (`PERSONAL_FIELDS` and the link to a user account) irreversibly and keeps an anonymous
record (languages, communities, neighbourhoods, organisation), so aggregate counts survive. A
database constraint makes sure a withdrawn record holds no personal details.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

#: The consent statement champions agree to; bump the version when its wording changes.
CONSENT_VERSION = "1.0"
CONSENT_STATEMENT = (
    "I agree that healthgap may keep my name and contact details, the languages I speak, the "
    "communities and neighbourhoods I work with, so that partners can contact me about health "
    "work in my community. Partners and analysts of the partnership can see my details; the "
    "public cannot. I can withdraw this consent at any time: my personal details will then be "
    "erased and only an anonymous record kept."
)

#: Fields holding personal data: erased on withdrawal, never written to the audit log.
PERSONAL_FIELDS = ("name", "email", "phone")


class CommunityChampion(models.Model):
    """`organisation` is None for an independent champion; `user` is their own account, if
    they have one (a champion may then edit their record and withdraw their consent)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champions",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champion_record",
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    languages = models.ManyToManyField(
        "directory.Community",
        blank=True,
        related_name="champions_speaking",
        limit_choices_to={"kind": "language"},
    )
    communities = models.ManyToManyField(
        "directory.Community",
        blank=True,
        related_name="champions",
        limit_choices_to={"kind__in": ["ethnic_group", "plus_group"]},
    )
    consent_given_on = models.DateField()
    consent_version = models.CharField(max_length=20, default=CONSENT_VERSION)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) & ~Q(name="")
                | Q(
                    withdrawn_at__isnull=False,
                    name="",
                    email="",
                    phone="",
                    user__isnull=True,
                ),
                name="champion_named_until_withdrawn_then_anonymous",
                violation_error_message=(
                    "A champion has a name until consent is withdrawn, and no personal "
                    "details after."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name or f"Anonymous champion ({str(self.uuid)[:8]})"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
