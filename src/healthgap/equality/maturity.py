"""Maturity matrices: frameworks in YAML, self-assessment with evidence, moderation, progress.

A framework (`frameworks/*.yaml`) has levels (numbered 1..n, each with a name) and at least
three dimensions, each with a descriptor for every level:

    id: anti-racism
    name: Anti-racism framework
    description: ...
    levels:
      - {level: 1, name: Not yet started}
      ...
    dimensions:
      - id: leadership
        name: Leadership commitment
        descriptors:
          1: ...
          2: ...

Every loading problem raises `FrameworkError` naming the file, line and field. An assessment
rates every dimension at one level with at least one piece of evidence; moderation by a second
person (never the assessor) may change levels, and the moderated levels are then the ones that
count. `progress` lines assessments up over time. The radar chart is in `radar.py`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from healthgap.equality.errors import AssessmentError, FrameworkError

FRAMEWORKS_DIR = Path(__file__).with_name("frameworks")


@dataclass(frozen=True)
class Level:
    """One maturity level: its number (1 = least mature) and name."""

    number: int
    name: str


@dataclass(frozen=True)
class Dimension:
    """One dimension of a framework with a descriptor per level number."""

    id: str
    name: str
    descriptors: Mapping[int, str]


@dataclass(frozen=True)
class Framework:
    """A maturity matrix: levels x dimensions with descriptors."""

    id: str
    name: str
    description: str
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    source: str = ""

    @property
    def max_level(self) -> int:
        """The highest level number."""
        return self.levels[-1].number

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id (AssessmentError if none)."""
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise AssessmentError(f"The framework {self.id!r} has no dimension {dimension_id!r}.")


class _Reader:
    """Walks a composed YAML node tree, raising FrameworkError with file, line and field."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, node: yaml.Node | None, field: str, problem: str) -> FrameworkError:
        line = None if node is None else node.start_mark.line + 1
        return FrameworkError(self.file, line, field, problem)

    def mapping(self, node: yaml.Node, field: str, allowed: Sequence[str]) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, field or "<top>", "must be a mapping of field: value.")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            where = f"{field}.{key}" if field else key
            if key in out:
                raise self.fail(key_node, where, "is given twice.")
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise self.fail(
                    key_node, where, f"is not a known field ({', '.join(allowed)}).{hint}"
                )
            out[key] = (key_node, value_node)
        return out

    def require(self, fields: dict, parent: yaml.Node, field: str, key: str) -> yaml.Node:
        if key not in fields:
            raise self.fail(parent, f"{field}.{key}" if field else key, "is missing.")
        return fields[key][1]

    def text(self, node: yaml.Node, field: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, field, "must be non-empty text.")
        return str(node.value).strip()

    def integer(self, node: yaml.Node, field: str) -> int:
        text = self.text(node, field)
        if not text.isdigit():
            raise self.fail(node, field, f"must be a whole number, not {text!r}.")
        return int(text)

    def sequence(self, node: yaml.Node, field: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, field, "must be a non-empty list.")
        return list(node.value)


def _levels(reader: _Reader, node: yaml.Node) -> tuple[Level, ...]:
    levels = []
    for i, item in enumerate(reader.sequence(node, "levels")):
        fields = reader.mapping(item, f"levels[{i}]", ("level", "name"))
        number = reader.integer(
            reader.require(fields, item, f"levels[{i}]", "level"), f"levels[{i}].level"
        )
        if number != i + 1:
            raise reader.fail(
                item, f"levels[{i}].level", f"must be {i + 1} (levels count up from 1)."
            )
        levels.append(
            Level(
                number,
                reader.text(
                    reader.require(fields, item, f"levels[{i}]", "name"), f"levels[{i}].name"
                ),
            )
        )
    return tuple(levels)


def _dimensions(
    reader: _Reader, node: yaml.Node, levels: tuple[Level, ...]
) -> tuple[Dimension, ...]:
    dims: list[Dimension] = []
    items = reader.sequence(node, "dimensions")
    if len(items) < 3:
        raise reader.fail(
            node, "dimensions", f"needs at least 3 dimensions for a radar chart, not {len(items)}."
        )
    for i, item in enumerate(items):
        where = f"dimensions[{i}]"
        fields = reader.mapping(item, where, ("id", "name", "descriptors"))
        dim_id = reader.text(reader.require(fields, item, where, "id"), f"{where}.id")
        if any(d.id == dim_id for d in dims):
            raise reader.fail(fields["id"][1], f"{where}.id", f"{dim_id!r} is used twice.")
        name = reader.text(reader.require(fields, item, where, "name"), f"{where}.name")
        desc_node = reader.require(fields, item, where, "descriptors")
        allowed = [str(level.number) for level in levels]
        desc_fields = reader.mapping(desc_node, f"{where}.descriptors", allowed)
        missing = [n for n in allowed if n not in desc_fields]
        if missing:
            raise reader.fail(
                desc_node,
                f"{where}.descriptors",
                f"has no descriptor for level(s) {', '.join(missing)}.",
            )
        descriptors = {
            int(k): reader.text(v, f"{where}.descriptors.{k}") for k, (_, v) in desc_fields.items()
        }
        dims.append(Dimension(dim_id, name, descriptors))
    return tuple(dims)


def parse_framework(text: str, file: str = "<string>") -> Framework:
    """A framework from YAML text; `file` names it in errors."""
    reader = _Reader(file)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FrameworkError(
            file,
            None if mark is None else mark.line + 1,
            "<yaml>",
            f"is not valid YAML: {exc.problem}.",
        ) from None
    if root is None:
        raise FrameworkError(file, None, "<top>", "the file is empty.")
    fields = reader.mapping(
        root, "", ("id", "name", "description", "source", "levels", "dimensions")
    )
    levels = _levels(reader, reader.require(fields, root, "", "levels"))
    return Framework(
        id=reader.text(reader.require(fields, root, "", "id"), "id"),
        name=reader.text(reader.require(fields, root, "", "name"), "name"),
        description=reader.text(fields["description"][1], "description")
        if "description" in fields
        else "",
        levels=levels,
        dimensions=_dimensions(reader, reader.require(fields, root, "", "dimensions"), levels),
        source=reader.text(fields["source"][1], "source") if "source" in fields else "",
    )


def load_framework(path: str | Path) -> Framework:
    """Read one framework YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(
            str(path), None, "<file>", f"cannot be read: {exc.strerror}."
        ) from None
    return parse_framework(text, str(path))


