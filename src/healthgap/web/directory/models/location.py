"""A place where services are delivered (HSDS 3.0 / ORUK `location` with one `address`)."""

from __future__ import annotations

import math
import re
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from healthgap.web.directory.areas import validate_point_in_lsoa
from healthgap.web.directory.models.organisation import lsoa21_validator

#: A UK postcode in normal form: outward code, one space, inward code (ONS/Royal Mail format).
POSTCODE_RE = re.compile(r"^(GIR 0AA|[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code ("ws11tp" -> "WS1 1TP")."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class Location(models.Model):
    """`latitude`/`longitude` are WGS84 decimal degrees; `lsoa21` is the 2021 LSOA the place
    is in (entered, not derived: healthgap uses no geocoder)."""

    uuid = models.UUIDField("ORUK id", default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    address_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField("town or city", max_length=100, blank=True)
    county = models.CharField("county", max_length=100, blank=True)
    postcode = models.CharField(max_length=16, blank=True)
    country = models.CharField(max_length=2, default="GB", help_text="ISO 3166-1 alpha-2.")
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    lsoa21 = models.CharField(
        "LSOA (2021)", max_length=9, blank=True, validators=[lsoa21_validator]
    )
    accessibility = models.TextField(
        blank=True, help_text="Access for disabled people: step-free, hearing loop, toilets."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="location_coordinates_both_or_neither_and_on_earth",
                violation_error_message=(
                    "Give both latitude and longitude (WGS84 degrees), or neither."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        """Coordinates given as floats are rounded to the 6 decimal places stored (~0.1 m)."""
        for name in ("latitude", "longitude"):
            value = getattr(self, name)
            if isinstance(value, float) and math.isfinite(value):
                setattr(self, name, Decimal(str(round(value, 6))))
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        """The postcode in normal form, and a new or moved point inside its LSOA.

        The point rule (`areas.validate_point_in_lsoa`: within `NEAR_LSOA_M` of the LSOA's
        ONS boundary box) is the one check of location coordinates: the location form, the
        directory actions and the ORUK import all reach it through `full_clean`. Only a point
        or LSOA that is new or changed is checked, so editing a location's name does not need
        the boundaries. Errors go under `latitude`, naming the point and the LSOA."""
        errors: dict[str, list[str]] = {}
        if self.country == "GB" and self.postcode:
            normalised = normalise_postcode(self.postcode)
            if POSTCODE_RE.match(normalised):
                self.postcode = normalised
            else:
                errors["postcode"] = [f"{self.postcode} is not a UK postcode."]
        point = self._point()
        if point is not None and self._point_is_new(point):
            try:
                validate_point_in_lsoa(*point)
            except ValidationError as error:
                errors["latitude"] = error.messages
        if errors:
            raise ValidationError(errors)

    def _point(self) -> tuple[str, float, float] | None:
        """(LSOA, latitude, longitude) when all three are given and the degrees are numbers."""
        if not self.lsoa21 or self.latitude is None or self.longitude is None:
            return None
        try:
            return self.lsoa21, float(self.latitude), float(self.longitude)
        except (TypeError, ValueError):
            return None  # clean_fields reports the bad number

    def _point_is_new(self, point: tuple[str, float, float]) -> bool:
        """True unless this saved location already has this LSOA and these coordinates."""
        if self.pk is None:
            return True
        stored = (
            Location.objects.filter(pk=self.pk)
            .values_list("lsoa21", "latitude", "longitude")
            .first()
        )
        if stored is None or None in stored[1:]:
            return True
        return (stored[0], float(stored[1]), float(stored[2])) != point
