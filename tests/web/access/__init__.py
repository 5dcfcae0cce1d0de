"""Expected access for every URL in the URLconf, contributed per app (one module each).

Each module in this package defines `EXPECTED: dict[str, Expect | list[Expect]]`, keyed by
the URL's full name ("namespace:name"). `tests/web/test_permission_walk.py` requests every URL
as every role and compares the status codes, and fails for a URL with no entry (or an entry
for a URL that no longer exists). To add a view: add its entry to your app's module here.

    from tests.web.access import Expect, everyone, only

    EXPECTED = {
        "directory:organisation-list": everyone(200),
        "audit:log": only("administrator"),                       # others 403, public -> login
        "directory:organisation-edit": [
            only("administrator", "partner", kwargs=lambda u: {"pk": u["partner"].organisation_id}),
            only("administrator", kwargs=lambda users: {"pk": make_organisation().pk}),
        ],
    }

`kwargs(users)` builds the path parameters from example objects; `users` maps each role key to
its user (partner and champion each belong to an organisation). `data` is the request body: a
mapping, or a function of `users` returning one; `json=True` sends it as JSON (API writes).
`fresh=True` builds the path parameters again for every role, for requests that change the
object (withdraw, revoke), so each role meets it unchanged.

Every API URL is also walked with an API token of each signed-in role, which must get the
same status as that role's session (`test_permission_walk.py`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ROLE_KEYS = ("public", "administrator", "analyst", "partner", "champion", "equality_lead")
KwargsFactory = Callable[[Mapping[str, Any]], dict[str, Any]]
DataFactory = Callable[[Mapping[str, Any]], Mapping[str, Any]]


def no_kwargs(users: Mapping[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Expect:
    """The status code each role gets for one request to a URL."""

    statuses: Mapping[str, int]
    kwargs: KwargsFactory = no_kwargs
    method: str = "get"
    data: Mapping[str, Any] | DataFactory = field(default_factory=dict)
    json: bool = False
    fresh: bool = False

    def __post_init__(self) -> None:
        missing = set(ROLE_KEYS) - set(self.statuses)
        if missing:
            raise ValueError(f"Expect needs a status for every role; missing {sorted(missing)}.")

    def body(self, users: Mapping[str, Any]) -> dict[str, Any]:
        """The request body for this case."""
        return dict(self.data(users) if callable(self.data) else self.data)


def everyone(status: int = 200, **options: Any) -> Expect:
    """Every role, signed in or not, gets `status`."""
    return Expect({role: status for role in ROLE_KEYS}, **options)


def only(
    *roles: str,
    ok: int = 200,
    denied: int = 403,
    anonymous: int = 302,
    **options: Any,
) -> Expect:
    """`roles` get `ok`; other signed-in roles `denied`; the public `anonymous` (a login
    redirect for pages; pass anonymous=401 for the API)."""
    statuses = {role: ok if role in roles else denied for role in ROLE_KEYS}
    statuses["public"] = ok if "public" in roles else anonymous
    return Expect(statuses, **options)


def collect() -> dict[str, list[Expect]]:
    """Every module's EXPECTED, merged; a URL name claimed by two modules is an error."""
    merged: dict[str, list[Expect]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, expect in module.EXPECTED.items():
            if name in merged:
                raise ValueError(f"{name} has expectations in two modules (one is {info.name}).")
            merged[name] = expect if isinstance(expect, list) else [expect]
    return merged
