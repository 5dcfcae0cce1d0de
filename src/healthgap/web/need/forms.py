"""Forms of the need app: recording an introduction and changing its status."""

from __future__ import annotations

from typing import Any

from django import forms

from healthgap.web.directory.models import CommunityChampion, Organisation
from healthgap.web.need.brokering import Candidate
from healthgap.web.need.models import TRANSITIONS, Introduction, IntroductionStatus


class IntroductionForm(forms.Form):
    """Introduce one of the candidates for a priority, optionally for a health partner."""

    to = forms.ChoiceField(
        label="Who to introduce",
        error_messages={"required": "Choose the organisation or champion to introduce."},
    )
    from_organisation = forms.ModelChoiceField(
        label="On behalf of",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="The health partner who wants to reach this group.",
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "Choose…")] + [
            (c.key, f"{c.name} ({c.kind}, score {c.score})") for c in candidates
        ]
        self.fields["from_organisation"].queryset = Organisation.objects.filter(active=True)

    def target(self) -> dict[str, Any]:
        """`to_organisation=` or `to_champion=` for `propose_introduction` (after is_valid)."""
        kind, pk = self.cleaned_data["to"].split(":")
        if kind == "organisation":
            return {"to_organisation": Organisation.objects.get(pk=pk)}
        return {"to_champion": CommunityChampion.objects.get(pk=pk)}


class IntroductionChangeForm(forms.Form):
    """Move an introduction on (allowed statuses only) and/or replace its notes."""

    status = forms.ChoiceField(label="Status")
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args: Any, introduction: Introduction, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"status": introduction.status, "notes": introduction.notes})
        super().__init__(*args, **kwargs)
        allowed = (introduction.status, *TRANSITIONS[introduction.status])
        self.fields["status"].choices = [(s, IntroductionStatus(s).label) for s in allowed]
        self.fields["status"].error_messages["invalid_choice"] = (
            f"An introduction that is {introduction.get_status_display().lower()} can become: "
            + (", ".join(IntroductionStatus(s).label.lower() for s in allowed[1:]) or "nothing")
            + "."
        )
