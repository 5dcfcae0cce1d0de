"""`record(...)`: write one audit event. Call it inside the transaction of the change.

Every event names who did it: a signed-in `User`, or a `SystemActor` for a named system job
(a management command run without `--by`, the demo loader). There are no anonymous events:
`by=None` or an anonymous user raises `TypeError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from healthgap.web.audit.models import Action, AuditEvent

SYSTEM_PREFIX = "system:"


@dataclass(frozen=True)
class SystemActor:
    """A named system job that changes data without a signed-in user.

    E.g. `SystemActor("load_demo")`. Its events have no `actor`; their `actor_username` is
    ``"system:<name>"``.
    """

    name: str

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise ValueError("A system actor needs a name, e.g. SystemActor('load_demo').")

    @property
    def username(self) -> str:
        """The name stored in `AuditEvent.actor_username`: ``"system:<name>"``."""
        return f"{SYSTEM_PREFIX}{self.name}"


Actor = AbstractBaseUser | SystemActor
"""Who an audited change is by: a signed-in user or a named system job."""


def actor_user(by: Actor) -> AbstractBaseUser | None:
    """The user to store in a `created_by`/`loaded_by` foreign key: None for a system job."""
    check_actor(by)
    return None if isinstance(by, SystemActor) else by


def check_actor(by: object) -> None:
    """Raise `TypeError` unless `by` is a signed-in user or a `SystemActor`."""
    if isinstance(by, SystemActor):
        return
    if isinstance(by, AbstractBaseUser) and by.is_authenticated:
        return
    raise TypeError(
        f"An audited change needs a signed-in user or a SystemActor as `by`, not {by!r}."
    )


def record(
    *,
    by: Actor,
    action: Action,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write an audit event for `action` by `by` on `obj` (or on object_type/object_id).

    `by` is a signed-in user or a `SystemActor`; anything else raises `TypeError`.
    `changes` must be JSON-safe: build it with `healthgap.web.audit.changes`.
    """
    check_actor(by)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if isinstance(by, SystemActor):
        actor, username = None, by.username
    else:
        actor, username = by, by.get_username()
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        changes=changes or {},
    )
