"""A programme: a sustained piece of work by partners, aimed at indicators, areas and groups."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from healthgap.web.action.validators import (
    check_fields,
    indicator_names,
    validate_group_keys,
    validate_indicator_ids,
    validate_planned,
    validate_target_areas,
)
from healthgap.web.action.vocab import ProgrammeKind, ProgrammeStatus, group_label


class Programme(models.Model):
    """E.g. vaccine ambassadors in Sandwell. Owned by its lead organisation (`can_edit`).

    `target_indicators` holds catalogue ids (`healthgap.indicators.load_catalogue()`),
    `target_areas` 2021 LSOA/MSOA or local authority codes, `target_groups` group keys
    ("ethnicity:Pakistani", "plus:...", "age:65 and over"; see `vocab`).
    """

    name = models.CharField(max_length=200)
    kind = models.CharField("Type", max_length=32, choices=ProgrammeKind.choices)
    aims = models.TextField()
    target_indicators = models.JSONField(
        default=list, blank=True, validators=[validate_indicator_ids]
    )
    target_areas = models.JSONField(default=list, blank=True, validators=[validate_target_areas])
    target_groups = models.JSONField(default=list, blank=True, validators=[validate_group_keys])
    lead_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="led_programmes"
    )
    partners = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="partner_programmes"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="programme_ends_after_it_starts",
                violation_error_message="The end date must be on or after the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("action:programme-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """Sanity limit (docs/action.md): a programme starts within a year from today."""
        check_fields(
            [("start_date", self.start_date and (lambda: validate_planned(self.start_date)))]
        )

    @property
    def owning_organisation_id(self) -> int:
        return self.lead_organisation_id

    def organisation_ids(self) -> set[int]:
        """The lead and partner organisations (who may record activities)."""
        return {self.lead_organisation_id, *(o.pk for o in self.partners.all())}

    def indicator_labels(self) -> list[tuple[str, str]]:
        names = indicator_names()
        return [(ident, names.get(ident, ident)) for ident in self.target_indicators]

    def group_labels(self) -> list[str]:
        return [group_label(key) for key in self.target_groups]
