"""Taxonomies and taxonomy terms (written by the Open Referral UK import; the healthgap
taxonomy itself is seeded by `directory.seeding.seed`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from healthgap.web.directory.actions import _common
from healthgap.web.directory.models import Taxonomy, TaxonomyTerm


def create_taxonomy(*, by: Any, **fields: Any) -> Taxonomy:
    with transaction.atomic():
        return _common.create(by=by, instance=Taxonomy(**fields), fields=fields)


def update_taxonomy(*, by: Any, taxonomy: Taxonomy, **fields: Any) -> Taxonomy:
    with transaction.atomic():
        _common.update(by=by, instance=taxonomy, fields=fields)
    return taxonomy


def create_taxonomy_term(*, by: Any, **fields: Any) -> TaxonomyTerm:
    with transaction.atomic():
        return _common.create(by=by, instance=TaxonomyTerm(**fields), fields=fields)


def update_taxonomy_term(*, by: Any, term: TaxonomyTerm, **fields: Any) -> TaxonomyTerm:
    with transaction.atomic():
        _common.update(by=by, instance=term, fields=fields)
    return term
