"""The demo's data files: what they hold, and errors that name file, row and field."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import HealthgapError
from healthgap.web.demo.data import DATA_DIR, load_data
from healthgap.web.demo.records import DemoDataError, read_rows


def test_the_data_files_hold_the_known_demo():
    data = load_data()
    counts = {
        "organisations": 14,
        "locations": 13,
        "services": 16,
        "champions": 6,
        "accounts": 4,
        "programmes": 4 + 2,  # + the two evaluation demos (issue 10)
        "activities": 20,
        "insights": 30,
        "case_studies": 3,
    }
    assert {name: len(getattr(data, name)) for name in counts} == counts
    assert data.area.icb == "E54000062"  # NHS Black Country ICB
    assert [(a.username, a.role) for a in data.accounts] == [
        ("admin", "administrator"),
        ("analyst", "analyst"),
        ("partner", "partner"),
        ("champion", "champion"),
    ]
    fifth = data.activities[4]
    assert (fifth.number, fifth.programme, fifth.kind) == (
        5,
        "Vaccine ambassadors in Sandwell",
        "event",
    )
    assert fifth.reach == {
        "ethnicity:African": 27,
        "ethnicity:Caribbean": 19,
        "ethnicity:English, Welsh, Scottish, Northern Irish or British": 42,
        "ethnicity:Pakistani": 3,
    }
    assert sum(fifth.reach.values()) == 27 + 19 + 42 + 3 == 91


def _edit(tmp_path, name, old, new):
    """A copy of the data folder in which `old` is replaced by `new` in file `name`."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


# (file, text to replace, replacement, row, field, words of the reason)
BAD = [
    ("activities.yaml", "ethnicity:Pakistani: 3\n", "ethnicity:Pakistani: three\n", 5, "reach",
     "'three' is not a whole number"),
    ("activities.yaml", "number: 2\n", "number: 3\n", 2, "number", "expected 2"),
    ("organisations.yaml", "kind: faith\n", "kind: mosque\n", 2, "kind",
     "'mosque' is not an organisation kind"),
    ("organisations.yaml", "ods_code: RBK\n", "ods: RBK\n", 3, "ods", "no such field"),
    ("services.yaml", "  description: Drop-in blood pressure checks with a pharmacist every "
     "Saturday.\n", "", 1, "description", "this field is required"),
    ("services.yaml", "locations: [Manor Hospital]", "locations: [Manor Hopsital]", 5,
     "locations", "'Manor Hopsital' is not a location in locations.yaml"),
    ("insights.yaml", "- ethnicity:Roma\n", "- ethnicity:Romany\n", 4, "groups",
     "'ethnicity:Romany' is not a known group"),
    ("accounts.yaml", "role: analyst", "role: analysts", 2, "role", "'analysts' is not one of"),
    ("champions.yaml", "consent_given_on: 2026-01-12", "consent_given_on: soon", 1,
     "consent_given_on", "'soon' is not a date (YYYY-MM-DD)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "row", "field", "reason"), BAD)
def test_a_bad_data_file_names_file_row_and_field(tmp_path, name, old, new, row, field, reason):
    folder = _edit(tmp_path, name, old, new)
    with pytest.raises(HealthgapError) as caught:
        load_data(folder)
    message = str(caught.value)
    assert f"{folder / name}, row {row} (line " in message
    assert f"field {field!r}: " in message
    assert reason in message


def test_a_file_that_is_not_yaml_is_named(tmp_path):
    folder = _edit(tmp_path, "programmes.yaml", "- name: Vaccine", "- name: [Vaccine")
    with pytest.raises(DemoDataError, match=r"programmes\.yaml is not valid YAML"):
        load_data(folder)


def test_the_line_of_a_bad_row_is_its_first_line(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text("# two people\n- name: Ada\n  age: 36\n\n- name: Bo\n  age: old\n")
    with pytest.raises(DemoDataError, match=r"people\.yaml, row 2 \(line 5\), field 'age'"):
        read_rows(path, Person)


@dataclass(frozen=True)
class Person:
    name: str
    age: int
    tags: tuple[str, ...] = ()
    note: str | None = None


# Text without control characters: YAML itself treats some (e.g. U+0085) as line breaks.
text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
people = st.builds(
    Person,
    name=text,
    age=st.integers(min_value=-(2**40), max_value=2**40),
    tags=st.lists(text, max_size=4).map(tuple),
    note=st.none() | text,
)


@given(st.lists(people, max_size=5))
def test_records_written_as_yaml_read_back_unchanged(tmp_path_factory, rows):
    path = tmp_path_factory.getbasetemp() / "people.yaml"
    as_yaml = [{**vars(r), "tags": list(r.tags)} for r in rows]
    path.write_text(yaml.safe_dump(as_yaml, allow_unicode=True), encoding="utf-8")
    assert read_rows(path, Person) == tuple(rows)
