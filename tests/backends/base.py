"""What each engine can do, declared once per backend (after Ibis's `BackendTest` classes).

Each capability is a typed attribute with a default and a docstring saying what it means. A
backend file (`duckdb.py`, `postgres.py`, `spark.py`) subclasses `BackendTest` and overrides
what differs. The spec tests read these instead of testing backend names, and known gaps are
declared as strict xfail markers with a reason (never skipped silently); none is known today.

Engines return integer counts only (numerators and denominators; rates and intervals are
computed afterwards by `healthgap.stats`), and every engine must match the reference engine
exactly, so unlike Ibis's `BackendTest` there is no floating-point tolerance to declare.
Connections are session-scoped for every backend (`tests/spec/conftest.py`).
"""

from __future__ import annotations

import pytest


class BackendTest:
    """Capabilities and test settings of one engine."""

    name: str = ""
    """Backend name as `healthgap.indicators.backends.connect` takes it."""

    xdist_group: str | None = None
    """pytest-xdist group: tests of a slow backend all run on one worker, sharing its session."""

    max_queries_per_module: int | None = None
    """Spec modules should run at most this many queries (each Spark query costs seconds)."""

    marks: tuple[str, ...] = ()
    """pytest markers put on every test of this backend (`-m "not spark"` deselects them)."""

    def unavailable(self) -> str | None:
        """Why the backend cannot run here (a message for a loud skip), or None."""
        return None

    def param(self) -> object:
        """This backend as a pytest parameter carrying its markers."""
        marks = [getattr(pytest.mark, m) for m in self.marks]
        if self.xdist_group:
            marks.append(pytest.mark.xdist_group(self.xdist_group))
        return pytest.param(self.name, marks=marks, id=self.name)
