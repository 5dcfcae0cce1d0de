"""Accounts step: one sign-in per role, with the fixed passwords of `accounts.yaml`.

These passwords are for the local demo only: anyone who reads the data file knows them. Every
load sets each account's role, organisation and password again. An account with a `champion`
field is that champion's own record (so the demo can show a champion withdrawing consent); such
accounts are created first, as the demo always has, so user ids stay the same (champion = 1).
"""

from __future__ import annotations

from healthgap.web.accounts.models import User
from healthgap.web.audit.record import SystemActor
from healthgap.web.demo import data as records
from healthgap.web.directory import actions
from healthgap.web.directory.models import CommunityChampion, Organisation


def _link(user: User, champion_name: str, by: SystemActor) -> None:
    """Make `user` the account of the champion called `champion_name`, unless either is taken."""
    champion = CommunityChampion.objects.filter(name=champion_name).first()
    if champion is None or champion.user_id is not None:
        return
    if not CommunityChampion.objects.filter(user=user).exists():
        actions.update_champion(by=by, champion=champion, user=user)


def load(data: records.DemoData, by: SystemActor) -> list[str]:
    """Create or update the demo accounts; return them (with passwords) to print."""
    users = {}
    for spec in sorted(data.accounts, key=lambda account: account.champion is None):
        user, _ = User.objects.get_or_create(username=spec.username)
        user.role = spec.role
        user.organisation = (
            Organisation.objects.get(name=spec.organisation) if spec.organisation else None
        )
        user.set_password(spec.password)
        user.save()
        if spec.champion:
            _link(user, spec.champion, by)
        users[spec.username] = user
    lines = ["Demo accounts (demo only - these passwords are public):"]
    for spec in data.accounts:
        where = f" at {spec.organisation}" if spec.organisation else ""
        lines.append(
            f"  {spec.role:<14} username {spec.username:<9} password {spec.password}{where}"
        )
    return lines
