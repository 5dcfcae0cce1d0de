"""A community an organisation, service or champion reaches: an ethnic group (Census 2021), a
language (ISO 639) or a PLUS group. Rows are seeded from `directory.vocabularies`."""

from __future__ import annotations

from django.db import models

from healthgap.web.directory.vocabularies import ETHNIC_GROUP, LANGUAGE, PLUS_GROUP


class CommunityKind(models.TextChoices):
    ETHNIC_GROUP = ETHNIC_GROUP, "Ethnic group (Census 2021)"
    LANGUAGE = LANGUAGE, "Language"
    PLUS_GROUP = PLUS_GROUP, "PLUS group"


class Community(models.Model):
    """One vocabulary entry. `code` is a slug of the label, or the ISO 639 code of a language;
    `group` is the heading it is listed under (e.g. the high-level ethnic group)."""

    kind = models.CharField(max_length=16, choices=CommunityKind.choices)
    code = models.CharField(max_length=80)
    label = models.CharField(max_length=120)
    group = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position"]
        verbose_name_plural = "communities"
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="community_kind_code_unique")
        ]

    def __str__(self) -> str:
        return self.label
