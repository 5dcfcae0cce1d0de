"""A WRES return: one organisation's validated counts (and Staff Survey figures) for one year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class WRESSource(models.TextChoices):
    COUNTS = "counts", "Counts CSV"
    EXTRACTS = "extracts", "Workforce and recruitment extracts"


class WRESReturn(models.Model):
    """The counts table (`healthgap.equality.wres.read_counts` columns, as CSV text, without a
    year column) behind one year's indicators; `survey_csv` holds indicators 5-8. The
    indicators are computed from these on every view, so the page and the report agree.
    `narrative` maps each narrative prompt's key to the organisation's answer."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="wres_returns"
    )
    year = models.CharField(max_length=9, help_text="The WRES year, e.g. 2025.")
    source = models.CharField(max_length=16, choices=WRESSource.choices)
    counts_csv = models.TextField()
    survey_csv = models.TextField(blank=True)
    narrative = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="one_wres_return_per_organisation_year",
                violation_error_message="This organisation already has a WRES return for "
                "that year; upload again from its page to replace it.",
            )
        ]

    def __str__(self) -> str:
        return f"WRES {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("equality:wres-detail", kwargs={"pk": self.pk})


class WRESAction(models.Model):
    """One line of the WRES action plan, against an indicator."""

    wres_return = models.ForeignKey(WRESReturn, on_delete=models.CASCADE, related_name="actions")
    indicator = models.CharField(max_length=1, choices=[(str(i), str(i)) for i in range(1, 10)])
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due = models.DateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["indicator", "due", "id"]

    @property
    def owning_organisation_id(self) -> int:
        return self.wres_return.organisation_id
