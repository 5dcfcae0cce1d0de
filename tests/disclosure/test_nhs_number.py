"""NHS number Modulus 11 checks (standards.md §5.3), masking and normalisation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from healthgap.disclosure.nhs_number import (
    is_valid_nhs_number,
    mask_nhs_numbers,
    nhs_check_digits,
    nhs_number_mask,
    normalise_nhs_numbers,
)

# 943 476 5919, the worked example in standards.md §5.3:
# 9·10 + 4·9 + 3·8 + 4·7 + 7·6 + 6·5 + 5·4 + 9·3 + 1·2 = 90+36+24+28+42+30+20+27+2 = 299;
# 299 = 27·11 + 2, so 11 − 2 = 9, which is the 10th digit.
PUBLISHED = "9434765919"
# 401 023 213?: 4·10 + 0·9 + 1·8 + 0·7 + 2·6 + 3·5 + 2·4 + 1·3 + 3·2 = 40+8+12+15+8+3+6 = 92;
# 92 = 8·11 + 4, so the check digit is 11 − 4 = 7.
BY_HAND = "4010232137"
# 200 000 001?: 2·10 + 1·2 = 22 = 2·11 + 0, so 11 − 0 = 11, which becomes check digit 0.
CHECK_ELEVEN = "2000000010"
# 010 000 000?: 1·9 = 9, 11 − 9 = 2 (a leading zero, as in Scottish CHI-range numbers).
LEADING_ZERO = "0100000002"
# 000 000 300?: 3·4 = 12 = 11 + 1, so 11 − 1 = 10: no number with this stem is valid.
STEM_CHECK_TEN = "000000300"


def test_published_and_hand_derived_numbers_are_valid():
    values = [PUBLISHED, BY_HAND, CHECK_ELEVEN, LEADING_ZERO]
    assert nhs_number_mask(values).tolist() == [True, True, True, True]


def test_formatted_numbers_are_valid():
    assert nhs_number_mask(["943 476 5919", "943-476-5919", " 9434765919 "]).all()


@pytest.mark.parametrize(
    "value",
    [
        "9434765918",  # wrong check digit (9 expected)
        "4010232136",  # wrong check digit (7 expected)
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "943476591X",  # a letter
        "943.476.5919",  # dots are not separators
        "９４３４７６５９１９",  # full-width digits are not ASCII digits
        "",
        "0000000000",  # passes Modulus 11 (check 11 -> 0) but is never issued
        "1111111111",  # 1·(10+9+...+2) = 54 = 4·11 + 10; 11 − 10 = 1: passes, never issued
    ],
)
def test_invalid_numbers(value):
    assert not is_valid_nhs_number(value)


def test_check_digit_ten_means_no_valid_number():
    assert not nhs_number_mask([STEM_CHECK_TEN + str(d) for d in range(10)]).any()
    assert nhs_check_digits([STEM_CHECK_TEN]).tolist() == [10]


def test_repeated_digits_can_be_allowed():
    assert nhs_number_mask(["0000000000", "1111111111"], reject_repeated=False).all()


def test_missing_values_are_invalid_and_input_kinds_agree():
    values = [PUBLISHED, None, "9434765918"]
    expected = [True, False, False]
    assert nhs_number_mask(values).tolist() == expected
    assert nhs_number_mask(np.array(values, dtype=object)).tolist() == expected
    assert nhs_number_mask(pd.Series(values, index=[7, 8, 9])).tolist() == expected
    assert nhs_number_mask([]).tolist() == []


def test_check_digits_of_stems():
    assert nhs_check_digits(["943476591", "401023213", "200000001"]).tolist() == [9, 7, 0]
    with pytest.raises(ValueError, match="exactly nine digits"):
        nhs_check_digits(["94347659"])


def test_normalise_keeps_the_index():
    result = normalise_nhs_numbers(pd.Series(["943 476-5919", None], index=["a", "b"]))
    assert result.index.tolist() == ["a", "b"]
    assert result.iloc[0] == PUBLISHED
    assert pd.isna(result.iloc[1])


def test_mask_shows_only_first_three_and_last_two():
    masked = mask_nhs_numbers(["943 476 5919", "94347659", "12345", None])
    assert masked.tolist()[:3] == ["943*****19", "943***59", "*****"]
    assert pd.isna(masked.iloc[3])


def _check_digit(stem: str) -> int:
    """Independent oracle: weights 10..2 written out, 11 − (sum mod 11), 11 -> 0."""
    total = sum(int(d) * w for d, w in zip(stem, [10, 9, 8, 7, 6, 5, 4, 3, 2], strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else check


stems = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(stems)
def test_stem_plus_its_check_digit_is_valid_unless_ten(stem):
    check = _check_digit(stem)
    assert nhs_check_digits([stem]).tolist() == [check]
    if check == 10:
        assert not nhs_number_mask([stem + d for d in "0123456789"]).any()
    else:
        number = stem + str(check)
        repeated = len(set(number)) == 1
        assert is_valid_nhs_number(number) is not repeated
        assert is_valid_nhs_number(number, reject_repeated=False)


@given(stems, st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_invalidates(stem, position, shift):
    check = _check_digit(stem)
    assume(check != 10)
    number = stem + str(check)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not is_valid_nhs_number(changed, reject_repeated=False)


@given(stems, st.integers(0, 8))
def test_swapping_adjacent_different_digits_invalidates(stem, position):
    check = _check_digit(stem)
    assume(check != 10)
    number = stem + str(check)
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not is_valid_nhs_number(swapped, reject_repeated=False)
