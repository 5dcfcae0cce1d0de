"""Column checks for person-level imports: each parser turns a column of text into typed values
and says which rows break which rule.

A parser takes the column as a pyarrow string array (blank cells already null) and a
`ParseContext`, and returns `Parsed`: the typed values (null where missing or bad) and a list
of (mask, rule) failures. Missing values are never a failure here; the importer reports blanks
in required columns itself. Rules are phrased to follow the column name in a report ("sex:
must be ..."). Everything works on whole arrays (pyarrow compute), one batch at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthgap.disclosure.nhs_number import nhs_number_mask, normalised_array
from healthgap.disclosure.pseudonymise import PseudonymKey, hmac_pseudonyms
from healthgap.population.schema import (
    CODE_PATTERN,
    EARLIEST_DATE,
    ETHNIC_CATEGORY_PATTERN,
    ETHNICITY_ALIASES,
    ETHNICITY_NOT_KNOWN,
    GP_PRACTICE_PATTERN,
    LSOA21_PATTERN,
    MAX_AGE,
    MAX_TEXT_CHARS,
    PERSON_ID_PATTERN,
    SEX_ALIASES,
    SEX_CODES,
)

Failure = tuple[np.ndarray, str]


@dataclass(frozen=True)
class ParseContext:
    """What the checks need besides the column: the import day and the pseudonym key."""

    today: date
    key: PseudonymKey | None = None


@dataclass(frozen=True)
class Parsed:
    """A checked column: typed values (null where blank or bad) and (row mask, rule) failures."""

    values: pa.Array
    failures: list[Failure] = field(default_factory=list)


def _numpy(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False).astype(bool)


def present(values: pa.Array) -> np.ndarray:
    """True where the cell is not blank."""
    return _numpy(pc.is_valid(values))


def _fullmatch(values: pa.Array, pattern: str) -> np.ndarray:
    return _numpy(pc.match_substring_regex(values, f"^(?:{pattern})$"))


def _keep(values: pa.Array, ok: np.ndarray) -> pa.Array:
    """Values where `ok`, null elsewhere."""
    return pc.if_else(pa.array(ok, pa.bool_()), values, pa.scalar(None, values.type))


def _pattern(values: pa.Array, pattern: str, rule: str) -> Parsed:
    ok = _fullmatch(values, pattern)
    return Parsed(_keep(values, ok), [(present(values) & ~ok, rule)])


def _recode(values: pa.Array, aliases: dict[str, str]) -> pa.Array:
    """Upper-case, then replace whole values found in `aliases`."""
    upper = pc.utf8_upper(values)
    for alias, code in aliases.items():
        upper = pc.if_else(pc.equal(upper, alias), code, upper)
    return upper


def parse_nhs_number(values: pa.Array, context: ParseContext) -> Parsed:
    """Modulus 11 check, then the keyed pseudonym (the number itself goes no further)."""
    if context.key is None:
        raise ValueError("parse_nhs_number needs a pseudonym key in the context.")
    ok = nhs_number_mask(values)
    pseudonyms = hmac_pseudonyms(_keep(normalised_array(values), ok), context.key)
    rule = "must be a valid NHS number (10 digits with a correct Modulus 11 check digit)"
    return Parsed(pseudonyms, [(present(values) & ~ok, rule)])


def parse_person_id(values: pa.Array, context: ParseContext) -> Parsed:
    """A given pseudonym; one that is a valid NHS number breaks only that (louder) rule."""
    nhs = nhs_number_mask(values)
    ok = _fullmatch(values, PERSON_ID_PATTERN) & ~nhs
    pattern_rule = "must be 1–64 printable characters, no spaces"
    nhs_rule = "must not be an NHS number (give it as nhs_number, so that it is pseudonymised)"
    return Parsed(
        _keep(values, ok), [(present(values) & ~ok & ~nhs, pattern_rule), (nhs, nhs_rule)]
    )


def parse_sex(values: pa.Array, context: ParseContext) -> Parsed:
    codes = "|".join(SEX_CODES)
    return _pattern(
        _recode(values, SEX_ALIASES), codes, "must be an NHS sex code: 1, 2, 9 or 0 (or M, F)"
    )


def parse_age(values: pa.Array, context: ParseContext) -> Parsed:
    digits = _fullmatch(values, "[0-9]{1,3}")
    ages = pc.cast(_keep(values, digits), pa.int16())
    ok = digits & _numpy(pc.less_equal(ages, MAX_AGE))
    rule = f"must be a whole number of years from 0 to {MAX_AGE}"
    return Parsed(_keep(ages, ok), [(present(values) & ~ok, rule)])


def _iso_dates(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Parse YYYY-MM-DD; a date that does not exist (2023-02-30) is not accepted."""
    shaped = _keep(values, _fullmatch(values, "[0-9]{4}-[0-9]{2}-[0-9]{2}"))
    stamps = pc.strptime(shaped, format="%Y-%m-%d", unit="s", error_is_null=True)
    round_trip = _numpy(pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), shaped))
    return _keep(pc.cast(stamps, pa.date32()), round_trip), round_trip


def _in_range(dates: pa.Array, context: ParseContext) -> np.ndarray:
    earliest = pa.scalar(EARLIEST_DATE, pa.date32())
    latest = pa.scalar(context.today, pa.date32())
    return _numpy(pc.and_(pc.greater_equal(dates, earliest), pc.less_equal(dates, latest)))


