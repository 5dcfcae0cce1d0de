"""Demo organisations (called by `load_demo`)."""

from __future__ import annotations

from typing import Any

from healthgap.web.directory.actions import create_organisation
from healthgap.web.directory.models import Organisation, OrganisationKind

#: The organisation the demo partner works for (accounts.demo looks it up by this name).
DEMO_PARTNER_ORGANISATION = "Northfield Community Voices"
DEMO_CHAMPION_ORGANISATION = "Al-Noor Mosque Health Circle"

ORGANISATIONS = [
    {
        "name": DEMO_PARTNER_ORGANISATION,
        "kind": OrganisationKind.VOLUNTARY,
        "description": "A residents' group running health events and language support.",
    },
    {
        "name": DEMO_CHAMPION_ORGANISATION,
        "kind": OrganisationKind.FAITH,
        "description": "Volunteers who bring health checks and advice to the congregation.",
    },
    {
        "name": "Riverside Primary Care Network",
        "kind": OrganisationKind.PRIMARY_CARE,
        "description": "Seven GP practices working together.",
    },
    {
        "name": "City Council Public Health",
        "kind": OrganisationKind.COUNCIL,
        "description": "The council's public health team.",
    },
]


def load(stdout: Any) -> None:
    created = 0
    for fields in ORGANISATIONS:
        if not Organisation.objects.filter(name=fields["name"]).exists():
            create_organisation(by=None, **fields)
            created += 1
    stdout.write(f"Demo organisations: {created} created, {len(ORGANISATIONS) - created} existed.")
