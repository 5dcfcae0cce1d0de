"""Loading person-level data into a backend (DuckDB here; the spec tests cover every engine)."""

from __future__ import annotations

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from healthgap.errors import ArgumentError
from healthgap.indicators import load_catalogue
from healthgap.indicators.backends import connect, execute_finest, to_arrow
from healthgap.indicators.compile import compile_indicators
from healthgap.population.schema import PEOPLE
from tests.spec.tables import counts

FLU = load_catalogue(ids=["flu_vaccination_65_plus"])


def test_parquet_files_read_in_place_with_optional_columns_missing(tmp_path):
    # A people file with only age (no birth month, ethnicity, LSOA or registration end).
    pq.write_table(
        pa.table(
            {
                "person_id": ["p1", "p2", "p3"],
                "sex": ["1", "2", "2"],
                "age": pa.array([70, 80, 50], pa.int16()),
                "registration_start": pa.array([pd.Timestamp("2000-01-01").date()] * 3),
            }
        ),
        tmp_path / "people.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "person_id": ["p1", "p3"],
                "event_type": ["vaccination", "vaccination"],
                "code": ["822851000000102", "822851000000102"],
                "date": pa.array([pd.Timestamp("2024-10-01").date()] * 2),
            }
        ),
        tmp_path / "events.parquet",
    )
    result = execute_finest(
        connect("duckdb"), FLU, tmp_path / "people.parquet", tmp_path / "events.parquet"
    )
    # p1 and p2 are 65+ (ages as given); p1 is vaccinated; p3 is 50. No ethnicity: 99.
    assert counts(result, period="2024/25") == (1, 1 + 1)
    assert set(result["ethnicity"]) == {"99"}
    assert result["lsoa21"].isna().all()


def test_to_arrow_requires_the_required_columns():
    with pytest.raises(ArgumentError, match="The people table has no 'sex' column"):
        to_arrow(pd.DataFrame({"person_id": ["p1"]}), PEOPLE)


def test_unknown_backend():
    with pytest.raises(ArgumentError, match="Unknown backend 'sqlite'; choose one of duckdb"):
        connect("sqlite")


def test_nothing_to_compile():
    people = ibis.table({"person_id": "string", "sex": "string"}, name="people")
    events = ibis.table({"person_id": "string"}, name="events")
    with pytest.raises(ArgumentError, match="needs at least one indicator"):
        compile_indicators({}, people, events)
