"""The person-level tables: people (one row a person) and events (one row an event for a person).

This module only describes the tables (names, types, code sets, patterns); the checks that
apply them are in `population.rules`, the import in `population.importer`. docs/population.md
has the same tables in prose. Bump `SCHEMA_VERSION` whenever a column or rule changes meaning.

Code sets and patterns (standards.md §5.1, §5.5):
- sex: NHS Data Dictionary "Person stated gender code" values 1 male, 2 female,
  9 indeterminate (unable to be classified), 0 not known; M and F are accepted for 1 and 2.
- ethnicity: NHS Data Dictionary "Ethnic category" (2001 census based, "16+1"): national
  codes A–H, J–N, P, R, S, Z (not stated) and 99 (not known), format an2 (an optional second
  character is for local sub-codes); see `population.ethnicity` for the groupings.
- lsoa21: an English 2021 Lower layer Super Output Area, GSS code E01 + 6 digits. This is a
  pattern check only; whether the code exists is for `healthgap.geography`.
- gp_practice: an NHS ODS GP practice code, a letter then five digits (M85001).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa

SCHEMA_VERSION = "1"

SEX_CODES: dict[str, str] = {"1": "Male", "2": "Female", "9": "Indeterminate", "0": "Not known"}
SEX_ALIASES: dict[str, str] = {"M": "1", "F": "2"}

ETHNIC_CATEGORY_PATTERN = r"[A-HJ-NPRSZ][A-Z0-9]?|99"
"""National code first (A–H, J–N, P, R, S, Z), then an optional local character; or 99."""
ETHNICITY_NOT_KNOWN = "99"
ETHNICITY_ALIASES: dict[str, str] = {"X": ETHNICITY_NOT_KNOWN}
"""HES writes "not known" as X; it is stored as the Data Dictionary's 99."""

LSOA21_PATTERN = r"E01[0-9]{6}"
GP_PRACTICE_PATTERN = r"[A-Z][0-9]{5}"
PERSON_ID_PATTERN = r"[!-~]{1,64}"
"""1–64 printable ASCII characters, no spaces (a pseudonym, never an NHS number)."""
CODE_PATTERN = r"\S{1,64}"
MAX_TEXT_CHARS = 64
MAX_AGE = 125
EARLIEST_DATE = date(1880, 1, 1)
"""No date (birth, registration, event) may be earlier; none may be later than the import day."""

ID_COLUMNS = ("nhs_number", "person_id")
"""Each file identifies people by exactly one of these; nhs_number becomes person_id."""


@dataclass(frozen=True)
class Column:
    """One column of a person-level table.

    `kind` names the check in `population.rules.PARSERS`. `required` columns must be in the file
    and non-blank in every row. Input-only columns (`in_output=False`, i.e. nhs_number) are
    read and checked but never written.
    """

    name: str
    kind: str
    arrow_type: pa.DataType
    description: str
    required: bool = False
    in_output: bool = True


@dataclass(frozen=True)
class Table:
    """A person-level table: its columns and the rules about which columns a file must have."""

    name: str
    columns: tuple[Column, ...]
    at_least_one_of: tuple[str, ...] = ()
    """A file must have at least one of these columns, and each row a value in one of them."""
    must_be_unique: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.name}.parquet"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def output_schema(self) -> pa.Schema:
        """Arrow schema of the written Parquet file (input-only columns left out)."""
        return pa.schema([pa.field(c.name, c.arrow_type) for c in self.columns if c.in_output])


NHS_NUMBER = Column(
    "nhs_number",
    "nhs_number",
    pa.string(),
    "10-digit NHS number (spaces/hyphens allowed); checked (Modulus 11) and replaced by "
    "person_id = keyed HMAC pseudonym at import. Never written.",
    required=True,
    in_output=False,
)
PERSON_ID = Column(
    "person_id",
    "person_id",
    pa.string(),
    "Pseudonymous person identifier (32 hex characters when made from an NHS number).",
    required=True,
)

PEOPLE = Table(
    "people",
    (
        PERSON_ID,
        NHS_NUMBER,
        Column("sex", "sex", pa.string(), "NHS sex code 1, 2, 9 or 0 (M/F accepted).", True),
        Column("age", "age", pa.int16(), f"Age in whole years, 0–{MAX_AGE}."),
        Column(
            "birth_month", "birth_month", pa.string(), "Month of birth YYYY-MM (a day is dropped)."
        ),
        Column("ethnicity", "ethnicity", pa.string(), "NHS ethnic category code; blank = 99."),
        Column("lsoa21", "lsoa21", pa.string(), "LSOA 2021 code of residence, E01 + 6 digits."),
        Column("gp_practice", "gp_practice", pa.string(), "ODS code of the registered practice."),
        Column("registration_start", "date", pa.date32(), "Start of GP registration."),
        Column("registration_end", "date", pa.date32(), "End of GP registration; blank = current."),
    ),
    at_least_one_of=("age", "birth_month"),
    must_be_unique=("person_id",),
)

EVENTS = Table(
    "events",
    (
        PERSON_ID,
        NHS_NUMBER,
        Column("event_type", "text", pa.string(), "Kind of event (diagnosis, admission...).", True),
        Column("code", "code", pa.string(), "Clinical code (SNOMED CT, ICD-10...), no spaces."),
        Column("date", "date", pa.date32(), "Date of the event, YYYY-MM-DD.", True),
        Column("value", "number", pa.float64(), "Optional numeric value (a measurement)."),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (PEOPLE, EVENTS)}
