"""Write the directory's fixed vocabularies (`directory.vocabularies`) into the database.

`seed()` creates or updates the `Community` rows and the healthgap taxonomy with its terms. It is
connected to `post_migrate` in `DirectoryConfig.ready`, so it runs after every `migrate` and
`flush` (test databases too); it is idempotent and keeps edited labels in sync. The values live
in `vocabularies` (no models there), so models may import them without an import cycle.
"""

from __future__ import annotations

from healthgap.web.directory.models import Community, Taxonomy, TaxonomyTerm
from healthgap.web.directory.vocabularies import (
    TAXONOMY_DESCRIPTION,
    TAXONOMY_NAME,
    TAXONOMY_VERSION,
    TERMS,
    communities,
    taxonomy_uuid,
    term_uuid,
)


def seed(**_: object) -> None:
    """Create or update the Community rows and the healthgap taxonomy (idempotent).

    Takes (and ignores) `post_migrate`'s keyword arguments.
    """
    for position, entry in enumerate(communities()):
        Community.objects.update_or_create(
            kind=entry.kind,
            code=entry.code,
            defaults={"label": entry.label, "group": entry.group, "position": position},
        )
    taxonomy, _ = Taxonomy.objects.update_or_create(
        uuid=taxonomy_uuid(),
        defaults={
            "name": TAXONOMY_NAME,
            "description": TAXONOMY_DESCRIPTION,
            "version": TAXONOMY_VERSION,
        },
    )
    by_code: dict[str, TaxonomyTerm] = {}
    for term in TERMS:
        by_code[term.code], _ = TaxonomyTerm.objects.update_or_create(
            uuid=term_uuid(term.code),
            defaults={
                "taxonomy": taxonomy,
                "code": term.code,
                "name": term.name,
                "description": term.description,
                "parent": by_code[term.parent] if term.parent else None,
            },
        )