def parse_date(values: pa.Array, context: ParseContext) -> Parsed:
    dates, ok = _iso_dates(values)
    ok &= _in_range(dates, context)
    rule = f"must be a date YYYY-MM-DD from {EARLIEST_DATE} to the import day ({context.today})"
    return Parsed(_keep(dates, ok), [(present(values) & ~ok, rule)])


def parse_birth_month(values: pa.Array, context: ParseContext) -> Parsed:
    """YYYY-MM, or a full date YYYY-MM-DD whose day is checked and then dropped."""
    month = _fullmatch(values, "[0-9]{4}-(0[1-9]|1[0-2])")
    full = pc.if_else(
        pa.array(month, pa.bool_()), pc.binary_join_element_wise(values, "01", "-"), values
    )
    dates, ok = _iso_dates(full)
    ok &= _in_range(dates, context)
    months = pc.utf8_slice_codeunits(pc.strftime(dates, format="%Y-%m-%d"), 0, 7)
    first = f"{EARLIEST_DATE:%Y-%m}"
    rule = f"must be a month YYYY-MM (or a date YYYY-MM-DD) from {first} to the import month"
    return Parsed(_keep(months, ok), [(present(values) & ~ok, rule)])


def parse_ethnicity(values: pa.Array, context: ParseContext) -> Parsed:
    """NHS ethnic category; blank becomes 99 (not known) and HES's X becomes 99."""
    coded = _recode(pc.fill_null(values, ETHNICITY_NOT_KNOWN), ETHNICITY_ALIASES)
    rule = "must be an NHS ethnic category code (A–H, J–N, P, R, S or Z, optionally followed by "
    rule += "one local character, or 99)"
    return _pattern(coded, ETHNIC_CATEGORY_PATTERN, rule)


def parse_lsoa21(values: pa.Array, context: ParseContext) -> Parsed:
    rule = "must be an English LSOA 2021 code: E01 then 6 digits"
    return _pattern(pc.utf8_upper(values), LSOA21_PATTERN, rule)


def parse_gp_practice(values: pa.Array, context: ParseContext) -> Parsed:
    rule = "must be a GP practice ODS code: a letter then 5 digits (M85001)"
    return _pattern(pc.utf8_upper(values), GP_PRACTICE_PATTERN, rule)


def parse_text(values: pa.Array, context: ParseContext) -> Parsed:
    ok = _numpy(pc.less_equal(pc.utf8_length(values), MAX_TEXT_CHARS))
    rule = f"must be at most {MAX_TEXT_CHARS} characters"
    return Parsed(_keep(values, ok), [(present(values) & ~ok, rule)])


def parse_code(values: pa.Array, context: ParseContext) -> Parsed:
    return _pattern(values, CODE_PATTERN, f"must be 1–{MAX_TEXT_CHARS} characters, no spaces")


def parse_number(values: pa.Array, context: ParseContext) -> Parsed:
    shaped = _fullmatch(values, r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
    numbers = pc.cast(_keep(values, shaped), pa.float64())
    ok = shaped & _numpy(pc.is_finite(numbers))
    return Parsed(_keep(numbers, ok), [(present(values) & ~ok, "must be a finite number")])


Parser = Callable[[pa.Array, ParseContext], Parsed]

PARSERS: dict[str, Parser] = {
    "nhs_number": parse_nhs_number,
    "person_id": parse_person_id,
    "sex": parse_sex,
    "age": parse_age,
    "birth_month": parse_birth_month,
    "ethnicity": parse_ethnicity,
    "lsoa21": parse_lsoa21,
    "gp_practice": parse_gp_practice,
    "date": parse_date,
    "text": parse_text,
    "code": parse_code,
    "number": parse_number,
}


@dataclass(frozen=True)
class RowFailure:
    """A rule across columns, broken by the rows in `mask`; reported against `column`."""

    mask: np.ndarray
    column: str
    rule: str


def people_row_rules(raw: dict[str, pa.Array], parsed: dict[str, pa.Array]) -> list[RowFailure]:
    """People rules across columns: an age or a birth month; registration dates in order.

    A file with neither an age nor a birth_month column gets one file-level problem from the
    importer instead of one a row.
    """
    failures = []
    given = [raw[name] for name in ("age", "birth_month") if name in raw]
    if given:
        blank = ~np.logical_or.reduce([present(values) for values in given])
        failures.append(RowFailure(blank, "age", "age or birth_month must be given"))
    start, end = parsed["registration_start"], parsed["registration_end"]
    failures.append(
        RowFailure(
            _numpy(pc.less(end, start)), "registration_end", "must not be before registration_start"
        )
    )
    birth = pc.strptime(
        pc.binary_join_element_wise(parsed["birth_month"], "01", "-"), format="%Y-%m-%d", unit="s"
    )
    before_birth = _numpy(pc.less(pc.cast(start, pa.timestamp("s")), birth))
    failures.append(
        RowFailure(before_birth, "registration_start", "must not be before birth_month")
    )
    return failures


ROW_RULES: dict[str, Callable[[dict[str, pa.Array], dict[str, pa.Array]], list[RowFailure]]] = {
    "people": people_row_rules,
}
