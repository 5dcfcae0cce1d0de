"""Stream a CSV or Parquet file as batches of text columns, for checking.

Every column comes out as a pyarrow string array with surrounding whitespace removed and blank
cells null, so each rule sees one representation whatever the file format. Header names are
trimmed and lower-cased. Problems with the file itself (unreadable, empty, a duplicated
column name, a CSV row with the wrong number of fields) are collected in `reader.problems`,
never raised, so that a report can list them with everything else; no pyarrow message that
could quote a cell is passed on unredacted (`Problem` masks NHS-number-like digits).

CSV: UTF-8 (a byte-order mark is allowed), comma-separated, first line the header, `.csv` or
`.csv.gz`. Parquet: any column type that casts to text; dates and timestamps at midnight
become YYYY-MM-DD, and an integer nhs_number column is left-padded with zeros to 10 digits.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from healthgap.errors import ArgumentError
from healthgap.population.problems import Problem

CSV_SUFFIXES = (".csv", ".csv.gz")
PARQUET_SUFFIXES = (".parquet", ".pq")
_CSV_BLOCK_BYTES = 16 << 20


def open_reader(path: Path, table: str, batch_rows: int) -> CsvReader | ParquetReader:
    """The reader for `path`, chosen by its suffix."""
    name = path.name.lower()
    if name.endswith(CSV_SUFFIXES):
        return CsvReader(path, table)
    if name.endswith(PARQUET_SUFFIXES):
        return ParquetReader(path, table, batch_rows)
    raise ArgumentError(
        f"Cannot read {path.name}: the file name must end in one of "
        f"{', '.join(CSV_SUFFIXES + PARQUET_SUFFIXES)}."
    )


def _clean(column: pa.Array) -> pa.Array:
    """Trim whitespace; blank becomes null."""
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _header_problems(table: str, names: list[str]) -> list[Problem]:
    if not names:
        return [Problem(table, None, None, None, "the file is empty: it needs a header row")]
    seen: set[str] = set()
    problems = []
    for name in names:
        if name == "":
            problems.append(Problem(table, None, None, None, "a column has no name in the header"))
        elif name in seen:
            problems.append(Problem(table, None, name, None, "the column appears more than once"))
        seen.add(name)
    return problems


class CsvReader:
    """Streams a CSV file with pyarrow; malformed rows are found again with Python's csv."""

    def __init__(self, path: Path, table: str) -> None:
        self.path, self.table = path, table
        self.total_rows: int | None = None
        self.problems: list[Problem] = []
        self._skipped: list[int] = []
        try:
            with self._text() as handle:
                header = next(csv.reader(handle), [])
        except (UnicodeDecodeError, csv.Error, OSError) as error:
            self.problems.append(self._unreadable(error))
            header = []
        self.columns = tuple(name.strip().lower() for name in header)
        if not self.problems:
            self.problems.extend(_header_problems(table, list(self.columns)))

    def _text(self) -> io.TextIOBase:
        if self.path.name.lower().endswith(".gz"):
            return gzip.open(self.path, "rt", encoding="utf-8-sig", newline="")
        return open(self.path, encoding="utf-8-sig", newline="")

    def _unreadable(self, error: Exception) -> Problem:
        reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        return Problem(self.table, None, None, None, f"the file cannot be read as CSV: {reason}")

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of cleaned text columns; nothing if the header was unusable."""
        if self.problems:
            return
        malformed = 0

        def skip(_row: object) -> str:
            nonlocal malformed
            malformed += 1
            return "skip"

        try:  # opening reads the first block: an empty or header-only file fails here
            reader = pcsv.open_csv(
                self.path,
                read_options=pcsv.ReadOptions(
                    column_names=list(self.columns), skip_rows=1, block_size=_CSV_BLOCK_BYTES
                ),
                parse_options=pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=skip),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict.fromkeys(self.columns, pa.string()),
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            for batch in reader:
                yield pa.record_batch([_clean(c) for c in batch.columns], names=self.columns)
        except pa.ArrowInvalid as error:
            self.problems.append(self._unreadable(error))
        if malformed:
            self._find_malformed_rows(malformed)

    def _find_malformed_rows(self, malformed: int) -> None:
        """Slow path, for a file already known to be bad: number its malformed rows."""
        with self._text() as handle:
            rows = csv.reader(handle)
            next(rows)
            number = 0
            for fields in rows:
                if not fields:  # pyarrow skips blank lines too
                    continue
                number += 1
                if len(fields) != len(self.columns):
                    self._skipped.append(number)
                    rule = (
                        f"the row has {len(fields)} fields but the header has {len(self.columns)}"
                    )
                    self.problems.append(Problem(self.table, number, None, None, rule))
        if len(self._skipped) != malformed:  # the two parsers disagree: say so, without rows
            rule = f"{malformed} rows could not be parsed as CSV"
            self.problems.append(Problem(self.table, None, None, None, rule))

    def data_rows(self, emitted: np.ndarray) -> np.ndarray:
        """1-based data row numbers of the k-th (1-based) rows emitted, around skipped rows.

        With skipped rows S (sorted), row(k) = k + #{s in S : s - rank(s) < k}, rank 1-based.
        """
        if not self._skipped:
            return emitted
        shifted = np.asarray(self._skipped) - np.arange(1, len(self._skipped) + 1)
        return emitted + np.searchsorted(shifted, emitted, side="left")


class ParquetReader:
    """Streams a Parquet file in row batches, casting each column to text."""

    def __init__(self, path: Path, table: str, batch_rows: int) -> None:
        self.path, self.table, self.batch_rows = path, table, batch_rows
        self.problems: list[Problem] = []
        try:
            self._file: pq.ParquetFile | None = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as error:
            self._file = None
            rule = f"the file cannot be read as Parquet: {error}"
            self.problems.append(Problem(table, None, None, None, rule))
            self.columns: tuple[str, ...] = ()
            self.total_rows: int | None = None
            return
        self.columns = tuple(n.strip().lower() for n in self._file.schema_arrow.names)
        self.total_rows = self._file.metadata.num_rows
        self.problems.extend(_header_problems(table, list(self.columns)))

    def batches(self) -> Iterator[pa.RecordBatch]:
        if self.problems or self._file is None:
            return
        types = self._file.schema_arrow.types
        for batch in self._file.iter_batches(batch_size=self.batch_rows):
            columns = [
                self._text(n, t, c)
                for n, t, c in zip(self.columns, types, batch.columns, strict=True)
            ]
            if None in columns:
                return
            yield pa.record_batch([_clean(c) for c in columns], names=self.columns)

    def _text(self, name: str, arrow_type: pa.DataType, column: pa.Array) -> pa.Array | None:
        if pa.types.is_timestamp(arrow_type):  # midnight -> YYYY-MM-DD, else date and time
            day = pc.cast(column, pa.date32(), safe=False)
            midnight = pc.equal(pc.cast(day, arrow_type), column)
            seconds = pc.cast(column, pa.timestamp("s", arrow_type.tz), safe=False)
            with_time = pc.strftime(seconds, format="%Y-%m-%d %H:%M:%S")
            return pc.if_else(midnight, pc.cast(day, pa.string()), with_time)
        try:
            text = pc.cast(column, pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            rule = f"the column type {arrow_type} cannot be read as text"
            self.problems.append(Problem(self.table, None, name, None, rule))
            return None
        if name == "nhs_number" and pa.types.is_integer(arrow_type):
            text = pc.utf8_lpad(text, width=10, padding="0")
        return text

    def data_rows(self, emitted: np.ndarray) -> np.ndarray:
        return emitted
