"""Importing people and events: checks, pseudonymisation, all-or-nothing output."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from healthgap.errors import ArgumentError
from healthgap.population import dataset
from healthgap.population.importer import import_population
from healthgap.population.problems import PopulationImportError
from healthgap.population.schema import EVENTS, PEOPLE, SCHEMA_VERSION
from tests.population._helpers import TODAY, pseudonym, write_csv

# Valid NHS numbers, check digits derived in tests/disclosure/test_nhs_number.py:
# 9434765919 (sum 299 -> 9), 4010232137 (sum 92 -> 7), 0100000002 (sum 9 -> 2).
RAW_NUMBERS = ["9434765919", "4010232137", "0100000002"]

PEOPLE_HEADER = (
    "nhs_number,sex,age,birth_month,ethnicity,lsoa21,gp_practice,"
    "registration_start,registration_end"
)
GOOD_PEOPLE = [
    PEOPLE_HEADER,
    "943 476 5919,M,42,,A,E01000001,M85001,2010-01-01,",
    "4010232137,2,,1990-05-17,r1,e01000002,m85002,2011-01-01,2020-03-04",
    "010-000-0002,9,7,,,,,,",
]
GOOD_EVENTS = [
    "nhs_number,event_type,code,date,value",
    "9434765919,diagnosis,E11.9,2020-01-01,",
    "4010232137,blood pressure,163020007,2021-05-05,120.5",
    "4010232137,blood pressure,163020007,2022-05-05,118",
]


def run(tmp_path, key, people, events=None, **kwargs):
    return import_population(
        people, tmp_path / "out", events=events, key=key, today=TODAY, **kwargs
    )


def rejected(tmp_path, key, people, events=None) -> list[tuple]:
    """The problems of a rejected import, as tuples; checks that nothing was written."""
    before = set(tmp_path.iterdir())
    with pytest.raises(PopulationImportError, match="nothing was written") as caught:
        run(tmp_path, key, people, events)
    assert set(tmp_path.iterdir()) == before  # no output, no staging folder left
    frame = caught.value.to_frame()
    frame = frame.astype(object).where(frame.notna(), None)
    return [tuple(row) for row in frame.itertuples(index=False)]


def test_good_csv_is_imported_with_pseudonyms(tmp_path, key):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)
    events = write_csv(tmp_path / "events.csv", GOOD_EVENTS)
    result = run(tmp_path, key, people, events)
    assert result.rows == {"people": 3, "events": 3}
    out = pq.read_table(tmp_path / "out" / "people.parquet")
    assert out.schema == PEOPLE.output_schema
    assert out.to_pydict() == {
        "person_id": [pseudonym(n) for n in RAW_NUMBERS],
        "sex": ["1", "2", "9"],
        "age": [42, None, 7],
        "birth_month": [None, "1990-05", None],
        "ethnicity": ["A", "R1", "99"],
        "lsoa21": ["E01000001", "E01000002", None],
        "gp_practice": ["M85001", "M85002", None],
        "registration_start": [date(2010, 1, 1), date(2011, 1, 1), None],
        "registration_end": [None, date(2020, 3, 4), None],
    }
    out_events = pq.read_table(tmp_path / "out" / "events.parquet")
    assert out_events.schema == EVENTS.output_schema
    assert out_events.column("person_id").to_pylist() == [
        pseudonym("9434765919"),
        pseudonym("4010232137"),
        pseudonym("4010232137"),
    ]
    assert out_events.column("value").to_pylist() == [None, 120.5, 118.0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "events.parquet",
        "manifest.json",
        "people.parquet",
    ]


def test_manifest(tmp_path, key):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)
    run(tmp_path, key, people)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["pseudonym_key_id"] == key.key_id
    assert datetime.fromisoformat(manifest["created"]).tzinfo is not None
    assert manifest["tables"] == {
        "people": {
            "file": "people.parquet",
            "rows": 3,
            "source": {
                "name": "people.csv",
                "sha256": hashlib.sha256(people.read_bytes()).hexdigest(),
            },
        }
    }


def test_raw_numbers_are_in_no_output_file(tmp_path, key):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)
    events = write_csv(tmp_path / "events.csv", GOOD_EVENTS)
    run(tmp_path, key, people, events)
    written = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    cells = "".join(
        str(v)
        for name in ("people", "events")
        for column in pq.read_table(tmp_path / "out" / f"{name}.parquet").to_pydict().values()
        for v in column
    )
    for number in [*RAW_NUMBERS, "943 476 5919", "010-000-0002"]:
        assert number.encode() not in written  # also Parquet statistics, which are plain
        assert number not in cells
    assert key.secret not in written


def test_good_parquet_with_typed_columns(tmp_path, key):
    table = pa.table(
        {
            "NHS_Number": pa.array([9434765919, 100000002], pa.int64()),  # zero-padded back
            "sex": pa.array(["M", "F"]).dictionary_encode(),
            "age": pa.array([40, None], pa.int64()),
            "birth_month": pa.array([None, "1990-05"]),
            "registration_start": pa.array(
                [datetime(2010, 1, 1), datetime(2011, 2, 3)], pa.timestamp("us")
            ),
            "registration_end": pa.array([None, date(2020, 1, 1)], pa.date32()),
        }
    )
    pq.write_table(table, tmp_path / "people.parquet")
    result = run(tmp_path, key, tmp_path / "people.parquet")
    assert result.rows == {"people": 2}
    out = pq.read_table(tmp_path / "out" / "people.parquet").to_pydict()
    assert out["person_id"] == [pseudonym("9434765919"), pseudonym("0100000002")]
    assert out["sex"] == ["1", "2"]
    assert out["age"] == [40, None]
    assert out["registration_start"] == [date(2010, 1, 1), date(2011, 2, 3)]
    assert out["registration_end"] == [None, date(2020, 1, 1)]
    assert out["ethnicity"] == ["99", "99"]


def test_parquet_timestamp_with_a_time_is_not_a_date(tmp_path, key):
    table = pa.table(
        {
            "person_id": ["p1"],
            "sex": ["1"],
            "age": ["3"],
            "registration_start": pa.array([datetime(2010, 1, 1, 12, 30)], pa.timestamp("s")),
        }
    )
    pq.write_table(table, tmp_path / "people.parquet")
    problems = rejected(tmp_path, key, tmp_path / "people.parquet")
    assert problems == [
        (
            "people",
            1,
            "registration_start",
            "2010-01-01 12:30:00",
            "must be a date YYYY-MM-DD from 1880-01-01 to the import day (2025-06-30)",
        )
    ]


NHS_RULE = "must be a valid NHS number (10 digits with a correct Modulus 11 check digit)"


def test_bad_people_file_reports_every_problem_and_writes_nothing(tmp_path, key):
    people = write_csv(
        tmp_path / "people.csv",
        [
            PEOPLE_HEADER + ",postcode",
            "9434765919,1,40,,A,E01000001,M85001,2010-01-01,,",
            "9434765918,X,,,Q,E0100001,M8500,2010-02-30,,SW1A 1AA",
            "943 476 5919,2,30,,,,,,,",
            "4010232137,,200,1990-05,,,,2012-01-01,2011-01-01,",
        ],
    )
    assert rejected(tmp_path, key, people) == [
        ("people", None, "postcode", None, "is not a column of the people table"),
        ("people", 2, "nhs_number", "943*****18", NHS_RULE),
        ("people", 2, "sex", "X", "must be an NHS sex code: 1, 2, 9 or 0 (or M, F)"),
        ("people", 2, "age", None, "age or birth_month must be given"),
        (
            "people",
            2,
            "ethnicity",
            "Q",
            "must be an NHS ethnic category code (A–H, J–N, P, R, S or Z, optionally "
            "followed by one local character, or 99)",
        ),
        ("people", 2, "lsoa21", "E0100001", "must be an English LSOA 2021 code: E01 then 6 digits"),
        (
            "people",
            2,
            "gp_practice",
            "M8500",
            "must be a GP practice ODS code: a letter then 5 digits (M85001)",
        ),
        (
            "people",
            2,
            "registration_start",
            "2010-02-30",
            "must be a date YYYY-MM-DD from 1880-01-01 to the import day (2025-06-30)",
        ),
        ("people", 3, "nhs_number", "943*****19", "must be unique: the same person is in row 1"),
        ("people", 4, "sex", None, "is required"),
        ("people", 4, "age", "200", "must be a whole number of years from 0 to 125"),
        (
            "people",
            4,
            "registration_end",
            "2011-01-01",
            "must not be before registration_start",
        ),
    ]


def test_bad_events_file_reports_every_problem(tmp_path, key):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)
    events = write_csv(
        tmp_path / "events.csv",
        [
            "nhs_number,event_type,code,date,value",
            "9434765919,diagnosis,E11.9,2020-01-01,",
            "6000000006,bp,,2020-01-01,abc",  # 6·10 = 60 = 5·11 + 5; 11 − 5 = 6: valid
            "9434765919,,E 11,2030-01-01,",
        ],
    )
    assert rejected(tmp_path, key, people, events) == [
        ("events", 2, "nhs_number", "600*****06", "is not in the people file"),
        ("events", 2, "value", "abc", "must be a finite number"),
        ("events", 3, "event_type", None, "is required"),
        ("events", 3, "code", "E 11", "must be 1–64 characters, no spaces"),
        (
            "events",
            3,
            "date",
            "2030-01-01",
            "must be a date YYYY-MM-DD from 1880-01-01 to the import day (2025-06-30)",
        ),
    ]


def test_problem_report_never_holds_a_raw_number(tmp_path, key):
    people = write_csv(
        tmp_path / "people.csv",
        ["person_id,sex,age", "943 476 5919,1,40", "p2,9434765919,41", "p3,1,4010232137"],
    )
    with pytest.raises(PopulationImportError) as caught:
        run(tmp_path, key, people)
    text = str(caught.value) + caught.value.to_frame().to_csv()
    assert "943*****19" in text
    for number in ("9434765919", "943 476 5919", "4010232137"):
        assert number not in text


def test_malformed_csv_rows_are_numbered_and_later_rows_keep_their_numbers(tmp_path, key):
    people = write_csv(
        tmp_path / "people.csv",
        [
            "nhs_number,sex,age",
            "9434765919,1,40",
            "4010232137,2,30,extra",
            "2000000010,1,20",
            "0100000002,X,20",
        ],
    )
    assert rejected(tmp_path, key, people) == [
        ("people", 2, None, None, "the row has 4 fields but the header has 3"),
        ("people", 4, "sex", "X", "must be an NHS sex code: 1, 2, 9 or 0 (or M, F)"),
    ]


ONE_ID = "the file needs exactly one of the columns nhs_number and person_id"
AGE_OR_BIRTH = "the file needs at least one of the columns age, birth_month"


def test_column_problems(tmp_path, key):
    people = write_csv(tmp_path / "people.csv", ["NHS Number,Sex", "9434765919,1"])
    hint = "is not a column of the people table; did you mean nhs_number?"
    assert rejected(tmp_path, key, people) == [
        ("people", None, "nhs number", None, hint),
        ("people", None, None, None, ONE_ID),
        ("people", None, None, None, AGE_OR_BIRTH),
    ]


def test_both_identifier_columns_and_a_duplicated_column(tmp_path, key):
    people = write_csv(
        tmp_path / "people.csv", ["person_id,nhs_number,sex,age", "p1,9434765919,1,2"]
    )
    assert rejected(tmp_path, key, people) == [("people", None, None, None, ONE_ID)]
    twice = write_csv(tmp_path / "twice.csv", ["person_id,sex,sex,age", "p1,1,1,3"])
    assert rejected(tmp_path, key, twice) == [
        ("people", None, "sex", None, "the column appears more than once"),
    ]


def test_empty_files(tmp_path, key):
    assert rejected(tmp_path, key, write_csv(tmp_path / "a.csv", ["person_id,sex,age"])) == [
        ("people", None, None, None, "the file has no rows"),
    ]
    (tmp_path / "b.csv").write_bytes(b"")
    assert rejected(tmp_path, key, tmp_path / "b.csv") == [
        ("people", None, None, None, "the file is empty: it needs a header row"),
    ]


def test_file_that_is_not_utf8(tmp_path, key):
    (tmp_path / "people.csv").write_bytes("person_id,s\u00e9x,age\n".encode("latin-1"))
    assert rejected(tmp_path, key, tmp_path / "people.csv") == [
        ("people", None, None, None, "the file cannot be read as CSV: it is not UTF-8 text"),
    ]


def test_given_person_ids_need_no_key(tmp_path):
    people = write_csv(tmp_path / "people.csv", ["person_id,sex,age", "p1,1,40", "p2,2,41"])
    result = import_population(people, tmp_path / "out", today=TODAY)
    assert result.key is None
    assert not (tmp_path / "var").exists()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["pseudonym_key_id"] is None
    out = pq.read_table(tmp_path / "out" / "people.parquet").column("person_id").to_pylist()
    assert out == ["p1", "p2"]


def test_default_key_file_is_created_when_needed(tmp_path):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)
    result = import_population(people, tmp_path / "out", today=TODAY)
    assert result.key is not None and result.key.created
    assert (tmp_path / "var" / "pseudonym.key").is_file()


def test_output_folder_rules(tmp_path, key):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)
    (tmp_path / "out").mkdir()
    run(tmp_path, key, people)  # an empty folder is fine
    with pytest.raises(ArgumentError, match="already exists; choose another"):
        run(tmp_path, key, people)
    run(tmp_path, key, people, overwrite=True)  # an earlier import may be replaced
    # `out` is a link to the one live version; the replaced version is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.versions", "out", "people.csv"]
    assert (tmp_path / "out").is_symlink()
    assert [p.name for p in (tmp_path / ".out.versions").iterdir()] == [
        (tmp_path / "out").resolve().name
    ]
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(ArgumentError, match=r"holds no manifest\.json"):
        import_population(people, other, key=key, overwrite=True, today=TODAY)
    with pytest.raises(ArgumentError, match="exists and is not a folder"):
        import_population(people, other / "notes.txt", key=key, today=TODAY)


def test_bad_arguments(tmp_path, key):
    with pytest.raises(ArgumentError, match="does not exist"):
        run(tmp_path, key, tmp_path / "missing.csv")
    (tmp_path / "people.xlsx").write_bytes(b"")
    with pytest.raises(ArgumentError, match=r"must end in one of \.csv, \.csv\.gz"):
        run(tmp_path, key, tmp_path / "people.xlsx")


def test_an_unexpected_failure_leaves_nothing_behind(tmp_path, key, monkeypatch):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dataset, "point_link", fail)  # the last step: the pointer swap
    with pytest.raises(RuntimeError, match="disk full"):
        run(tmp_path, key, people)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv"]


def test_batches_and_progress(tmp_path, key):
    table = pa.table({"person_id": ["p1", "p2", "p3"], "sex": ["1", "2", "1"], "age": [1, 2, 3]})
    pq.write_table(table, tmp_path / "people.parquet")
    seen = []
    run(
        tmp_path,
        key,
        tmp_path / "people.parquet",
        batch_rows=2,
        progress=lambda table, rows, total: seen.append((table, rows, total)),
    )
    assert seen == [("people", 2, 3), ("people", 3, 3)]


def test_quoted_values_may_hold_commas_and_line_breaks(tmp_path, key):
    people = write_csv(tmp_path / "people.csv", GOOD_PEOPLE)
    events = tmp_path / "events.csv"
    events.write_text(
        "nhs_number,event_type,code,date,value\n"
        '9434765919,"blood pressure, sitting",X1,2020-01-01,\n'
        '9434765919,"two\nlines",X2,2020-01-02,\n'
        "9434765919,bp,X 3,2020-01-03,\n",
        encoding="utf-8",
    )
    problems = rejected(tmp_path, key, people, events)
    assert problems == [("events", 3, "code", "X 3", "must be 1–64 characters, no spaces")]
    events.write_text(events.read_text().replace("X 3", "X3"), encoding="utf-8")
    run(tmp_path, key, people, events)
    out = pq.read_table(tmp_path / "out" / "events.parquet").column("event_type").to_pylist()
    assert out == ["blood pressure, sitting", "two\nlines", "bp"]


def test_output_folder_is_private(tmp_path, key):
    run(tmp_path, key, write_csv(tmp_path / "people.csv", GOOD_PEOPLE))
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
