"""Problem records: NHS-number-like text is masked wherever it appears."""

from __future__ import annotations

import pandas as pd

from healthgap.population.problems import PopulationImportError, Problem


def test_nhs_like_digits_are_masked_in_every_text():
    problem = Problem(
        "people", 1, "x 943-476-5919", "id 943 476 5919 and 4010232137", "r 9434765919"
    )
    assert problem.column == "x 943*****19"
    assert problem.value == "id 943*****19 and 401*****37"
    assert problem.rule == "r 943*****19"


def test_other_digit_runs_are_kept():
    problem = Problem("events", 2, "value", "123456789", "12345678901 is not 10 digits")
    assert problem.value == "123456789"
    assert problem.rule == "12345678901 is not 10 digits"


def test_long_values_are_cut():
    assert Problem("people", 1, "code", "x" * 100, "rule").value == "x" * 59 + "…"


def test_error_message_and_frame():
    problems = [
        Problem("people", None, "postcode", None, "is not a column of the people table"),
        Problem("people", 2, "sex", "X", "must be an NHS sex code"),
        Problem("people", 2, "age", "200", "must be a whole number"),
        Problem("events", 5, "date", "2030-01-01", "must be a date"),
    ]
    error = PopulationImportError(problems)
    assert str(error).startswith("The import was rejected with 4 problems in 2 rows")
    assert "people row 2, sex = 'X': must be an NHS sex code" in str(error)
    assert str(error).endswith("; and 1 more")
    assert error.offenders == [("events", 5), ("people", 2)]
    frame = error.to_frame()
    assert frame.columns.tolist() == ["table", "row", "column", "value", "rule"]
    assert frame["row"].dtype == "Int64"
    assert pd.isna(frame.loc[0, "row"])
    assert frame.loc[3, "value"] == "2030-01-01"
