"""Policies: NHS Digital's small-number rule (1-7 hidden, the rest rounded to 5), spreadsheet-safe
cells."""

from __future__ import annotations

import numpy as np
import pytest

from healthgap.disclosure import DisclosurePolicyError, Policy, get_policy, safe_csv_cell
from healthgap.errors import HealthgapError


def test_public_is_nhs_digital_small_numbers() -> None:
    public = get_policy("public")
    assert (public.suppress_from, public.suppress_to, public.round_to) == (1, 7, 5)
    counts = np.array([0, 1, 7, 8, 12, 13, 22, 23, np.nan])
    assert public.primary(counts).tolist() == [False, True, True] + [False] * 6
    # nearest 5: 8 -> 10, 12 -> 10, 13 -> 15, 22 -> 20, 23 -> 25; 0 stays 0
    assert public.round(counts)[[0, 3, 4, 5, 6, 7]].tolist() == [0, 10, 10, 15, 20, 25]


def test_published_interval_is_what_a_rounded_count_tells() -> None:
    low, high = get_policy("public").published_interval(np.array([0.0, 8, 12, 13, 102]))
    # 0 is exact (1 and 2 are hidden); 10 is 8..12 (3..7 hidden); 15 is 13..17; 100 is 98..102
    assert low.tolist() == [0, 8, 8, 13, 98]
    assert high.tolist() == [0, 12, 12, 17, 102]


def test_none_hides_nothing_and_unknown_policies_are_user_errors() -> None:
    none = get_policy("none")
    assert not none.primary(np.array([1.0, 3])).any()
    assert none.round(np.array([3.0, 12])).tolist() == [3, 12]
    with pytest.raises(HealthgapError, match="Unknown disclosure policy 'secret'"):
        get_policy("secret")
    custom = Policy("strict", suppress_to=9, round_to=10)
    assert get_policy(custom) is custom
    with pytest.raises(DisclosurePolicyError, match="asks for 5 possible values"):
        Policy("bad", suppress_from=1, suppress_to=3)


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+44 121", "'+44 121"), ("-1+2", "'-1+2"),
     ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Walsall 012A", "Walsall 012A"),
     (-2.5, "-2.5"), (35.0, "35"), (None, ""), (float("nan"), ""), (np.int64(-5), "-5")],
)  # fmt: skip
def test_safe_csv_cell_neutralises_formulas_but_not_numbers(value: object, cell: str) -> None:
    assert safe_csv_cell(value) == cell
