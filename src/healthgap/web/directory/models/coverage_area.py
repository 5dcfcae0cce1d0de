"""An area an organisation covers, or a neighbourhood a Community Champion works in: one
LSOA 2021, MSOA 2021 or LAD 2024 code (checked by `directory.areas`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class CoverageArea(models.Model):
    """Belongs to exactly one of an organisation or a champion (a database constraint)."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coverage_areas",
    )
    champion = models.ForeignKey(
        "directory.CommunityChampion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="neighbourhoods",
    )
    code = models.CharField(max_length=9)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, champion__isnull=True)
                | Q(organisation__isnull=True, champion__isnull=False),
                name="coverage_area_one_owner",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"], name="coverage_area_organisation_code_unique"
            ),
            models.UniqueConstraint(
                fields=["champion", "code"], name="coverage_area_champion_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code
