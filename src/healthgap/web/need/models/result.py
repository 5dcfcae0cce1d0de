"""One published indicator figure: indicator x period x area x breakdown category."""

from __future__ import annotations

from django.db import models


class Result(models.Model):
    """A row of `results.parquet` (docs/results.md). Values are on the indicator's multiplier
    scale; `lowercl`/`uppercl` are 95% limits; `reason` says why a value is missing. The
    `public_*` fields and `suppressed` are the row as the public disclosure policy publishes it."""

    indicator = models.ForeignKey("need.Indicator", on_delete=models.CASCADE)
    period = models.CharField(max_length=32)
    area = models.ForeignKey("need.Area", on_delete=models.CASCADE, related_name="results")
    category_type = models.CharField(max_length=32)
    category = models.CharField(max_length=100)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    lowercl = models.FloatField(null=True, blank=True)
    uppercl = models.FloatField(null=True, blank=True)
    lower99_8cl = models.FloatField(null=True, blank=True)
    upper99_8cl = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    # The same row as the public policy publishes it: the whole results version protected
    # once, at load time (`healthgap.reports.published.public_results`; docs/disclosure.md).
    # Counts rounded to 5, NaN (None) when hidden; values recomputed from the rounded counts.
    public_numerator = models.FloatField(null=True, blank=True)
    public_denominator = models.FloatField(null=True, blank=True)
    public_value = models.FloatField(null=True, blank=True)
    public_lowercl = models.FloatField(null=True, blank=True)
    public_uppercl = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)

    class Meta:
        ordering = ["indicator_id", "period", "area_id", "category_type", "category"]
        indexes = [
            models.Index(fields=["indicator", "period", "category_type"]),
            models.Index(fields=["area", "category_type"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.area_id} {self.category}: {self.value}"

    @property
    def counts(self) -> list[float | None]:
        """The counts the value is derived from (for suppression)."""
        return [self.numerator, self.denominator]
