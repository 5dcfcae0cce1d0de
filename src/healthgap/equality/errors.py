"""User-facing errors of the equality package (all `HealthgapError` subclasses)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from healthgap.errors import HealthgapError


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: the 1-based data row (None for the whole file),
    the column, and a full-sentence description."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = "file" if self.row is None else f"row {self.row}"
        return f"{where}, column {self.column!r}: {self.message}"


class ExtractError(HealthgapError, ValueError):
    """Raised when an input extract breaks the rules; nothing of it is used.

    `problems` lists every problem found (not just the first), so the whole extract can be
    fixed in one pass; the message names the source, the count and the first few.
    """

    def __init__(self, source: str, problems: Sequence[Problem], shown: int = 10) -> None:
        self.source = source
        self.problems = list(problems)
        listed = "; ".join(str(p).rstrip(".") for p in self.problems[:shown])
        more = len(self.problems) - shown
        tail = f"; and {more} more" if more > 0 else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"The {source} was rejected whole because it has {count} {noun}: {listed}{tail}."
        )

    def report(self) -> str:
        """Every problem, one per line."""
        return "\n".join(str(p) for p in self.problems)

    def to_frame(self) -> pd.DataFrame:
        """Every problem as a table: `row` (1-based data row, blank for the whole file),
        `column`, `problem`."""
        return pd.DataFrame(
            [{"row": p.row, "column": p.column, "problem": p.message} for p in self.problems],
            columns=["row", "column", "problem"],
        )


class FrameworkError(HealthgapError, ValueError):
    """Raised when a maturity-framework YAML file is malformed; names file, line and field."""

    def __init__(self, file: str, line: int | None, field: str, problem: str) -> None:
        self.file, self.line, self.field, self.problem = file, line, field, problem
        where = file if line is None else f"{file}, line {line}"
        super().__init__(f"{where}, field {field!r}: {problem}")


class AssessmentError(HealthgapError, ValueError):
    """Raised when an assessment (EDS, maturity, EHIA) is given values its rules forbid."""