def shipped_frameworks() -> dict[str, Framework]:
    """The frameworks shipped in `healthgap/equality/frameworks/`, by id."""
    found = [load_framework(p) for p in sorted(FRAMEWORKS_DIR.glob("*.yaml"))]
    return {f.id: f for f in found}


@dataclass(frozen=True)
class Rating:
    """One dimension's level with the evidence behind it."""

    dimension: str
    level: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Moderation:
    """A second person's review: who, when, the levels they agreed, and notes."""

    moderator: str
    moderated_on: date
    levels: Mapping[str, int]
    notes: str = ""


@dataclass(frozen=True)
class Assessment:
    """A self-assessment of one organisation against one framework on one date."""

    framework: Framework
    organisation: str
    assessor: str
    assessed_on: date
    ratings: tuple[Rating, ...]
    moderation: Moderation | None = None

    def levels(self) -> dict[str, int]:
        """The levels that count: the moderated ones once moderated, else self-assessed."""
        if self.moderation is not None:
            return dict(self.moderation.levels)
        return {r.dimension: r.level for r in self.ratings}


def _check_level(framework: Framework, dimension: str, level: object, problems: list[str]) -> None:
    if (
        isinstance(level, bool)
        or not isinstance(level, int)
        or not 1 <= level <= framework.max_level
    ):
        problems.append(f"{dimension}: level {level!r} is not between 1 and {framework.max_level}")


def assess(
    framework: Framework,
    organisation: str,
    assessor: str,
    assessed_on: date,
    ratings: Mapping[str, tuple[int, Sequence[str]]],
) -> Assessment:
    """A validated self-assessment: `ratings` maps every dimension id to (level, evidence).

    Raises `AssessmentError` naming every unknown or unrated dimension, out-of-range level and
    rating without evidence.
    """
    problems = []
    ids = [d.id for d in framework.dimensions]
    problems += [f"{k}: not a dimension of {framework.id!r}" for k in ratings if k not in ids]
    problems += [f"{k}: not rated" for k in ids if k not in ratings]
    if not assessor.strip():
        problems.append("the assessor is not named")
    out = []
    for dim in ids:
        if dim not in ratings:
            continue
        level, evidence = ratings[dim]
        _check_level(framework, dim, level, problems)
        items = tuple(e.strip() for e in evidence if e.strip())
        if not items:
            problems.append(f"{dim}: no evidence given")
        out.append(Rating(dim, level, items))
    if problems:
        raise AssessmentError(
            f"The self-assessment of {organisation} is not valid: {'; '.join(problems)}."
        )
    return Assessment(framework, organisation, assessor.strip(), assessed_on, tuple(out))


def moderate(
    assessment: Assessment,
    moderator: str,
    moderated_on: date,
    changes: Mapping[str, int] | None = None,
    notes: str = "",
) -> Assessment:
    """The assessment moderated by a second person, with any levels they changed.

    The moderator must not be the assessor (compared ignoring case and spaces) and moderates
    on or after the assessment date.
    """
    if moderator.strip().casefold() == assessment.assessor.casefold() or not moderator.strip():
        raise AssessmentError(
            f"Moderation needs a second person: {moderator!r} assessed this, or no one is named."
        )
    if moderated_on < assessment.assessed_on:
        raise AssessmentError(
            f"Moderation on {moderated_on} cannot come before the assessment on "
            f"{assessment.assessed_on}."
        )
    levels = {r.dimension: r.level for r in assessment.ratings}
    problems: list[str] = []
    for dim, level in (changes or {}).items():
        if dim not in levels:
            problems.append(f"{dim}: not a dimension of {assessment.framework.id!r}")
        _check_level(assessment.framework, dim, level, problems)
    if problems:
        raise AssessmentError(f"The moderation is not valid: {'; '.join(problems)}.")
    levels |= dict(changes or {})
    return replace(
        assessment, moderation=Moderation(moderator.strip(), moderated_on, levels, notes)
    )


def progress(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """Levels over time: one row per assessment date x dimension with `level` (the level that
    counts), `self_assessed`, `moderated` (bool) and `change` from the previous assessment of
    the same organisation and framework (NaN for the first)."""
    rows = []
    for a in sorted(assessments, key=lambda x: x.assessed_on):
        final = a.levels()
        for r in a.ratings:
            rows.append(
                {"framework": a.framework.id, "organisation": a.organisation,
                 "assessed_on": a.assessed_on, "dimension": r.dimension,
                 "self_assessed": r.level, "level": final[r.dimension],
                 "moderated": a.moderation is not None}
            )  # fmt: skip
    out = pd.DataFrame(
        rows,
        columns=[
            "framework",
            "organisation",
            "assessed_on",
            "dimension",
            "self_assessed",
            "level",
            "moderated",
        ],
    )
    keys = ["framework", "organisation", "dimension"]
    out["change"] = out["level"] - out.groupby(keys, sort=False)["level"].shift(1)
    return out
