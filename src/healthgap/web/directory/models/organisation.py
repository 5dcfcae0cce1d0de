"""An organisation in the partnership: NHS, council, voluntary sector, faith, school, business.

Besides what Open Referral UK publishes about it (name, description, website, email, and its
ODS, charity and company numbers as `organization_identifiers`), healthgap records whom it can
reach: coverage areas (`CoverageArea`), communities served (ethnic groups, languages, PLUS
groups: `Community`) and capacity, which brokering matches against priorities.
"""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models

lsoa21_validator = RegexValidator(
    r"^E01\d{6}$", "Enter a 2021 LSOA code: E01 followed by six digits (e.g. E01000001)."
)
ods_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "Enter an ODS code: 3 to 6 capital letters or digits (e.g. RBK, M85001, QUA).",
)
charity_validator = RegexValidator(
    r"^\d{6,8}(-\d{1,3})?$",
    "Enter a Charity Commission number: 6 to 8 digits, with -N for a linked charity.",
)
company_validator = RegexValidator(
    r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$",
    "Enter a Companies House number: 8 digits, or 2 letters and 6 digits (e.g. 01234567).",
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
    """A partner organisation. `lsoa21` is where it is based (optional); `uuid` is its Open
    Referral UK id; inactive organisations are hidden from the public directory and API."""

    uuid = models.UUIDField("ORUK id", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    lsoa21 = models.CharField(
        "LSOA (2021)", max_length=9, blank=True, validators=[lsoa21_validator]
    )
    ods_code = models.CharField("ODS code", max_length=6, blank=True, validators=[ods_validator])
    charity_number = models.CharField(max_length=12, blank=True, validators=[charity_validator])
    company_number = models.CharField(max_length=8, blank=True, validators=[company_validator])
    communities = models.ManyToManyField(
        "directory.Community",
        blank=True,
        related_name="organisations",
        help_text="Ethnic groups, languages and PLUS groups the organisation works with.",
    )
    capacity_sessions_per_month = models.PositiveIntegerField(
        "sessions per month", null=True, blank=True
    )
    capacity_people_per_month = models.PositiveIntegerField(
        "people per month", null=True, blank=True
    )
    capacity_notes = models.TextField("capacity notes", blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
