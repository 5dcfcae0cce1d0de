"""Demo accounts, one per role, with fixed passwords published in docs/web.md.

These passwords are for the local demo only: anyone who reads the source knows them.
"""

from __future__ import annotations

from typing import Any

from healthgap.web.accounts.models import User
from healthgap.web.directory.demo import DEMO_CHAMPION_ORGANISATION, DEMO_PARTNER_ORGANISATION
from healthgap.web.directory.models import Organisation

#: (username, password, role, organisation name or None)
DEMO_ACCOUNTS = [
    ("admin", "demo-admin-pass", "administrator", None),
    ("analyst", "demo-analyst-pass", "analyst", None),
    ("partner", "demo-partner-pass", "partner", DEMO_PARTNER_ORGANISATION),
    ("champion", "demo-champion-pass", "champion", DEMO_CHAMPION_ORGANISATION),
]


def load(stdout: Any) -> None:
    stdout.write("Demo accounts (demo only - these passwords are public):")
    for username, password, role, organisation_name in DEMO_ACCOUNTS:
        organisation = (
            Organisation.objects.get(name=organisation_name) if organisation_name else None
        )
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.organisation = organisation
        user.set_password(password)
        user.save()
        where = f" at {organisation.name}" if organisation else ""
        stdout.write(f"  {role:<14} username {username:<9} password {password}{where}")
