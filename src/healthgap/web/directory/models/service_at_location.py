"""A service delivered at a location (HSDS 3.0 / ORUK `service_at_location`)."""

from __future__ import annotations

import uuid

from django.db import models


class ServiceAtLocation(models.Model):
    """Owned by the service's organisation (the location may belong to another partner)."""

    uuid = models.UUIDField("ORUK id", default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        "directory.Location", on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        ordering = ["service__name", "location__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"

    @property
    def owning_organisation_id(self) -> int:
        return self.service.organisation_id
