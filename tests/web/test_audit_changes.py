"""`audit.changes`: the one serialiser of the `changes` an audit event records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from healthgap.web.action.models import Programme
from healthgap.web.audit.changes import apply_fields, created, field_changes, json_value
from healthgap.web.directory.models import Organisation
from tests.web.factories import build_organisation, make_organisation


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (3, 3),
        (2.5, 2.5),
        ("text", "text"),
        (["E01000001", "E01000002"], ["E01000001", "E01000002"]),
        ({"ethnicity:Indian": 4}, {"ethnicity:Indian": 4}),
        (("a", 1), ["a", 1]),
        (date(2026, 3, 1), "2026-03-01"),
        (datetime(2026, 3, 1, 9, 30, tzinfo=UTC), "2026-03-01 09:30:00+00:00"),
        (Decimal("52.5861"), "52.5861"),
        (
            UUID("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"),
            "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
        ),
    ],
)
def test_json_value(value, expected):
    assert json_value(value) == expected


def test_a_model_is_recorded_by_its_primary_key():
    assert json_value(Organisation(pk=7)) == 7
    assert created({"lead_organisation": Organisation(pk=7), "name": "Walk"}) == {
        "lead_organisation": 7,
        "name": "Walk",
    }


def test_only_changed_fields_are_recorded_as_old_and_new():
    organisation = build_organisation(name="Old", website="", lsoa21="E01000001")
    changes = field_changes(organisation, {"name": "New", "website": "", "lsoa21": "E01000001"})
    assert changes == {"name": ["Old", "New"]}
    assert organisation.name == "Old"  # field_changes only compares


@pytest.mark.django_db
def test_apply_fields_sets_the_values_and_compares_foreign_keys_by_id():
    old, new = make_organisation(), make_organisation()
    programme = Programme(name="Walk", lead_organisation=old)
    changes = apply_fields(programme, {"lead_organisation": new, "name": "Walk"})
    assert changes == {"lead_organisation_id": [old.pk, new.pk]}
    assert programme.lead_organisation == new
