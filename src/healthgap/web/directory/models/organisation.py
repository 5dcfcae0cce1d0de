"""An organisation in the partnership: NHS, council, voluntary sector, faith, school, business."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

lsoa21_validator = RegexValidator(
    r"^E01\d{6}$", "Enter a 2021 LSOA code: E01 followed by six digits (e.g. E01000001)."
)


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    ICB = "icb", "Integrated care board"
    PRIMARY_CARE = "primary_care", "PCN or GP practice"
    COUNCIL = "council", "Council"
    VOLUNTARY = "voluntary", "Voluntary or community group"
    FAITH = "faith", "Faith group"
    SCHOOL = "school", "School"
    BUSINESS = "business", "Business"
    BIG_LOCAL = "big_local", "Big Local area"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A partner organisation. `lsoa21` is where it is based (optional)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    lsoa21 = models.CharField(
        "LSOA (2021)", max_length=9, blank=True, validators=[lsoa21_validator]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
