"""The role-aware header menu. Apps add their entries in `AppConfig.ready()`:

    from healthgap.web.navigation import NavItem, register
    register(NavItem("Atlas", "atlas:map"))                                # everyone
    register(NavItem("Audit log", "audit:log", permission=Permission.VIEW_AUDIT_LOG))

An item shows when the visitor holds its permission (None: everyone, signed in or not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from healthgap.web.accounts.authorization import Permission, has_permission, role_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: Permission | None = None
    order: int = 100


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Add (or replace, by URL name) a menu entry."""
    _ITEMS[item.url_name] = item


def items_for(user: Any) -> list[NavItem]:
    """The entries `user` may see, by `order` then registration order."""
    visible = [
        i for i in _ITEMS.values() if i.permission is None or has_permission(user, i.permission)
    ]
    return sorted(visible, key=lambda i: i.order)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: `nav_items` [(label, url, current)] and `user_role`.

    At most one item is current: the one whose URL is the longest prefix of the path ("/need/"
    and "/need/priorities/" both prefix "/need/priorities/"; only the second is current), and
    "/" only on the home page itself."""
    user = getattr(request, "user", None)
    path = request.path
    items = [(item.label, reverse(item.url_name)) for item in items_for(user)]
    matches = [url for _, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    entries = [(label, url, url == current) for label, url in items]
    return {"nav_items": entries, "user_role": role_of(user)}
