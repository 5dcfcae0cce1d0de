"""Spreadsheet-safe CSV cells (OWASP "CSV injection"): a text cell that a spreadsheet would run
as a formula gets a leading apostrophe, so it is shown as text."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value: Any) -> str:
    """`value` as CSV cell text; text starting with = + - @ (or a tab or carriage return) gets a
    leading `'`. Numbers are written as numbers (a negative number is not a formula); None and
    NaN become empty cells."""
    if value is None or (isinstance(value, Real) and math.isnan(value)):
        return ""
    if isinstance(value, Real) and not isinstance(value, bool):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
