"""Community Champions: add (with consent), change, and withdraw consent.

Personal details (`PERSONAL_FIELDS`, and the link to a user account) never reach the audit
log: events name the champion by their record's UUID and show "(personal data, not logged)"
for those fields, so withdrawing consent erases them everywhere healthgap keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthgap.web.audit.changes import save_valid
from healthgap.web.audit.models import Action
from healthgap.web.audit.record import actor_user, record
from healthgap.web.directory.actions import _common
from healthgap.web.directory.actions.organisations import set_areas
from healthgap.web.directory.models import Community, CommunityChampion, Organisation
from healthgap.web.directory.models.champion import CONSENT_VERSION, PERSONAL_FIELDS

_PERSONAL = (*PERSONAL_FIELDS, "user")


def _label(champion: CommunityChampion) -> str:
    return f"community champion {champion.uuid}"


def create_champion(
    *,
    by: Any,
    organisation: Organisation | None,
    consent_given_on: date,
    languages: Iterable[Community] = (),
    communities: Iterable[Community] = (),
    neighbourhoods: Iterable[str] = (),
    **fields: Any,
) -> CommunityChampion:
    """Add a champion who has agreed to the current consent statement on `consent_given_on`;
    `by` is recorded as the person who recorded that consent."""

    def add_neighbourhoods(champion: CommunityChampion) -> dict[str, Any]:
        areas = set_areas("champion", champion, neighbourhoods)
        return {"neighbourhoods": areas[1]} if areas else {}

    consent = {
        "consent_given_on": consent_given_on,
        "consent_version": CONSENT_VERSION,
        "consent_recorded_by": actor_user(by),
    }
    all_fields = {"organisation": organisation, **consent, **fields}
    with transaction.atomic():
        champion = CommunityChampion(**all_fields)
        return _common.create(
            by=by,
            instance=champion,
            fields=all_fields,
            m2m={"languages": languages, "communities": communities},
            personal=_PERSONAL,
            label=_label(champion),
            after_save=add_neighbourhoods,
        )


def update_champion(
    *,
    by: Any,
    champion: CommunityChampion,
    languages: Iterable[Community] | None = None,
    communities: Iterable[Community] | None = None,
    neighbourhoods: Iterable[str] | None = None,
    **fields: Any,
) -> CommunityChampion:
    """Change a champion's record; a withdrawn record can no longer be changed."""
    if champion.withdrawn:
        raise ValidationError("Consent was withdrawn: this record can no longer be changed.")
    with transaction.atomic():
        areas = (
            set_areas("champion", champion, neighbourhoods) if neighbourhoods is not None else None
        )
        _common.update(
            by=by,
            instance=champion,
            fields=fields,
            m2m={"languages": languages, "communities": communities},
            extra_changes={"neighbourhoods": areas} if areas else None,
            personal=_PERSONAL,
            label=_label(champion),
        )
    return champion


def withdraw_consent(*, by: Any, champion: CommunityChampion) -> CommunityChampion:
    """Erase the champion's personal details irreversibly and keep an anonymous record.

    When the champion withdraws their own consent, the record does not point back to their
    account (`withdrawal_recorded_by` stays empty) and the audit event does not name the record.
    """
    if champion.withdrawn:
        raise ValidationError("Consent was already withdrawn.")
    own = champion.user_id is not None and champion.user_id == getattr(by, "pk", None)
    with transaction.atomic():
        champion.withdrawn_at = timezone.now()
        champion.withdrawal_recorded_by = None if own else actor_user(by)
        for name in PERSONAL_FIELDS:
            setattr(champion, name, "")
        champion.user = None
        save_valid(champion)
        record(
            by=by,
            action=Action.CHANGE,
            object_type=champion._meta.label_lower,
            object_id="" if own else str(champion.pk),
            summary=(
                "A community champion withdrew their consent; personal details erased"
                if own
                else f"Recorded withdrawal of consent for {_label(champion)}; "
                "personal details erased"
            ),
            changes={"withdrawn_at": [None, champion.withdrawn_at.isoformat()]},
        )
    return champion
