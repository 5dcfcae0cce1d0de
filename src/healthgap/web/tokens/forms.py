"""Forms for creating tokens: your own, or (administrators) anyone's."""

from __future__ import annotations

from django import forms

from healthgap.web.accounts.models import User
from healthgap.web.core.forms import NHSFormMixin


class TokenForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, so you can recognise it later.",
    )


class TokenForUserForm(TokenForm):
    """An administrator's form: the token acts as the chosen user, with that user's role."""

    user = forms.ModelChoiceField(
        label="Account",
        queryset=User.objects.filter(is_active=True).order_by("username"),
        help_text="The token can do exactly what this account can do.",
    )

    field_order = ["user", "name"]
