"""A summary measure of inequality for an indicator in an area."""

from __future__ import annotations

from django.db import models

#: Display names of the measures in `inequalities.parquet` (PHE and WHO HEAT).
MEASURE_NAMES = {
    "sii": "Slope index of inequality (SII)",
    "rii": "Relative index of inequality (RII)",
    "d": "Difference (D)",
    "r": "Ratio (R)",
    "paf": "Population attributable fraction (PAF)",
    "par": "Population attributable risk (PAR)",
    "bgv": "Between-group variance (BGV)",
}


class Inequality(models.Model):
    """A row of `inequalities.parquet`: `measure` across the groups of `dimension`
    (imd_decile, core20, ethnicity5) for one indicator, period and area."""

    indicator = models.ForeignKey("need.Indicator", on_delete=models.CASCADE)
    period = models.CharField(max_length=32)
    area = models.ForeignKey("need.Area", on_delete=models.CASCADE, related_name="inequalities")
    dimension = models.CharField(max_length=32)
    measure = models.CharField(max_length=32)
    value = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    lowercl = models.FloatField(null=True, blank=True)
    uppercl = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["indicator_id", "period", "dimension", "measure"]
        verbose_name_plural = "inequalities"
        indexes = [models.Index(fields=["area", "period"])]

    def __str__(self) -> str:
        return f"{self.measure} of {self.indicator_id} by {self.dimension} in {self.area_id}"

    @property
    def measure_name(self) -> str:
        return MEASURE_NAMES.get(self.measure, self.measure.upper())
