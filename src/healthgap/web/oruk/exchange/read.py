"""Reading an exchange file into a bundle of tables (`tables.Bundle`).

JSON may be: healthgap's export (`{"organizations": [...], "services": [...], ...}`, rows
flat or nested), one ORUK object (a fully nested service, organization, taxonomy, ...), a
page of an ORUK list endpoint (`{"contents": [...], "total_items": ...}`), or a list of
objects. CSV comes as a ZIP file or a folder of tables named as in the ORUK tabular package
(`organizations.csv`, `services.csv`, `service_at_location.csv`, ...; `schema.csv_name`); each
cell is typed with the ORUK schema (numbers for `number` fields, empty cells left out).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthgap.web.oruk import schema as oruk_schema
from healthgap.web.oruk.exchange.problems import WARNING, Problem
from healthgap.web.oruk.exchange.tables import AT, TABLES, Bundle, flatten, guess_schema

PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page"}
#: Keys of healthgap's own export envelope, not tables.
ENVELOPE = {"version", "profile", "generated", "publisher"}


@dataclass
class Upload:
    """A parsed file: its tables and what went wrong reading it."""

    tables: Bundle = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def csv_files() -> dict[str, str]:
    """CSV file name -> table name."""
    return {oruk_schema.csv_name(t.schema): t.name for t in TABLES.values()}


def read_upload(name: str, content: bytes) -> Upload:
    """Parse an uploaded `.json` or `.zip` (of CSV files) by its name."""
    if name.lower().endswith(".zip"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile:
            return _failed(name, "not a valid ZIP file")
        files = {
            Path(info.filename).name: archive.read(info)
            for info in archive.infolist()
            if not info.is_dir()
        }
        return read_csv_files(files)
    if name.lower().endswith(".csv"):
        return read_csv_files({Path(name).name: content})
    return read_json(content, name)


def read_path(path: Path) -> Upload:
    """Parse a `.json` file, a `.zip` of CSV files or a folder of CSV files."""
    if path.is_dir():
        return read_csv_files({p.name: p.read_bytes() for p in sorted(path.glob("*.csv"))})
    return read_upload(path.name, path.read_bytes())


def _failed(record: str, rule: str) -> Upload:
    return Upload(problems=[Problem.of(record, "", "", rule)])


def read_json(content: bytes | str, name: str = "file") -> Upload:
    try:
        document = json.loads(content)
    except UnicodeDecodeError:
        return _failed(name, "the file is not UTF-8 text")
    except json.JSONDecodeError as error:
        return _failed(
            name, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        )
    upload = Upload()
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        _add_objects(upload, document["contents"], "contents")
    elif isinstance(document, dict) and "id" not in document and set(document) & set(TABLES):
        for key, value in document.items():
            if key in TABLES and isinstance(value, list):
                _add_objects(upload, value, key, TABLES[key].schema)
            elif key not in ENVELOPE:
                upload.problems.append(
                    Problem.of(name, key, "", "not an ORUK table: ignored", WARNING)
                )
    elif isinstance(document, list):
        _add_objects(upload, document, "")
    elif isinstance(document, dict):
        _add_objects(upload, [document], "", single=True)
    else:
        upload.problems.append(Problem.of(name, "", "", "expected a JSON object or array"))
    return upload


def _add_objects(
    upload: Upload, objects: list[Any], prefix: str, schema: str | None = None, single: bool = False
) -> None:
    unsupported: dict[tuple[str, str], list[str]] = {}
    for index, obj in enumerate(objects):
        at = prefix if single else f"{prefix}[{index}]"
        kind = schema or (guess_schema(obj) if isinstance(obj, dict) else None)
        if kind is None:
            upload.problems.append(
                Problem.of(
                    at or "file",
                    "",
                    "",
                    "cannot tell which ORUK object this is (service, organization, location, "
                    "service_at_location, taxonomy or taxonomy_term)",
                )
            )
            continue
        for found in flatten(kind, obj, at or kind, upload.tables):
            unsupported.setdefault((found.schema, found.field), []).append(found.at)
    for (kind, name), places in unsupported.items():
        count = f"{len(places)} record{'s' if len(places) != 1 else ''}"
        upload.problems.append(
            Problem.of(
                places[0], name, "", f"{kind}.{name} is not stored by healthgap ({count})", WARNING
            )
        )


def _cell(value: str, kind: str | None) -> Any:
    """A CSV cell typed as its schema says: numbers as int/float where they parse."""
    if kind in ("number", "integer"):
        try:
            number = float(value)
        except ValueError:
            return value  # the schema check reports it
        return int(number) if number.is_integer() else number
    return value


def read_csv_files(files: dict[str, bytes]) -> Upload:
    """Tables from CSV files named as in the ORUK tabular package."""
    upload = Upload()
    names = csv_files()
    for filename, content in sorted(files.items()):
        table = names.get(filename)
        if table is None:
            if filename.endswith(".csv"):
                upload.problems.append(
                    Problem.of(
                        filename, "", "", "not an ORUK table healthgap reads: ignored", WARNING
                    )
                )
            continue
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            upload.problems.append(Problem.of(filename, "", "", "the file is not UTF-8 text"))
            continue
        types = oruk_schema.field_types(TABLES[table].schema)
        # An empty cell is an absent value, except in a required text column, where it is
        # an empty string (ORUK requires e.g. organization.description, which may be "").
        required = set(oruk_schema.schemas()[TABLES[table].schema]["required"])
        rows = upload.tables.setdefault(table, [])
        try:
            records = list(csv.DictReader(io.StringIO(text, newline="")))
        except csv.Error as error:  # e.g. a stray carriage return inside an unquoted cell
            upload.problems.append(
                Problem.of(filename, "", "", f"not a readable CSV file: {error}")
            )
            continue
        for number, record in enumerate(records, start=2):
            row = {AT: f"{filename} row {number}"}
            for column, value in record.items():
                if column is None:
                    upload.problems.append(
                        Problem.of(row[AT], "", value, "more cells than the header has columns")
                    )
                elif value not in (None, ""):
                    row[column] = _cell(value, types.get(column))
                elif value == "" and column in required and types.get(column) == "string":
                    row[column] = ""
            rows.append(row)
    if not upload.tables and not upload.problems:
        upload.problems.append(Problem.of("file", "", "", "no ORUK CSV tables found"))
    return upload
