"""A ranked priority: a group in a neighbourhood with potential to benefit on an indicator."""

from __future__ import annotations

from django.db import models


class Priority(models.Model):
    """A row of `priorities.parquet` (docs/results.md). `headroom` is the number of people who
    would be reached (or events avoided) if the group matched `benchmark_value`; rank 1 has the
    greatest potential to benefit."""

    rank = models.PositiveIntegerField(db_index=True)
    indicator = models.ForeignKey("need.Indicator", on_delete=models.CASCADE)
    period = models.CharField(max_length=32)
    area = models.ForeignKey("need.Area", on_delete=models.CASCADE, related_name="priorities")
    category_type = models.CharField(max_length=32)
    category = models.CharField(max_length=100)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    lowercl = models.FloatField(null=True, blank=True)
    uppercl = models.FloatField(null=True, blank=True)
    smoothed_value = models.FloatField(null=True, blank=True)
    smoothed_lowercl = models.FloatField(null=True, blank=True)
    smoothed_uppercl = models.FloatField(null=True, blank=True)
    benchmark_value = models.FloatField(null=True, blank=True)
    benchmark_source = models.CharField(max_length=200, blank=True)
    headroom = models.FloatField(null=True, blank=True)
    headroom_lowercl = models.FloatField(null=True, blank=True)
    headroom_uppercl = models.FloatField(null=True, blank=True)
    core20 = models.BooleanField(default=False)
    plus_group = models.BooleanField(default=False)
    core20plus5 = models.CharField(max_length=100, blank=True)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return f"#{self.rank} {self.indicator_id} {self.area_id} {self.group_label}"

    @property
    def counts(self) -> list[float | None]:
        return [self.numerator, self.denominator]

    @property
    def group_label(self) -> str:
        """ "Everyone" for the whole population, else the category (e.g. "Black")."""
        return "Everyone" if self.category_type == "all" else self.category
