"""A case study: what a programme did, what worked, the evidence and whom to contact."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from healthgap.web.action.validators import indicator_names, validate_indicator_ids


def validate_tags(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(t, str) and t for t in value):
        raise ValidationError("Tags must be a list of words or short phrases.", code="bad_tags")


class CaseStudy(models.Model):
    """Published case studies are public; drafts are seen only by those who may edit them
    (the owning organisation, or EDIT_ANY). `evidence_indicators` holds catalogue ids."""

    title = models.CharField(max_length=200)
    programme = models.ForeignKey(
        "action.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    summary = models.TextField()
    what_worked = models.TextField("What worked")
    evidence = models.TextField(blank=True)
    evidence_indicators = models.JSONField(
        default=list, blank=True, validators=[validate_indicator_ids]
    )
    contacts = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="case_studies"
    )
    tags = models.JSONField(default=list, blank=True, validators=[validate_tags])
    published = models.BooleanField(default=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="written_case_studies",
        help_text="The organisation that wrote the case study (it owns the record).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:case-study-detail", kwargs={"pk": self.pk})

    def indicator_labels(self) -> list[tuple[str, str]]:
        names = indicator_names()
        return [(ident, names.get(ident, ident)) for ident in self.evidence_indicators]
