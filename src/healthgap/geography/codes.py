"""ONS/GSS area-code validation (England), one code at a time or a whole column at once.

A GSS code is 9 characters: a 3-character entity code (a country letter and two digits) then
6 digits; codes are never reused and carry no hierarchy (standards.md §5.5; ONS Code History
Database). Kinds here are England's entities (`E..`); `gss` accepts any UK code (E, W, S, N or
K then 8 digits). NHS ODS codes (`QUA` for an ICB, `15E` for a sub-ICB location) are not GSS
codes and fail these checks.

A kind may carry a two-digit year suffix (`lsoa21`, `icb24`): codes do not encode a vintage,
so `lsoa21` and `lsoa11` check the same pattern. Digits are ASCII 0-9 only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from healthgap.errors import ArgumentError, InputDataError


@dataclass(frozen=True)
class CodeKind:
    """One kind of area code: `name` (e.g. "lsoa"), what it is, and its entity prefixes."""

    name: str
    label: str
    description: str
    prefixes: tuple[str, ...]

    @property
    def expected(self) -> str:
        """The rule in words: "E01 followed by 6 digits"."""
        if not self.prefixes:
            return "a letter E, W, S, N or K followed by 8 digits"
        listed = self.prefixes[0]
        if len(self.prefixes) > 1:
            listed = ", ".join(self.prefixes[:-1]) + f" or {self.prefixes[-1]}"
        return f"{listed} followed by 6 digits"

    @property
    def pattern(self) -> str:
        """The regular expression a whole code must match."""
        if not self.prefixes:
            return r"[EWSNK][0-9]{8}"
        return f"(?:{'|'.join(self.prefixes)})[0-9]{{6}}"


KINDS: dict[str, CodeKind] = {
    kind.name: kind
    for kind in (
        CodeKind("oa", "an output area", "Output Area", ("E00",)),
        CodeKind("lsoa", "an LSOA", "Lower layer Super Output Area", ("E01",)),
        CodeKind("msoa", "an MSOA", "Middle layer Super Output Area", ("E02",)),
        CodeKind("ward", "a ward", "electoral ward or division", ("E05",)),
        CodeKind(
            "lad",
            "a local authority district",
            "local authority district (unitary, non-metropolitan, metropolitan, London borough)",
            ("E06", "E07", "E08", "E09"),
        ),
        CodeKind(
            "utla",
            "an upper-tier local authority",
            "upper-tier local authority (unitary, metropolitan, London borough, county)",
            ("E06", "E08", "E09", "E10"),
        ),
        CodeKind("county", "a county", "county", ("E10",)),
        CodeKind("region", "a region", "region (former Government Office Region)", ("E12",)),
        CodeKind(
            "constituency", "a constituency", "Westminster parliamentary constituency", ("E14",)
        ),
        CodeKind("sicbl", "a sub-ICB location", "sub-ICB location (former CCG)", ("E38",)),
        CodeKind("nhs_region", "an NHS England region", "NHS England region", ("E40",)),
        CodeKind("icb", "an ICB", "Integrated Care Board", ("E54",)),
        CodeKind("cancer_alliance", "a cancer alliance", "cancer alliance", ("E56",)),
        CodeKind("country", "a country", "country", ("E92",)),
        CodeKind("gss", "a GSS", "any UK GSS code", ()),
    )
}


def code_kind(kind: str | CodeKind) -> CodeKind:
    """The CodeKind for `kind` ("lsoa", "lsoa21", "ICB", ...); ArgumentError if unknown."""
    if isinstance(kind, CodeKind):
        return kind
    key = re.sub(r"[0-9]{2}$", "", str(kind).strip().lower())
    if key in KINDS:
        return KINDS[key]
    close = difflib.get_close_matches(key, list(KINDS), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ArgumentError(f"Unknown area-code kind {kind!r}{hint} Known kinds: {', '.join(KINDS)}.")


def is_code(code: Any, kind: str | CodeKind) -> bool:
    """True when `code` is a string that is a valid code of `kind`."""
    spec = code_kind(kind)
    return isinstance(code, str) and re.fullmatch(spec.pattern, code) is not None


def validate_code(code: Any, kind: str | CodeKind) -> str:
    """Return `code` if it is a valid code of `kind`, else raise ArgumentError saying why.

    >>> validate_code("E01000001", "lsoa")
    'E01000001'

    "E0100000" gives "'E0100000' is not an LSOA code: expected E01 followed by 6 digits".
    Lower case or stray spaces are not corrected, but the message suggests the fix.
    """
    spec = code_kind(kind)
    if is_code(code, spec):
        return code
    raise ArgumentError(
        f"{code!r} is not {spec.label} code: expected {spec.expected}{_hint(code, spec)}"
    )


def invalid_codes(
    values: Iterable[Any], kind: str | CodeKind, *, allow_missing: bool = False
) -> pd.Series:
    """The entries of `values` that are not valid codes of `kind` (index kept), vectorised.

    `values` may be a pandas or polars Series or any sequence. Missing values (None/NaN/NA)
    count as invalid unless `allow_missing`; so do non-strings.
    """
    spec = code_kind(kind)
    series = _as_series(values)
    if pd.api.types.is_string_dtype(series) or series.dtype == object:
        matched = series.str.fullmatch(spec.pattern)
        ok = matched.astype("boolean").fillna(False).to_numpy(dtype=bool)
    else:
        ok = pd.Series(False, index=series.index).to_numpy()
    if allow_missing:
        ok |= series.isna().to_numpy()
    return series[~ok]


def validate_codes(
    values: Iterable[Any],
    kind: str | CodeKind,
    *,
    allow_missing: bool = False,
    column: str | None = None,
) -> None:
    """Raise InputDataError naming every row of `values` that is not a valid code of `kind`."""
    spec = code_kind(kind)
    series = _as_series(values)
    bad = invalid_codes(series, spec, allow_missing=allow_missing)
    if len(bad):
        where = f" in column {column!r}" if column else ""
        verb = "is" if len(bad) == 1 else "are"
        raise InputDataError(
            f"{len(bad)} of {len(series)} values{where} {verb} not valid: each must"
            f" be {spec.label} code ({spec.expected})",
            offenders=[f"row {index}: {value!r}" for index, value in bad.items()],
        )


def _as_series(values: Iterable[Any]) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if type(values).__module__.startswith("polars"):
        return values.to_pandas()  # type: ignore[attr-defined]
    return pd.Series(list(values), dtype=object)


def _hint(code: Any, spec: CodeKind) -> str:
    """A suggestion when a near-miss is valid (case, spaces) or is a code of another kind."""
    if not isinstance(code, str):
        return f" (got a value of type {type(code).__name__}, not text)"
    cleaned = re.sub(r"\s+", "", code).upper()
    if cleaned != code and is_code(cleaned, spec):
        return f"; did you mean {cleaned!r}?"
    for other in KINDS.values():
        if other.prefixes and is_code(cleaned, other):
            return f" (it looks like {other.label} code)"
    return ""
