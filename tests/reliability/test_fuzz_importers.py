"""Fuzzing the importers with hypothesis: population CSV and Parquet, and aggregate counts CSV.

Property: whatever the bytes, an import either succeeds completely (every data row accounted
for) or is rejected with a `HealthgapError` whose every problem names a rule in words, and
then nothing is written. No other exception escapes. (The WRES extracts are fuzzed in
tests/equality/test_wres_extract.py, ORUK uploads in tests/web/security/test_fuzz_oruk.py.)
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthgap.errors import InputDataError
from healthgap.indicators import load_catalogue
from healthgap.indicators.counts_input import load_counts, read_counts
from healthgap.population.importer import import_population
from healthgap.population.problems import PopulationImportError
from tests.indicators.test_run_pipeline import AREAS
from tests.reliability._faults import KEY

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = date(2025, 6, 30)
PEOPLE_COLUMNS = ["nhs_number", "person_id", "sex", "age", "birth_month", "ethnicity", "lsoa21",
                  "gp_practice", "registration_start", "registration_end"]  # fmt: skip

#: Cells: plausible values, near misses and junk.
CELLS = st.one_of(
    st.sampled_from(["", "9434765919", "4010232137", "943 476 5919", "9434765918", "M", "F",
                     "2", "9", "X", "42", "-1", "130", "1990-05-17", "1990-13-45", "A", "r1",
                     "Z9", "E01000001", "e01000002", "W01000001", "M85001", "2010-01-01",
                     "2030-01-01", "NaN", "null", "\u00e9", "=cmd|' /C calc'!A0"]),
    st.text(max_size=12),
    st.integers(-(10**12), 10**12).map(str),
)  # fmt: skip


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def people_csv(draw) -> bytes:
    header = draw(st.lists(st.sampled_from([*PEOPLE_COLUMNS, "junk"]), min_size=1, max_size=11))
    rows = draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=6))
    return _csv(header, rows)


def _check_import(source: Path, folder: Path) -> None:
    out = folder / "out"
    try:
        result = import_population(source, out, key=KEY, today=TODAY)
    except PopulationImportError as error:
        assert not out.exists()
        assert error.problems
        for problem in error.problems:
            assert problem.rule and problem.rule.strip()
            assert problem.describe()
        return
    assert pq.read_table(out / "people.parquet").num_rows == result.rows["people"]


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-"))


@FUZZ
@given(content=st.one_of(people_csv(), st.binary(max_size=300)))
def test_population_csv_fuzz(content: bytes) -> None:
    folder = _scratch()
    try:
        source = folder / "people.csv"
        source.write_bytes(content)
        _check_import(source, folder)
    finally:
        shutil.rmtree(folder)


ARROW_VALUES = {
    "string": (pa.string(), st.one_of(st.none(), CELLS)),
    "int": (pa.int64(), st.one_of(st.none(), st.integers(-(2**40), 2**40))),
    "float": (pa.float64(), st.one_of(st.none(), st.floats(allow_nan=True))),
    "date": (pa.date32(), st.one_of(st.none(), st.dates())),
    "bool": (pa.bool_(), st.one_of(st.none(), st.booleans())),
}


@st.composite
def people_table(draw) -> pa.Table:
    names = draw(st.lists(st.sampled_from(PEOPLE_COLUMNS), min_size=1, max_size=10, unique=True))
    length = draw(st.integers(0, 5))
    columns = {}
    for name in names:
        arrow_type, values = ARROW_VALUES[draw(st.sampled_from(sorted(ARROW_VALUES)))]
        cells = draw(st.lists(values, min_size=length, max_size=length))
        columns[name] = pa.array(cells, type=arrow_type)
    return pa.table(columns)


@FUZZ
@given(table=people_table())
def test_population_parquet_fuzz(table: pa.Table) -> None:
    folder = _scratch()
    try:
        source = folder / "people.parquet"
        pq.write_table(table, source)
        _check_import(source, folder)
    finally:
        shutil.rmtree(folder)


CATALOGUE = load_catalogue()
COUNT_COLUMNS = ["indicator_id", "period", "area_code", "numerator", "denominator", "area_type",
                 "category_type", "category", "age_band", "Indicator ID", "Count"]  # fmt: skip
COUNT_CELLS = st.one_of(
    st.sampled_from(["", "flu_vaccination_65_plus", "no_such_indicator", "2024/25", "2024",
                     "E01000001", "E02000001", "E54000001", "E92000001", "X", "lsoa21", "all",
                     "All", "sex", "Female", "10", "0", "-3", "12.5", "1e9", "inf", "NaN"]),
    st.integers(-5, 10**6).map(str),
    st.text(max_size=8),
)  # fmt: skip


@st.composite
def counts_csv(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(COUNT_COLUMNS), min_size=1, max_size=9, unique=True))
    rows = draw(
        st.lists(st.lists(COUNT_CELLS, min_size=len(header), max_size=len(header)), max_size=6)
    )
    return _csv(header, rows)


@FUZZ
@given(content=st.one_of(counts_csv(), st.binary(max_size=200)))
def test_counts_csv_fuzz(content: bytes) -> None:
    folder = _scratch()
    try:
        source = folder / "counts.csv"
        source.write_bytes(content)
        try:
            counts = read_counts(source)
            results = load_counts(counts, AREAS, CATALOGUE)
        except InputDataError as error:
            assert str(error).strip()
            return
        assert len(results) >= 0
    finally:
        shutil.rmtree(folder)
