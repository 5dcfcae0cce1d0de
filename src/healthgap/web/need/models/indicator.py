"""An indicator as published in the results store, with its catalogue description."""

from __future__ import annotations

from django.db import models


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    NO_JUDGEMENT = "no_judgement", "No judgement"


class Indicator(models.Model):
    """One catalogue indicator (`healthgap.indicators.load_catalogue()`), keyed by its id.

    `method` is the statistic (proportion, rate, dsr); values are on the `multiplier` scale
    (100 = per cent). `definition` is the catalogue's "why it matters" text.
    """

    id = models.CharField(primary_key=True, max_length=64)
    name = models.CharField(max_length=300)
    method = models.CharField(max_length=32)
    polarity = models.CharField(max_length=32, choices=Polarity.choices)
    multiplier = models.FloatField(default=1)
    target = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=400, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    definition = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> str:
        """How values are expressed: "%" for per cent, else "per 1,000" and so on."""
        if self.multiplier == 100 and self.method == "proportion":
            return "%"
        if self.multiplier in (0, 1):
            return ""
        return f"per {self.multiplier:,.0f}"
