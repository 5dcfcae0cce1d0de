"""A taxonomy (HSDS 3.0 `taxonomy`): the source of the terms services are tagged with."""

from __future__ import annotations

import uuid

from django.db import models


class Taxonomy(models.Model):
    uuid = models.UUIDField("ORUK id", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name
