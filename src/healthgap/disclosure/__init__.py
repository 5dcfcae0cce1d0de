"""Disclosure control at the output boundary, and the identifier handling behind it.

Every output that leaves an analyst's hands goes through `protect_results` (the results store)
or `protect_table` (any other table of counts with its sums): small counts hidden, the rest
rounded, complements hidden so no small count can be worked back, values of hidden counts
hidden (docs/disclosure.md). `safe_csv_cell` neutralises spreadsheet formulas in CSV exports.

NHS number checks (`nhs_number`) and keyed pseudonyms (`pseudonymise`) live here so that the
few modules that ever see a raw identifier are easy to find (see docs/population.md).
"""

from healthgap.disclosure.links import Relation
from healthgap.disclosure.nhs_number import (
    is_valid_nhs_number,
    mask_nhs_numbers,
    nhs_check_digits,
    nhs_number_mask,
    normalise_nhs_numbers,
)
from healthgap.disclosure.policy import DisclosurePolicyError, Policy, get_policy
from healthgap.disclosure.protect import protect_table
from healthgap.disclosure.pseudonymise import (
    PseudonymKey,
    PseudonymKeyError,
    hmac_pseudonyms,
    load_key,
    pseudonymise_nhs_numbers,
)
from healthgap.disclosure.results import disclosure_notes, information_loss, protect_results
from healthgap.disclosure.spreadsheet import safe_csv_cell

__all__ = [
    "DisclosurePolicyError",
    "Policy",
    "PseudonymKey",
    "PseudonymKeyError",
    "Relation",
    "disclosure_notes",
    "get_policy",
    "hmac_pseudonyms",
    "information_loss",
    "is_valid_nhs_number",
    "load_key",
    "mask_nhs_numbers",
    "nhs_check_digits",
    "nhs_number_mask",
    "normalise_nhs_numbers",
    "protect_results",
    "protect_table",
    "pseudonymise_nhs_numbers",
    "safe_csv_cell",
]
