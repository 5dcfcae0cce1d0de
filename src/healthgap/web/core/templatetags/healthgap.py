"""`{% load healthgap %}`: disclosure control and permission checks in templates.

{{ count|suppress:request.user }}               a count: "*" when 1–7 (unless analyst)
{% disclose rate numerator denominator %}       a derived value: "*" if a base count is 1–7
{% if request.user|can:"export_data" %}        permission check by Permission value
"""

from __future__ import annotations

from typing import Any

from django import template

from healthgap.web import disclosure
from healthgap.web.accounts.authorization import Permission, has_permission

register = template.Library()


@register.filter
def suppress(value: Any, user: Any) -> Any:
    return disclosure.suppress(value, user)


@register.simple_tag(takes_context=True)
def disclose(context: template.Context, value: Any, *counts: Any) -> Any:
    user = context["request"].user
    return disclosure.suppress(value, user, counts=counts or None)


@register.filter
def can(user: Any, permission: str) -> bool:
    return has_permission(user, Permission(permission))
