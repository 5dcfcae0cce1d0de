"""Audit sign-ins and sign-outs (failed attempts are counted by django-axes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver

from healthgap.web.audit.models import Action
from healthgap.web.audit.record import record


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        record(by=user, action=Action.LOGIN, obj=user, summary=f"{user.username} signed in")


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            record(by=user, action=Action.LOGOUT, obj=user, summary=f"{user.username} signed out")
