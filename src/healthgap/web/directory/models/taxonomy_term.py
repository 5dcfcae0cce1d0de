"""A taxonomy term (HSDS 3.0 `taxonomy_term`), possibly a child of another term."""

from __future__ import annotations

import uuid

from django.db import models


class TaxonomyTerm(models.Model):
    """`taxonomy` links to a known Taxonomy; `taxonomy_label` keeps the free-text `taxonomy`
    field of an imported term that names its taxonomy without an id."""

    uuid = models.UUIDField("ORUK id", default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(
        "directory.Taxonomy", null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    taxonomy_label = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    code = models.CharField(max_length=100, blank=True)
    term_uri = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
