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
    """Template context processor: `nav_items` [(label, url, current)] and `user_role`."""
    user = getattr(request, "user", None)
    path = request.path
    entries = []
    for item in items_for(user):
        url = reverse(item.url_name)
        entries.append((item.label, url, path.startswith(url)))
    return {"nav_items": entries, "user_role": role_of(user)}
