"""Disclosure control at the output boundary, and the identifier handling behind it.

NHS number checks (`nhs_number`) and keyed pseudonyms (`pseudonymise`) live here so that the
few modules that ever see a raw identifier are easy to find (see docs/population.md).
"""

from healthgap.disclosure.nhs_number import (
    is_valid_nhs_number,
    mask_nhs_numbers,
    nhs_check_digits,
    nhs_number_mask,
    normalise_nhs_numbers,
)
from healthgap.disclosure.pseudonymise import (
    PseudonymKey,
    PseudonymKeyError,
    hmac_pseudonyms,
    load_key,
    pseudonymise_nhs_numbers,
)

__all__ = [
    "PseudonymKey",
    "PseudonymKeyError",
    "hmac_pseudonyms",
    "is_valid_nhs_number",
    "load_key",
    "mask_nhs_numbers",
    "nhs_check_digits",
    "nhs_number_mask",
    "normalise_nhs_numbers",
    "pseudonymise_nhs_numbers",
]
