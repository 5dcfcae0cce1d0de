"""NHS number checks: normalisation, the Modulus 11 check digit, and masking for reports.

An NHS number has 10 digits; the 10th is a check digit over the first nine:

    total = 10·d1 + 9·d2 + 8·d3 + 7·d4 + 6·d5 + 5·d6 + 4·d7 + 3·d8 + 2·d9
    check = 11 − (total mod 11); a check of 11 becomes 0; a check of 10 means the stem has no
    valid number; otherwise the number is valid iff check == d10.

Example: 943 476 5919 has total 299, 299 mod 11 = 2, 11 − 2 = 9 = d10, so it is valid.
Numbers whose ten digits are all the same (0000000000, 1111111111, ...) pass the arithmetic
(d · 54 ≡ −d mod 11, so the check digit of ddddddddd is d) but are never issued; they are
rejected unless `reject_repeated=False`.

References
----------
NHS Digital, *NHS Number* (Data Dictionary data element) and the Modulus 11 algorithm as
documented in the NHS Number validation guidance; see standards.md §5.3.

Everything here is vectorised: it takes a pandas Series, numpy array or list of strings and
works on whole columns. No function logs or echoes a number; `mask_nhs_numbers` gives the
only form that may appear in a message or report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

WEIGHTS = np.arange(10, 1, -1)
"""Modulus 11 weights for digits 1–9: 10, 9, 8, 7, 6, 5, 4, 3, 2."""

Strings = pd.Series | np.ndarray | pa.Array | Sequence[str | None]


def normalised_array(values: Strings) -> pa.Array:
    """Strip spaces and hyphens ("943 476 5919" -> "9434765919"), as a pyarrow string array.

    Non-string input is converted with `str`, so an integer column loses any leading zeros:
    keep NHS numbers as text. Missing values stay missing.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array(pd.Series(values, dtype=object).astype("str"), pa.string())
    return pc.replace_substring_regex(values.cast(pa.string()), r"[\s-]", "")


def normalise_nhs_numbers(values: Strings) -> pd.Series:
    """`normalised_array` as a string Series, with the input's index if it is a Series."""
    return _series(normalised_array(values), values)


def _series(result: pa.Array, values: Strings) -> pd.Series:
    """`result` as a string Series, indexed like `values` if that is a Series."""
    series = pd.Series(result.to_pandas(), dtype="str")
    if isinstance(values, pd.Series):
        series.index = values.index
    return series


def _digit_matrix(digit_strings: pa.Array, width: int) -> np.ndarray:
    """(n, width) int64 digits of strings already known to be exactly `width` ASCII digits."""
    joined = "".join(digit_strings.to_pylist()).encode("ascii")
    return (np.frombuffer(joined, dtype=np.uint8).reshape(-1, width) - ord("0")).astype(np.int64)


def _fullmatch(values: pa.Array, pattern: str) -> np.ndarray:
    matched = pc.match_substring_regex(values, f"^(?:{pattern})$")
    return pc.fill_null(matched, False).to_numpy(zero_copy_only=False).astype(bool)


def nhs_check_digits(stems: Strings) -> np.ndarray:
    """Modulus 11 check digit for each 9-digit stem: 0–9, or 10 where no valid number exists.

    Raises `ValueError` if a stem is not exactly nine digits. Used to build valid numbers (e.g.
    for synthetic data): `stem + str(check)` where check < 10.
    """
    digits = normalised_array(stems)
    if not _fullmatch(digits, "[0-9]{9}").all():
        raise ValueError("Every NHS number stem must be exactly nine digits.")
    return (11 - (_digit_matrix(digits, 9) @ WEIGHTS) % 11) % 11


def nhs_number_mask(values: Strings, *, reject_repeated: bool = True) -> np.ndarray:
    """Boolean mask: True where the value is a valid NHS number (Modulus 11).

    Spaces and hyphens are ignored ("943 476 5919" is valid); anything else that is not
    exactly ten ASCII digits, a missing value, a stem whose check digit would be 10, a wrong
    check digit and (unless `reject_repeated=False`) ten identical digits give False.
    """
    normalised = normalised_array(values)
    shaped = _fullmatch(normalised, "[0-9]{10}")
    valid = np.zeros(len(normalised), dtype=bool)
    if not shaped.any():
        return valid
    digits = _digit_matrix(normalised.filter(pa.array(shaped)), 10)
    check = (11 - (digits[:, :9] @ WEIGHTS) % 11) % 11  # 11 - 0 = 11 becomes 0
    ok = (check != 10) & (check == digits[:, 9])
    if reject_repeated:
        ok &= ~(digits == digits[:, :1]).all(axis=1)
    valid[shaped] = ok
    return valid


def is_valid_nhs_number(value: str, *, reject_repeated: bool = True) -> bool:
    """Scalar form of `nhs_number_mask`."""
    return bool(nhs_number_mask([value], reject_repeated=reject_repeated)[0])


def masked_array(values: Strings) -> pa.Array:
    """The form of an NHS number (or a would-be one) that may be shown: "943*****19".

    After removing spaces and hyphens, a value of 8 or more characters keeps its first three
    and last two characters with the rest starred; a shorter one is all stars (so a 5-digit
    typo does not reveal most of itself). Missing stays missing.
    """
    normalised = normalised_array(values)
    lengths = pc.utf8_length(normalised)
    masked = pa.nulls(len(normalised), pa.string())
    for length in pc.unique(lengths).drop_null().to_pylist():  # a few distinct lengths
        this = pc.equal(lengths, length)
        if length >= 8:
            stars = pc.binary_join_element_wise(
                pc.utf8_slice_codeunits(normalised, 0, 3),
                "*" * (length - 5),
                pc.utf8_slice_codeunits(normalised, length - 2, length),
                "",
            )
        else:
            stars = pa.scalar("*" * length)
        masked = pc.if_else(this, stars, masked)
    return masked


def mask_nhs_numbers(values: Strings) -> pd.Series:
    """`masked_array` as a string Series, with the input's index if it is a Series."""
    return _series(masked_array(values), values)
