"""What an import found wrong: one `Problem` per record, field, value and rule broken."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from healthgap.web.oruk.exchange.tables import TABLES

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """`record` says where (e.g. "services[0].service_at_locations[1].location" or
    "services.csv row 4"), `field` which field, `value` what it held, `rule` what is wrong.
    Errors stop the import; warnings say what was not stored and why."""

    record: str
    field: str
    value: str
    rule: str
    severity: str = ERROR

    @classmethod
    def of(cls, record: str, field: str, value: Any, rule: str, severity: str = ERROR) -> Problem:
        shown = "" if value is None else str(value)
        return cls(
            record, field, shown if len(shown) <= 200 else shown[:197] + "...", rule, severity
        )

    def __str__(self) -> str:
        value = f" = {self.value!r}" if self.value else ""
        return f"{self.severity}: {self.record}: {self.field}{value}: {self.rule}"


@dataclass
class Report:
    """All problems of one import, and what was loaded (`created`/`updated` per table)."""

    problems: list[Problem] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    loaded: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.problems.append(Problem.of(*args, **kwargs))

    def summary(self) -> str:
        """ "3 organizations created, 1 service updated" (or "nothing changed")."""
        parts = [f"{_counted(n, t)} created" for t, n in sorted(self.created.items()) if n]
        parts += [f"{_counted(n, t)} updated" for t, n in sorted(self.updated.items()) if n]
        return ", ".join(parts) or "nothing changed"


def _counted(n: int, table: str) -> str:
    """ "1 organization", "2 organizations": one record is named by its ORUK schema (singular)."""
    one = TABLES[table].schema.replace("_", " ") if table in TABLES else table
    return f"{n:,} {one if n == 1 else table.replace('_', ' ')}"
