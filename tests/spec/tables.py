"""Inline tables for spec tests, written as text, with `|` between columns:

    person_id | sex | birth_month | registration_start
    p1        | 2   | 1950-03     | 2000-01-01
    p2        | 1   |             | 2000-01-01        <- a blank cell is missing

`people()` and `events()` give frames with the population schema's types (as every engine
receives them); `counts()` sums a result's numerator and denominator over matching rows.
"""

from __future__ import annotations

import pandas as pd

from healthgap.indicators.backends import to_arrow
from healthgap.population.schema import EVENTS, PEOPLE


def _parse(text: str) -> pd.DataFrame:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].split("|")]
    rows = [[cell.strip() or None for cell in line.split("|")] for line in lines[1:]]
    assert all(len(row) == len(header) for row in rows), "every row needs one cell per column"
    return pd.DataFrame(rows, columns=header, dtype="object")


def people(text: str) -> pd.DataFrame:
    """A people table; lsoa21, gp_practice and registration_start default to E01000001, A00001
    and 2000-01-01 when the table has no such column."""
    frame = _parse(text)
    defaults = {"lsoa21": "E01000001", "gp_practice": "A00001", "registration_start": "2000-01-01"}
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    return to_arrow(frame, PEOPLE).to_pandas()


def events(text: str) -> pd.DataFrame:
    return to_arrow(_parse(text), EVENTS).to_pandas()


def counts(result: pd.DataFrame, **where: str) -> tuple[int, int]:
    """(numerator, denominator) summed over the rows whose columns equal `where`."""
    mask = pd.Series(True, index=result.index)
    for column, value in where.items():
        mask &= result[column] == value
    chosen = result[mask]
    return int(chosen["numerator"].sum()), int(chosen["denominator"].sum())
