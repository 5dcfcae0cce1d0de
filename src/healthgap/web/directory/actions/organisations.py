"""Organisations: create, change, delete, with their communities and coverage areas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from healthgap.web.directory.actions import _common
from healthgap.web.directory.models import Community, CoverageArea, Organisation


def set_areas(owner_field: str, owner: Any, codes: Iterable[str]) -> list[list[str]] | None:
    """Make the coverage areas of `owner` (an organisation or a champion, named by
    `owner_field`) exactly `codes`; returns [old, new] sorted codes when they changed."""
    existing = CoverageArea.objects.filter(**{owner_field: owner})
    old = sorted(existing.values_list("code", flat=True))
    new = sorted(set(codes))
    if old == new:
        return None
    existing.exclude(code__in=new).delete()
    CoverageArea.objects.bulk_create(
        [CoverageArea(code=code, **{owner_field: owner}) for code in new if code not in old]
    )
    return [old, new]


def create_organisation(
    *,
    by: Any,
    communities: Iterable[Community] = (),
    coverage_areas: Iterable[str] = (),
    **fields: Any,
) -> Organisation:
    """Create an organisation from model `fields` (validated with `full_clean`), with the
    communities it serves and the area codes it covers."""

    def add_areas(organisation: Organisation) -> dict[str, Any]:
        areas = set_areas("organisation", organisation, coverage_areas)
        return {"coverage_areas": areas[1]} if areas else {}

    with transaction.atomic():
        return _common.create(
            by=by,
            instance=Organisation(**fields),
            fields=fields,
            m2m={"communities": communities},
            after_save=add_areas,
        )


def update_organisation(
    *,
    by: Any,
    organisation: Organisation,
    communities: Iterable[Community] | None = None,
    coverage_areas: Iterable[str] | None = None,
    **fields: Any,
) -> Organisation:
    """Change `fields` of `organisation` (and its communities or coverage areas when given);
    records field -> [old, new] for what changed, and nothing when nothing changed."""
    with transaction.atomic():
        areas = (
            set_areas("organisation", organisation, coverage_areas)
            if coverage_areas is not None
            else None
        )
        _common.update(
            by=by,
            instance=organisation,
            fields=fields,
            m2m={"communities": communities},
            extra_changes={"coverage_areas": areas} if areas else None,
        )
    return organisation


def delete_organisation(*, by: Any, organisation: Organisation) -> None:
    """Delete `organisation` with its services and locations (its members keep their
    accounts, and its champions become independent)."""
    with transaction.atomic():
        _common.delete(by=by, instance=organisation)
