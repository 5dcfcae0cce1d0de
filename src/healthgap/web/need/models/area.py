"""An area of the hierarchy the results are published for, with deprivation (IMD 2025)."""

from __future__ import annotations

from django.db import models


class AreaType(models.TextChoices):
    """Area types as `results.parquet` names them (docs/results.md), smallest first."""

    LSOA = "lsoa21", "Neighbourhood (LSOA 2021)"
    MSOA = "msoa21", "Neighbourhood (MSOA 2021)"
    LAD = "lad24", "Local authority (2024)"
    SICBL = "sicbl24", "Sub-ICB location (2024)"
    ICB = "icb24", "Integrated care board (2024)"
    REGION = "region", "Region"
    ENGLAND = "england", "England"


#: The neighbourhood levels the atlas maps and priorities are ranked at.
NEIGHBOURHOODS = (AreaType.LSOA, AreaType.MSOA)
ENGLAND_CODE = "E92000001"


class Area(models.Model):
    """An area (GSS code) and its parent in the loaded ICB's hierarchy.

    Parents: LSOA -> MSOA -> local authority (the one holding most of its LSOAs) -> the ICB
    -> region -> England; sub-ICB locations -> the ICB. IMD 2025: for LSOAs the official score
    and national decile (1 = most deprived 10%); for MSOAs the population-weighted mean of
    their LSOAs' scores and its decile among all English MSOAs (not an official statistic);
    none for larger areas. `core20`: for LSOAs, IMD national decile 1-2; for larger areas,
    more than half of the residents live in Core20 LSOAs (`core20_share` is that share, 0-1).
    """

    code = models.CharField(primary_key=True, max_length=9)
    name = models.CharField(max_length=200)
    area_type = models.CharField(max_length=16, choices=AreaType.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    imd_score = models.FloatField(null=True, blank=True)
    imd_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    core20 = models.BooleanField(null=True, blank=True)
    core20_share = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_neighbourhood(self) -> bool:
        return self.area_type in NEIGHBOURHOODS

    def ancestors(self) -> list[Area]:
        """Parent, grandparent, ... up to England (nearest first)."""
        chain: list[Area] = []
        area = self.parent
        while area is not None and len(chain) < len(AreaType.values):
            chain.append(area)
            area = area.parent
        return chain
