"""User-facing errors.

Every error a user can cause by giving bad input is a subclass of `HealthgapError`. The CLI
prints these as one line (class name and message) with no traceback; anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence


class HealthgapError(Exception):
    """Base of the errors a user can fix; shown without a traceback."""


class InputDataError(HealthgapError, ValueError):
    """Raised when input data break a rule (a negative count, a numerator above its denominator).

    `offenders` lists the offending rows (index labels) or groups (tuples of group values), so a
    caller can show or fix them; the message names at most the first few.
    """

    def __init__(self, message: str, offenders: Sequence[object] = ()) -> None:
        self.offenders = list(offenders)
        if self.offenders:
            shown = ", ".join(repr(o) for o in self.offenders[:5])
            more = f" and {len(self.offenders) - 5} more" if len(self.offenders) > 5 else ""
            message = f"{message} (offending: {shown}{more})"
        super().__init__(message)


class ArgumentError(HealthgapError, ValueError):
    """Raised when a function argument is invalid (a confidence of 0.5, an unknown column)."""


class DataSourceError(HealthgapError):
    """Raised when reference data cannot be found, downloaded or verified."""
