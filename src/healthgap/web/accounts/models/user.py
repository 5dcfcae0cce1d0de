"""The account model: one role per person, and the organisation they act for (if any)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from healthgap.web.accounts.authorization import ROLE_CHOICES, Role, role_of


class User(AbstractUser):
    """A person who signs in. `role` picks their permissions (see `authorization.ROLES`)."""

    role = models.CharField(max_length=32, choices=ROLE_CHOICES, default="partner")
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The organisation this person works or volunteers for.",
    )

    class Meta:
        ordering = ["username"]

    @property
    def role_info(self) -> Role:
        """The `Role` object (display name, description, permissions)."""
        return role_of(self)
