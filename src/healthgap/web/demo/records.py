"""Read a demo data file (YAML) into frozen dataclasses with named, type-checked fields.

A data file is a YAML list of records (or, for a file that describes one thing, a single
mapping). Each record's keys must be the dataclass's field names: a missing required field, an
unknown field or a value of the wrong type raises `DemoDataError` naming the file, the row
(1-based, as a person counts them), its line in the file and the field.

Supported field types: `str`, `int`, `float`, `bool`, `datetime.date`, `X | None`, unions of
those, `tuple[X, ...]` (a YAML list) and `dict[str, X]` (a YAML mapping).
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from healthgap.errors import HealthgapError

T = TypeVar("T")


class DemoDataError(HealthgapError, ValueError):
    """Raised when a demo data file breaks a rule; the message names file, row and field."""


class FieldError(ValueError):
    """Raised by a check on one record: `field` is the offending field's name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


Check = Callable[[Any], None]
"""A cross-reference check on one record; it raises `FieldError` for a bad field."""


def read_rows(path: Path, kind: type[T], check: Check | None = None) -> tuple[T, ...]:
    """The records of the YAML list in `path`, each built as `kind` and passed to `check`."""
    node, value = _parse(path)
    if not isinstance(node, yaml.SequenceNode) or not isinstance(value, list):
        raise DemoDataError(f"{path} must be a list of records (lines starting with '- ').")
    records = []
    for number, (item, row) in enumerate(zip(node.value, value, strict=True), start=1):
        where = f"{path}, row {number} (line {item.start_mark.line + 1})"
        records.append(_record(where, kind, row, check))
    return tuple(records)


def read_one(path: Path, kind: type[T]) -> T:
    """The single record (a YAML mapping) in `path`, built as `kind`."""
    _, value = _parse(path)
    return _record(str(path), kind, value, None)


def _parse(path: Path) -> tuple[yaml.Node | None, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DemoDataError(f"The demo data file {path} cannot be read: {error}.") from error
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DemoDataError(f"{path} is not valid YAML: {error}") from error


def _record(where: str, kind: type[T], row: Any, check: Check | None) -> T:
    if not isinstance(row, dict):
        raise DemoDataError(f"{where}: a record must be a mapping of field: value.")
    fields = {f.name: f for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    unknown = sorted(set(row) - set(fields))
    if unknown:
        raise DemoDataError(
            f"{where}, field {unknown[0]!r}: no such field; the fields are {', '.join(fields)}."
        )
    hints = typing.get_type_hints(kind)
    values = {}
    for name, field in fields.items():
        if name not in row:
            if (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                raise DemoDataError(f"{where}, field {name!r}: this field is required.")
            continue
        try:
            values[name] = _convert(hints[name], row[name])
        except ValueError as error:
            raise DemoDataError(f"{where}, field {name!r}: {error}") from None
    record = kind(**values)
    if check is not None:
        try:
            check(record)
        except FieldError as error:
            raise DemoDataError(f"{where}, field {error.field!r}: {error}") from None
    return record


def _convert(hint: Any, value: Any) -> Any:
    """`value` (as YAML loaded it) checked against the type `hint`; ValueError if it is not."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                return _convert(option, value)
            except ValueError:
                continue
        raise ValueError(f"{value!r} is not {_describe(hint)}.")
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"{value!r} is not a list (write [a, b] or one '- item' per line).")
        return tuple(_convert(args[0], item) for item in value)
    if origin is dict:
        if not isinstance(value, dict):
            raise ValueError(f"{value!r} is not a mapping of name: value.")
        return {_convert(args[0], k): _convert(args[1], v) for k, v in value.items()}
    if hint is type(None):
        if value is None:
            return None
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
    elif isinstance(value, hint):
        return value
    raise ValueError(f"{value!r} is not {_describe(hint)}.")


def _describe(hint: Any) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        datetime.date: "a date (YYYY-MM-DD)",
        type(None): "empty",
    }
    options = typing.get_args(hint) if typing.get_origin(hint) else (hint,)
    return " or ".join(names.get(o, getattr(o, "__name__", str(o))) for o in options)
