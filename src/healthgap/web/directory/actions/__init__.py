"""Writes to the directory. Each takes the acting user as `by` and writes the audit event in
the same transaction as the change (see healthgap.web.audit and `_common`)."""

from healthgap.web.directory.actions.champions import (
    create_champion,
    update_champion,
    withdraw_consent,
)
from healthgap.web.directory.actions.organisations import (
    create_organisation,
    delete_organisation,
    update_organisation,
)
from healthgap.web.directory.actions.services import (
    create_location,
    create_service,
    create_service_at_location,
    delete_location,
    delete_service,
    delete_service_at_location,
    set_service_locations,
    update_location,
    update_service,
)
from healthgap.web.directory.actions.taxonomies import (
    create_taxonomy,
    create_taxonomy_term,
    update_taxonomy,
    update_taxonomy_term,
)

__all__ = [
    "create_champion",
    "create_location",
    "create_organisation",
    "create_service",
    "create_service_at_location",
    "create_taxonomy",
    "create_taxonomy_term",
    "delete_location",
    "delete_organisation",
    "delete_service",
    "delete_service_at_location",
    "set_service_locations",
    "update_champion",
    "update_location",
    "update_organisation",
    "update_service",
    "update_taxonomy",
    "update_taxonomy_term",
    "withdraw_consent",
]
