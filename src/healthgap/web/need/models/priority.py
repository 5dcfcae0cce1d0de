"""A ranked priority: a group in a neighbourhood with potential to benefit on an indicator."""

from __future__ import annotations

import math

from django.db import models


class Priority(models.Model):
    """A row of `priorities.parquet` (docs/results.md, docs/priorities.md). `headroom` is the
    number of people who would be reached (or events avoided: `unit`) if the group matched
    `benchmark_value`. `rank` is the area's rank within its indicator (1 = greatest potential to
    benefit); its groups share it and are ordered by `group_rank` (0 = Everyone). `lead` marks
    the row that ranks the area (its Everyone row, else its first group). `share` is the
    headroom over the indicator's total (the combined view's unit-free score, before weights).

    Disclosure (docs/priorities.md, "In the app"): `published` is False when the public
    protected results (`healthgap.reports.published.public_results`) hide the row's figure;
    `public_rank`, `public_group_rank` and `public_lead` are the same ranking computed at load
    time over the published rows only, so a hidden row neither shows nor leaves a gap."""

    rank = models.PositiveIntegerField(db_index=True)
    group_rank = models.PositiveIntegerField(default=0)
    lead = models.BooleanField(default=True)
    group = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=16, blank=True)
    share = models.FloatField(null=True, blank=True)
    published = models.BooleanField(default=True)
    public_rank = models.PositiveIntegerField(null=True, blank=True)
    public_group_rank = models.PositiveIntegerField(null=True, blank=True)
    public_lead = models.BooleanField(default=False)
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
        indexes = [
            models.Index(fields=["indicator", "lead", "rank"], name="need_prio_lead_rank"),
            models.Index(
                fields=["indicator", "public_lead", "public_rank"], name="need_prio_pub_rank"
            ),
            models.Index(
                fields=["lead", "share", "headroom_lowercl", "indicator", "area"],
                name="need_prio_lead_score",
            ),
            models.Index(
                fields=["public_lead", "share", "headroom_lowercl", "indicator", "area"],
                name="need_prio_pub_score",
            ),
            models.Index(fields=["area", "indicator"], name="need_prio_area_ind"),
            models.Index(
                fields=["indicator", "rank", "area", "group_rank"], name="need_prio_order"
            ),
            models.Index(
                fields=["indicator", "public_rank", "area", "public_group_rank"],
                name="need_prio_pub_order",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.indicator_id} {self.area_id} {self.group_label}"

    @property
    def counts(self) -> list[float | None]:
        return [self.numerator, self.denominator]

    @property
    def headroom_text(self) -> str:
        """ "102 people (95% CI 67 to 139)": the headroom in whole numbers with thousands
        separators, its unit, and its 95% interval when loaded ("" without a headroom)."""
        if self.headroom is None:
            return ""
        text = f"{self.headroom:,.0f} {self.unit or 'people'}"
        low, high = self.headroom_lowercl, self.headroom_uppercl
        if low is None or high is None or math.isnan(low) or math.isnan(high):
            return text
        return f"{text} (95% CI {low:,.0f} to {high:,.0f})"

    @property
    def group_label(self) -> str:
        """The readable group ("Everyone", "Black ethnic group", "aged 65-69"): the loaded
        `group`, else "Everyone" for the whole population and the category otherwise."""
        if self.group:
            return self.group
        return "Everyone" if self.category_type == "all" else self.category
