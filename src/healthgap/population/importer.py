"""Validated import of person-level files (people, events) into a pseudonymised Parquet dataset.

The import is all or nothing. Each file is streamed in batches; every cell is checked
(`population.rules`) and every problem is kept; NHS numbers are checked (Modulus 11) and
replaced by keyed HMAC pseudonyms before anything is written; the batches go to Parquet in a
private staging folder (mode 0700) beside the output. Then the checks across rows run on the
staged files with DuckDB (a person in the people file twice; an event for a person not in
it). If any problem was found, the staging folder is deleted and `PopulationImportError`
carries the full report; otherwise a manifest is added and the staged version is published
with one atomic link swap (`population.dataset`), so a reader sees the whole new dataset or
the whole old one, never a mix and never none.

The raw NHS number is never written, logged or shown: reports show "943*****19".

Output folder: `people.parquet`, `events.parquet` (if given) and `manifest.json` (schema
version, creation time, each table's row count and source file SHA-256, the pseudonym key id).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from healthgap import __version__
from healthgap.disclosure.nhs_number import masked_array, nhs_number_mask
from healthgap.disclosure.pseudonymise import PseudonymKey, load_key
from healthgap.errors import ArgumentError
from healthgap.population.dataset import MANIFEST, check_target, writing_dataset
from healthgap.population.problems import PopulationImportError, Problem
from healthgap.population.readers import CsvReader, ParquetReader, open_reader
from healthgap.population.rules import PARSERS, ROW_RULES, ParseContext, present
from healthgap.population.schema import ID_COLUMNS, SCHEMA_VERSION, TABLES, Column, Table

_SHOWN = "shown"  # staging-only column: the masked NHS number of each row

Progress = Callable[[str, int, int | None], None]
"""progress(table, rows_read, total_rows or None)."""


@dataclass(frozen=True)
class ImportResult:
    """A finished import: the output folder, rows per table, the manifest and the key used."""

    out: Path
    rows: dict[str, int]
    manifest: dict[str, object]
    key: PseudonymKey | None


@dataclass
class _Staged:
    """One table while it is being staged; problem rows are emitted-row numbers until the end."""

    table: Table
    reader: CsvReader | ParquetReader
    path: Path
    id_column: str | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def shown_path(self) -> Path:
        return self.path.with_name(f".{self.table.name}-shown.parquet")


def import_population(
    people: Path | str,
    out: Path | str,
    *,
    events: Path | str | None = None,
    key: PseudonymKey | Path | str | None = None,
    overwrite: bool = False,
    batch_rows: int = 100_000,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportResult:
    """Check, pseudonymise and write a people file (and optionally an events file) to `out`.

    `key` is a `PseudonymKey`, a key-file path, or None for `load_key()`'s search (it is only
    loaded when a file has an nhs_number column). `out` must not exist, be an empty folder,
    or (with `overwrite=True`) be the output of an earlier import. `today` (default: the
    system date) is the latest date any date may have.

    Raises `PopulationImportError` listing every problem (nothing is written), or
    `ArgumentError` for a missing input file or an unusable `out`.
    """
    sources = {"people": Path(people)} | ({"events": Path(events)} if events is not None else {})
    for path in sources.values():
        if not path.is_file():
            raise ArgumentError(f"The input file {path} does not exist.")
    out = Path(out)
    check_target(out, overwrite)
    readers = {name: open_reader(path, name, batch_rows) for name, path in sources.items()}
    digests = {name: _sha256(path) for name, path in sources.items()}
    if any("nhs_number" in r.columns for r in readers.values()):
        key = key if isinstance(key, PseudonymKey) else load_key(key)
    else:
        key = None
    context = ParseContext(today or date.today(), key)

    with writing_dataset(out, overwrite=overwrite) as staging:
        staged = {
            name: _stage(TABLES[name], reader, staging, context, progress)
            for name, reader in readers.items()
        }
        _check_across_rows(staged)
        problems = _final_problems(list(staged.values()))
        if problems:
            raise PopulationImportError(problems)
        for table in staged.values():
            table.shown_path.unlink(missing_ok=True)
        manifest = _manifest(sources, digests, staged, key)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return ImportResult(out, {n: s.rows for n, s in staged.items()}, manifest, key)


def _column_problems(table: Table, columns: tuple[str, ...]) -> tuple[list[Problem], str | None]:
    """File-level problems with the columns, and which identifier column the file uses."""
    name, problems = table.name, []
    for column in columns:
        if column not in table.names:
            hint = difflib.get_close_matches(column, table.names, n=1)
            suggestion = f"; did you mean {hint[0]}?" if hint else ""
            rule = f"is not a column of the {name} table{suggestion}"
            problems.append(Problem(name, None, column, None, rule))
    ids = [c for c in ID_COLUMNS if c in columns]
    if len(ids) != 1:
        rule = "the file needs exactly one of the columns nhs_number and person_id"
        problems.append(Problem(name, None, None, None, rule))
    for column in table.columns:
        if column.required and column.name not in ID_COLUMNS and column.name not in columns:
            problems.append(Problem(name, None, column.name, None, "required column is missing"))
    if table.at_least_one_of and not set(table.at_least_one_of) & set(columns):
        rule = f"the file needs at least one of the columns {', '.join(table.at_least_one_of)}"
        problems.append(Problem(name, None, None, None, rule))
    return problems, (ids[0] if len(ids) == 1 else None)


def _shown(values: pa.Array, masked: bool) -> pa.Array:
    """Cells as a report may show them: NHS numbers (and anything valid as one) masked."""
    if masked:
        return masked_array(values)
    return pc.if_else(pa.array(nhs_number_mask(values)), masked_array(values), values)


def _cell_problems(
    staged: _Staged, column: str, raw: pa.Array, mask: np.ndarray, rule: str, first: int
) -> None:
    where = np.flatnonzero(mask)
    if where.size == 0:
        return
    cells = _shown(raw.take(pa.array(where)), masked=column == "nhs_number").to_pylist()
    rows = (where + first).tolist()
    name = staged.table.name
    staged.problems.extend(
        Problem(name, r, column, v, rule) for r, v in zip(rows, cells, strict=True)
    )


def _stage(
    table: Table,
    reader: CsvReader | ParquetReader,
    staging: Path,
    context: ParseContext,
    progress: Progress | None,
) -> _Staged:
    staged = _Staged(table, reader, staging / table.file_name)
    if reader.columns:  # no header at all is already a problem of the reader's
        column_problems, staged.id_column = _column_problems(table, reader.columns)
        staged.problems.extend(column_problems)
    wanted = [c for c in table.columns if c.name not in ID_COLUMNS or c.name == staged.id_column]
    schema = table.output_schema
    writer = pq.ParquetWriter(staged.path, schema, compression="zstd")
    shown_writer = None
    if staged.id_column == "nhs_number":
        shown_schema = pa.schema([(_SHOWN, pa.string())])
        shown_writer = pq.ParquetWriter(staged.shown_path, shown_schema, compression="zstd")
    try:
        for batch in reader.batches():
            output = _check_batch(staged, batch, wanted, context)
            writer.write_batch(pa.record_batch([output[f.name] for f in schema], schema=schema))
            if shown_writer is not None:
                masked = masked_array(batch.column("nhs_number"))
                shown_writer.write_batch(pa.record_batch([masked], names=[_SHOWN]))
            staged.rows += batch.num_rows
            if progress is not None:
                progress(table.name, staged.rows, reader.total_rows)
    finally:
        writer.close()
        if shown_writer is not None:
            shown_writer.close()
    if table.must_be_unique and staged.rows == 0 and not reader.problems:
        staged.problems.append(Problem(table.name, None, None, None, "the file has no rows"))
    return staged


def _check_batch(
    staged: _Staged, batch: pa.RecordBatch, wanted: list[Column], context: ParseContext
) -> dict[str, pa.Array]:
    """Check one batch; record its problems; return the typed output columns."""
    first = staged.rows + 1
    nulls = pa.nulls(batch.num_rows, pa.string())
    raw = {c.name: batch.column(c.name) for c in wanted if c.name in batch.schema.names}
    parsed: dict[str, pa.Array] = {}
    for column in wanted:
        values = raw.get(column.name, nulls)
        result = PARSERS[column.kind](values, context)
        parsed[column.name] = result.values
        if column.required and column.name in raw:
            _cell_problems(staged, column.name, values, ~present(values), "is required", first)
        for mask, rule in result.failures:
            _cell_problems(staged, column.name, values, mask, rule, first)
    row_rules = ROW_RULES.get(staged.table.name)
    for failure in row_rules(raw, parsed) if row_rules else []:
        values = raw.get(failure.column, nulls)
        _cell_problems(staged, failure.column, values, failure.mask, failure.rule, first)
    if staged.id_column == "nhs_number":
        parsed["person_id"] = parsed.pop("nhs_number")
    if "person_id" not in parsed:
        parsed["person_id"] = nulls
    return parsed


def _check_across_rows(staged: dict[str, _Staged]) -> None:
    """Rules across rows, on the staged Parquet files: unique people, events for known people."""
    people = staged["people"]
    with duckdb.connect() as con:
        if people.id_column is not None:
            duplicates = con.execute(
                """SELECT file_row_number + 1 AS row, first + 1 AS first FROM (
                     SELECT file_row_number,
                            min(file_row_number) OVER (PARTITION BY person_id) AS first
                     FROM read_parquet($path, file_row_number = true)
                     WHERE person_id IS NOT NULL)
                   WHERE file_row_number > first ORDER BY 1""",
                {"path": str(people.path)},
            ).fetchnumpy()
            _row_problems(con, people, duplicates["row"], duplicates["first"])
        events = staged.get("events")
        if events is not None and events.id_column is not None and people.id_column is not None:
            orphans = con.execute(
                """SELECT e.file_row_number + 1 AS row
                   FROM read_parquet($events, file_row_number = true) AS e
                   WHERE e.person_id IS NOT NULL AND NOT EXISTS (
                     SELECT 1 FROM read_parquet($people) AS p WHERE p.person_id = e.person_id)
                   ORDER BY 1""",
                {"events": str(events.path), "people": str(people.path)},
            ).fetchnumpy()
            _row_problems(con, events, orphans["row"], None)


def _row_problems(
    con: duckdb.DuckDBPyConnection, staged: _Staged, rows: np.ndarray, first: np.ndarray | None
) -> None:
    """Problems for whole rows found by a cross-row rule, showing each row's identifier."""
    if rows.size == 0:
        return
    source = staged.shown_path if staged.id_column == "nhs_number" else staged.path
    column = _SHOWN if staged.id_column == "nhs_number" else "person_id"
    con.register("wanted", pa.table({"row": rows}))
    shown = con.execute(
        f"""SELECT s.{column} FROM wanted AS w
            JOIN read_parquet($path, file_row_number = true) AS s
              ON s.file_row_number + 1 = w.row ORDER BY w.row""",
        {"path": str(source)},
    ).fetchnumpy()[column]
    con.unregister("wanted")
    mapped_first = None if first is None else staged.reader.data_rows(first)
    for i, (row, value) in enumerate(zip(rows, shown, strict=True)):
        if mapped_first is None:
            rule = "is not in the people file"
        else:
            rule = f"must be unique: the same person is in row {mapped_first[i]}"
        staged.problems.append(Problem(staged.table.name, int(row), staged.id_column, value, rule))


def _final_problems(staged: list[_Staged]) -> list[Problem]:
    """Every problem, rows numbered as in the file, in file order (file-level ones first)."""
    problems: list[Problem] = []
    for table in staged:
        numbered = np.asarray([p.row for p in table.problems if p.row is not None], np.int64)
        mapped = iter(table.reader.data_rows(numbered).tolist())  # around malformed CSV rows
        own = [p if p.row is None else replace(p, row=next(mapped)) for p in table.problems]
        problems.extend(table.reader.problems + own)
    tables = list(TABLES)

    def order(p: Problem) -> tuple[int, int, int]:
        names = TABLES[p.table].names
        rank = names.index(p.column) if p.column in names else len(names)
        return (tables.index(p.table), -1 if p.row is None else p.row, rank)

    return sorted(problems, key=order)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _manifest(
    sources: dict[str, Path],
    digests: dict[str, str],
    staged: dict[str, _Staged],
    key: PseudonymKey | None,
) -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "healthgap_version": __version__,
        "pseudonym_key_id": None if key is None else key.key_id,
        "tables": {
            name: {
                "file": table.table.file_name,
                "rows": table.rows,
                "source": {"name": sources[name].name, "sha256": digests[name]},
            }
            for name, table in staged.items()
        },
    }
