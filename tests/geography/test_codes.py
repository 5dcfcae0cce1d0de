"""ONS/GSS code validation: one code, a column, and property tests."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.geography.codes import (
    KINDS,
    code_kind,
    invalid_codes,
    is_code,
    validate_code,
    validate_codes,
)

GOOD = [
    ("E01000001", "lsoa"),
    ("E01033620", "lsoa21"),  # Birmingham 138A
    ("E02000001", "msoa"),
    ("E05009288", "ward"),
    ("E06000021", "lad"),  # Stoke-on-Trent (unitary)
    ("E07000192", "lad"),  # Cannock Chase (non-metropolitan district)
    ("E08000025", "lad24"),  # Birmingham (metropolitan borough)
    ("E09000001", "lad"),  # City of London (London borough)
    ("E10000028", "utla"),  # Staffordshire (county)
    ("E12000005", "region"),  # West Midlands
    ("E38000250", "sicbl"),
    ("E40000011", "nhs_region"),
    ("E54000062", "icb"),  # Black Country
    ("E92000001", "country"),  # England
    ("W01000001", "gss"),
    ("S92000003", "gss"),
]

BAD = [
    ("E0100000", "lsoa", "'E0100000' is not an LSOA code: expected E01 followed by 6 digits"),
    ("E010000011", "lsoa", "expected E01 followed by 6 digits"),
    ("E02000001", "lsoa", r"it looks like an MSOA code"),
    ("e01000001", "lsoa", r"did you mean 'E01000001'\?"),
    (" E54000062", "icb", r"did you mean 'E54000062'\?"),
    ("W01000001", "lsoa", "expected E01 followed by 6 digits"),  # Welsh LSOA: England only
    ("E10000028", "lad", "expected E06, E07, E08 or E09 followed by 6 digits"),
    ("QUA", "icb", "'QUA' is not an ICB code: expected E54 followed by 6 digits"),
    ("E0100000a", "lsoa", "expected E01"),
    ("E01\u0660\u0660\u0660\u0660\u0660\u0661", "lsoa", "expected E01"),  # Arabic-Indic digits
    ("", "lsoa", "expected E01"),
    (1000001, "lsoa", "got a value of type int, not text"),
    (None, "icb", "got a value of type NoneType, not text"),
    ("X12345678", "gss", "expected a letter E, W, S, N or K followed by 8 digits"),
]


@pytest.mark.parametrize(("code", "kind"), GOOD)
def test_valid_codes_pass_and_are_returned_unchanged(code: str, kind: str) -> None:
    assert validate_code(code, kind) == code
    assert is_code(code, kind)


@pytest.mark.parametrize(("code", "kind", "message"), BAD)
def test_invalid_codes_raise_with_the_rule(code: object, kind: str, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        validate_code(code, kind)
    assert not is_code(code, kind)


def test_unknown_kind_suggests_the_closest() -> None:
    with pytest.raises(ArgumentError, match=r"Unknown area-code kind 'lsao'; did you mean 'lsoa'"):
        validate_code("E01000001", "lsao")


def test_kind_accepts_year_suffix_and_case() -> None:
    assert code_kind("LSOA21") is KINDS["lsoa"]
    assert code_kind("icb24") is KINDS["icb"]


def test_invalid_codes_returns_offending_rows_with_their_index() -> None:
    values = pd.Series(
        ["E01000001", "E0100000", None, 5, "E02000001", "E01999999"], index=list("abcdef")
    )
    bad = invalid_codes(values, "lsoa")
    assert list(bad.index) == ["b", "c", "d", "e"]


def test_invalid_codes_can_allow_missing_and_reads_string_and_numeric_dtypes() -> None:
    text = pd.Series(["E01000001", None, "x"], dtype="str")
    assert list(invalid_codes(text, "lsoa", allow_missing=True).index) == [2]
    assert list(invalid_codes(text, "lsoa").index) == [1, 2]
    numbers = pd.Series([1000001, 1000002])
    assert list(invalid_codes(numbers, "lsoa").index) == [0, 1]


def test_invalid_codes_accepts_polars_and_plain_lists() -> None:
    assert list(invalid_codes(pl.Series(["E54000062", "QUA"]), "icb")) == ["QUA"]
    assert list(invalid_codes(["E12000005", "E12"], "region")) == ["E12"]


def test_validate_codes_names_rows_and_column() -> None:
    values = pd.Series(["E01000001", "E0100000", "E02000001"])
    with pytest.raises(
        InputDataError,
        match=r"2 of 3 values in column 'lsoa' are not valid: each must be an LSOA code "
        r"\(E01 followed by 6 digits\) \(offending: \"row 1: 'E0100000'\", \"row 2: 'E02000001'\"",
    ) as caught:
        validate_codes(values, "lsoa", column="lsoa")
    assert caught.value.offenders == ["row 1: 'E0100000'", "row 2: 'E02000001'"]


def test_validate_codes_passes_a_clean_column_and_a_generator() -> None:
    validate_codes((f"E0100000{k}" for k in range(1, 10)), "lsoa")


@given(st.text(max_size=20) | st.integers() | st.none() | st.floats())
def test_any_value_either_validates_or_raises_argument_error(value: object) -> None:
    for kind in KINDS:
        try:
            assert validate_code(value, kind) == value
        except ArgumentError as exc:
            assert "code: expected" in str(exc)


@given(st.from_regex(r"E0[12][0-9]{6}", fullmatch=True))
def test_codes_matching_the_pattern_pass(code: str) -> None:
    kind = "lsoa" if code.startswith("E01") else "msoa"
    assert validate_code(code, kind) == code


@given(st.lists(st.one_of(st.text(max_size=12), st.from_regex(r"E54[0-9]{6}", fullmatch=True))))
def test_vectorised_check_agrees_with_the_scalar_check(values: list[str]) -> None:
    bad = invalid_codes(values, "icb")
    expected = [i for i, value in enumerate(values) if not is_code(value, "icb")]
    assert list(bad.index) == expected
