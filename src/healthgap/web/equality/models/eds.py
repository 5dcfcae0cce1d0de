"""An EDS 2022 assessment: services graded on domain 1, the organisation on 2A-3C, actions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from healthgap.equality.eds import GRADES, ORGANISATION_OUTCOMES, OUTCOMES

GRADE_CHOICES = [(g, f"{g} {name}") for g, name in GRADES.items()]


class EDSReturn(models.Model):
    """One year's EDS 2022 of an organisation. `published` makes its summary public."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="eds_returns"
    )
    year = models.CharField(max_length=9, help_text="The EDS year, e.g. 2025/26.")
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="one_eds_return_per_organisation_year",
                violation_error_message="This organisation already has an EDS for that year.",
            )
        ]

    def __str__(self) -> str:
        return f"EDS {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("equality:eds-detail", kwargs={"pk": self.pk})


class EDSService(models.Model):
    """One service assessed under domain 1, with a grade (0-3) for each of 1A-1D."""

    eds = models.ForeignKey(EDSReturn, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(max_length=200)
    grade_1a = models.PositiveSmallIntegerField("1A", choices=GRADE_CHOICES)
    grade_1b = models.PositiveSmallIntegerField("1B", choices=GRADE_CHOICES)
    grade_1c = models.PositiveSmallIntegerField("1C", choices=GRADE_CHOICES)
    grade_1d = models.PositiveSmallIntegerField("1D", choices=GRADE_CHOICES)
    evidence = models.TextField()
    stakeholders = models.TextField()

    class Meta:
        ordering = ["service", "id"]

    @property
    def owning_organisation_id(self) -> int:
        return self.eds.organisation_id

    def grades(self) -> dict[str, int]:
        return {"1A": self.grade_1a, "1B": self.grade_1b, "1C": self.grade_1c, "1D": self.grade_1d}


class EDSOutcome(models.Model):
    """The stakeholder-agreed grade of one outcome graded for the organisation (2A-3C)."""

    eds = models.ForeignKey(EDSReturn, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(max_length=2, choices=[(c, c) for c in ORGANISATION_OUTCOMES])
    grade = models.PositiveSmallIntegerField(
        choices=GRADE_CHOICES, validators=[MaxValueValidator(3)]
    )
    evidence = models.TextField()
    stakeholders = models.TextField()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["eds", "code"],
                name="one_grade_per_eds_outcome",
                violation_error_message="This outcome is already graded; change its grade.",
            )
        ]

    @property
    def title(self) -> str:
        return OUTCOMES[self.code]


class EDSAction(models.Model):
    """One line of the EDS action plan, against an outcome."""

    eds = models.ForeignKey(EDSReturn, on_delete=models.CASCADE, related_name="actions")
    outcome = models.CharField(max_length=2, choices=[(c, c) for c in OUTCOMES])
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due = models.DateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["outcome", "due", "id"]
