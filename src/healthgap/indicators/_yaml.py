"""Reading indicator YAML with line numbers, so every definition error names file, line and field.

`read_yaml` parses with PyYAML's safe loader, but mappings come back as `Node` objects that
remember the line of each key; `Node` hands out typed values and raises
`IndicatorDefinitionError` (with a "did you mean" suggestion for misspelt keys) on anything
unexpected. `definitions.py` builds the frozen dataclasses on top of it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from healthgap.errors import HealthgapError


class IndicatorDefinitionError(HealthgapError, ValueError):
    """Raised when an indicator YAML file breaks the catalogue format (docs/indicators.md).

    The message starts with `<file>, line <n>, field '<dotted.field>':` and says what was found
    and what is allowed; `file`, `line` and `field` are also kept as attributes.
    """

    def __init__(self, file: str, line: int | None, field: str, problem: str) -> None:
        self.file, self.line, self.field, self.problem = file, line, field, problem
        where = file if line is None else f"{file}, line {line}"
        super().__init__(f"{where}, field {field!r}: {problem}")


class _Map(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]


class _Seq(list):
    """A YAML sequence that remembers the line of each item (1-based)."""

    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry line numbers; duplicate keys are errors."""

    file = "<string>"


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line, result.key_lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise IndicatorDefinitionError(
                loader.file,
                line,
                str(key),
                f"is given twice (first on line {result.key_lines[key]}).",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(item, deep=True) for item in node.value)
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
# YAML 1.1 reads on/off/yes/no as booleans (so `registration: {on: ...}` would break); like
# YAML 1.2, only true and false are booleans here.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(text: str, file: str) -> Node:
    """Parse one YAML document whose top level is a mapping; `file` is used in error messages."""
    loader = _Loader(text)
    loader.file = file
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        raise IndicatorDefinitionError(
            file, line, "<yaml>", f"is not valid YAML: {exc.problem}."
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, _Map):
        raise IndicatorDefinitionError(file, 1, "<top>", "must be a mapping of field: value.")
    return Node(data, file, "", data.line)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"


@dataclass(frozen=True)
class Node:
    """A value read from YAML, with where it came from (file, dotted field, line)."""

    value: Any
    file: str
    field: str
    line: int | None

    def fail(self, problem: str) -> IndicatorDefinitionError:
        """The error to raise for this value (the caller writes `raise node.fail(...)`)."""
        return IndicatorDefinitionError(self.file, self.line, self.field or "<top>", problem)

    # --- mappings -------------------------------------------------------------------------
    def mapping(self, required: Sequence[str], optional: Sequence[str] = ()) -> Node:
        """Check this is a mapping with all `required` keys and no keys outside both lists."""
        if not isinstance(self.value, _Map):
            raise self.fail(
                f"must be a mapping with fields {', '.join(required)}; got {_kind(self.value)}."
            )
        allowed = [*required, *optional]
        for key, line in self.value.key_lines.items():
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                fix = f" Did you mean {hint[0]!r}?" if hint else ""
                known = ", ".join(allowed)
                raise IndicatorDefinitionError(
                    self.file,
                    line,
                    self._sub(str(key)),
                    f"is not a known field.{fix} Known fields here: {known}.",
                )
        for key in required:
            if key not in self.value:
                problem = "is required but missing (from the mapping that starts on this line)."
                raise IndicatorDefinitionError(self.file, self.line, self._sub(key), problem)
        return self

    def has(self, key: str) -> bool:
        return isinstance(self.value, _Map) and key in self.value and self.value[key] is not None

    def __getitem__(self, key: str) -> Node:
        line = (
            self.value.key_lines.get(key, self.line) if isinstance(self.value, _Map) else self.line
        )
        value = self.value.get(key) if isinstance(self.value, _Map) else None
        return Node(value, self.file, self._sub(key), line)

    def _sub(self, key: str) -> str:
        return f"{self.field}.{key}" if self.field else key

    def items(self) -> Iterator[tuple[str, Node]]:
        """(key, node) pairs of a mapping, keys as text."""
        if not isinstance(self.value, _Map):
            raise self.fail(f"must be a mapping; got {_kind(self.value)}.")
        for key in self.value:
            yield str(key), self[key]

    # --- sequences ------------------------------------------------------------------------
    def sequence(self, *, allow_single: bool = False, non_empty: bool = True) -> list[Node]:
        """Items of a list (a lone mapping counts as a one-item list when `allow_single`)."""
        if allow_single and isinstance(self.value, dict):
            return [self]
        if not isinstance(self.value, _Seq):
            raise self.fail(f"must be a list; got {_kind(self.value)}.")
        if non_empty and not self.value:
            raise self.fail("must not be an empty list.")
        return [
            Node(v, self.file, f"{self.field}[{i}]", line)
            for i, (v, line) in enumerate(zip(self.value, self.value.item_lines, strict=True))
        ]

    # --- scalars --------------------------------------------------------------------------
    def text(self, *, allow_empty: bool = False) -> str:
        if isinstance(self.value, bool) or not isinstance(self.value, str | int | float):
            raise self.fail(f"must be text; got {_kind(self.value)}.")
        text = str(self.value).strip()
        if not text and not allow_empty:
            raise self.fail("must not be empty.")
        return text

    def choice(self, options: Sequence[str]) -> str:
        text = self.text()
        if text not in options:
            hint = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
            fix = f" Did you mean {hint[0]!r}?" if hint else ""
            raise self.fail(
                f"is {text!r}, which is not allowed.{fix} Allowed: {', '.join(options)}."
            )
        return text

    def integer(self, *, minimum: int | None = None) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail(f"must be a whole number; got {_kind(self.value)}.")
        if minimum is not None and self.value < minimum:
            raise self.fail(f"must be at least {minimum}; got {self.value}.")
        return int(self.value)

    def number(self, *, positive: bool = False) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail(f"must be a number; got {_kind(self.value)}.")
        if positive and not self.value > 0:
            raise self.fail(f"must be a positive number; got {self.value}.")
        return float(self.value)

    def day(self) -> date:
        """A calendar date written YYYY-MM-DD (unquoted in YAML)."""
        if isinstance(self.value, date):
            return self.value
        if isinstance(self.value, str):
            try:
                return date.fromisoformat(self.value.strip())
            except ValueError:
                pass
        raise self.fail(f"must be a date written YYYY-MM-DD; got {_kind(self.value)}.")

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"must be true or false; got {_kind(self.value)}.")
        return self.value


def read_file(path: Path) -> Node:
    """Read an indicator file; `IndicatorDefinitionError` if it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IndicatorDefinitionError(
            str(path), None, "<file>", f"cannot be read: {exc}."
        ) from exc
    return read_yaml(text, str(path))
