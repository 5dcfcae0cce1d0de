"""The audit log's filters: who (username), what (action, object type) and when (dates)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.core.forms import DateInput, NHSFormMixin


def _type_label(object_type: str) -> str:
    """ "Organisation (directory.organisation)" for a model label, else the label itself."""
    try:
        model = apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        model = None
    name = str(model._meta.verbose_name).capitalize() if model is not None else ""
    return f"{name} ({object_type})" if name else object_type


class AuditFilterForm(NHSFormMixin, forms.Form):
    """GET filters of the audit log and its CSV export; all optional, combined with AND."""

    user = forms.CharField(label="Username", required=False, max_length=150)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )
    object_type = forms.ChoiceField(label="Type of record", required=False)
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To (inclusive)", required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = AuditEvent.objects.exclude(object_type="").values_list("object_type", flat=True)
        self.fields["object_type"].choices = [
            ("", "Any type"),
            *((t, _type_label(t)) for t in sorted(set(types))),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """`events` narrowed by the valid filters (an invalid form filters nothing)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["user"].strip():
            events = events.filter(actor_username__iexact=data["user"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            start = datetime.combine(data["date_from"], time.min, tzinfo=zone)
            events = events.filter(created_at__gte=start)
        if data["date_to"]:
            end = datetime.combine(data["date_to"], time.max, tzinfo=zone)
            events = events.filter(created_at__lte=end)
        return events

    def applied(self) -> dict[str, str]:
        """The filters in use, as text (for the export's audit event)."""
        if not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}
