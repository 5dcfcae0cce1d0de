"""A neighbourhood's simplified boundary for the atlas."""

from __future__ import annotations

from django.db import models


class Boundary(models.Model):
    """GeoJSON geometry (Polygon or MultiPolygon, WGS84 lon/lat) simplified for web maps by
    `healthgap.geography.boundaries`."""

    area = models.OneToOneField(
        "need.Area", primary_key=True, on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField()

    class Meta:
        verbose_name_plural = "boundaries"

    def __str__(self) -> str:
        return f"Boundary of {self.area_id}"
