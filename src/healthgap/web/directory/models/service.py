"""A service an organisation provides (HSDS 3.0 / ORUK `service`)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class ServiceStatus(models.TextChoices):
    """The ORUK 3.0 `service.status` enum."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Service(models.Model):
    """Ages are in whole years; `cost_amount` is in pounds (0 for a free service), and
    `cost_description` qualifies it ("per session", "free to under-18s")."""

    uuid = models.UUIDField("ORUK id", default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField("web page", blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    taxonomy_terms = models.ManyToManyField(
        "directory.TaxonomyTerm", blank=True, related_name="services"
    )
    eligibility = models.TextField(blank=True, help_text="Who can use the service.")
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = models.ManyToManyField(
        "directory.Community",
        blank=True,
        related_name="services",
        limit_choices_to={"kind": "language"},
        help_text="Languages the service is delivered in (not only through interpreters).",
    )
    cost_amount = models.DecimalField(
        "cost (£)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    cost_description = models.CharField(max_length=200, blank=True)
    alert = models.TextField(blank=True, help_text="A short-term notice, e.g. a closure.")
    assured_date = models.DateField(
        null=True, blank=True, help_text="When the information was last checked."
    )
    last_modified = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=F("maximum_age")),
                name="service_minimum_age_not_above_maximum",
                violation_error_message="The minimum age must not be above the maximum age.",
            ),
            models.CheckConstraint(
                condition=Q(cost_amount__isnull=True) | Q(cost_amount__gte=0),
                name="service_cost_not_negative",
                violation_error_message="The cost must not be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
