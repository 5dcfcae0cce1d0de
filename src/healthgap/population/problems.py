"""Import problems: one record per broken rule, and the error that carries all of them.

A problem report may be printed, logged or saved, so it must never hold an NHS number. Every
`Problem` masks, in each of its texts, any run of ten digits (optionally grouped 3-3-4 by
spaces or hyphens) to "943*****19", whichever column it came from; the importer also masks
the whole nhs_number column itself, including values too short or long to look like one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields

import pandas as pd

from healthgap.errors import InputDataError

_NHS_LIKE = re.compile(r"(?<![0-9])([0-9]{3})[ -]?[0-9]{3}[ -]?[0-9]{2}([0-9]{2})(?![0-9])")
MAX_CHARS = {"column": 100, "value": 60, "rule": 300}


def redact(text: str, max_chars: int) -> str:
    """Mask NHS-number-like digit runs ("943 476 5919" -> "943*****19"); cut to `max_chars`."""
    masked = _NHS_LIKE.sub(lambda m: f"{m.group(1)}*****{m.group(2)}", text)
    return masked if len(masked) <= max_chars else masked[: max_chars - 1] + "…"


@dataclass(frozen=True, slots=True)
class Problem:
    """A rule broken by one cell (row and column), one column, or the whole file.

    `row` is the 1-based data row (the header is not counted, so a spreadsheet shows it on
    line row + 1); None for a problem with the file or a column. `value` is the cell as given
    (masked where it could be an NHS number; cut to 60 characters), None for a blank cell or
    no cell.
    """

    table: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __post_init__(self) -> None:
        for name, max_chars in MAX_CHARS.items():
            text = getattr(self, name)
            if text is not None:
                object.__setattr__(self, name, redact(text, max_chars))

    def describe(self) -> str:
        """One line: "people row 3, sex = 'X': must be an NHS sex code ..."."""
        where = self.table if self.row is None else f"{self.table} row {self.row}"
        if self.column is not None:
            where += f", {self.column}"
            if self.value is not None:
                where += f" = {self.value!r}"
        return f"{where}: {self.rule}"


class PopulationImportError(InputDataError):
    """Raised when a person-level file breaks any rule; nothing was imported.

    `problems` holds every problem found (`to_frame()` for a table); the message shows the
    count and the first few; `offenders` lists the (table, row) pairs with a problem.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        rows = {(p.table, p.row) for p in self.problems if p.row is not None}
        shown = "; ".join(p.describe() for p in self.problems[:3])
        more = f"; and {len(self.problems) - 3} more" if len(self.problems) > 3 else ""
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(
            f"The import was rejected with {len(self.problems)} {noun} in {len(rows)} rows "
            f"and nothing was written: {shown}{more}"
        )
        self.offenders = sorted(rows)

    def to_frame(self) -> pd.DataFrame:
        """Problems as a table: table, row, column, value, rule."""
        columns = [f.name for f in fields(Problem)]
        frame = pd.DataFrame(
            [[getattr(p, c) for c in columns] for p in self.problems], columns=columns
        )
        return frame.astype({"row": "Int64"})
