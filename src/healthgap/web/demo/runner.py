"""Run the demo's steps in their fixed order: directory -> accounts -> action -> library -> need.

The order is this module's `STEPS`, not INSTALLED_APPS: accounts join the directory's
organisations, programmes name them, case studies name programmes. Each step runs in its own
transaction, as `SystemActor("load_demo")`, and is safe to run again (it skips what exists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction

from healthgap.web.audit.record import SystemActor
from healthgap.web.demo.data import DemoData, load_data
from healthgap.web.demo.steps import accounts, action, directory, library, need

ACTOR = SystemActor("load_demo")


class Writer(Protocol):
    """Where progress goes: a management command's `self.stdout` (one line per `write`)."""

    def write(self, msg: str) -> object: ...


@dataclass(frozen=True)
class Step:
    """One step: a name to print and `load(data, by) -> lines to print`."""

    name: str
    load: Callable[[DemoData, SystemActor], list[str]]


STEPS: tuple[Step, ...] = (
    Step("directory", directory.load),
    Step("accounts", accounts.load),
    Step("action", action.load),
    Step("library", library.load),
    Step("need", need.load),
)


def run(out: Writer, data: DemoData | None = None, by: SystemActor = ACTOR) -> None:
    """Load the demo (by default the files in `web/demo/data/`), printing each step to `out`."""
    data = data if data is not None else load_data()
    for number, step in enumerate(STEPS, start=1):
        out.write(f"Demo step {number} of {len(STEPS)}: {step.name}")
        with transaction.atomic():
            lines = step.load(data, by)
        for line in lines:
            out.write(line)
