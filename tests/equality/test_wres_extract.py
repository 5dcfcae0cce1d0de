"""Workforce and recruitment extracts: validation (every problem, rejected whole) and counts."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.equality.errors import ExtractError
from healthgap.equality.wres import counts_from_extracts, read_recruitment, read_workforce
from healthgap.equality.wres.ethnicity import wres_group

HEADER = (
    "staff_id,ethnic_category,band,staff_group,board_member,disciplinary,non_mandatory_training"
)
GOOD_WORKFORCE = f"""{HEADER}
s1,A,Band 5,clinical,,no,yes
s2,H,5,clinical,,yes,no
s3,N1,5,clinical,,no,no
s4,Z,5,clinical,,no,yes
s5,B,8a,non-clinical,,no,yes
s6,C,VSM,non-clinical,voting,no,no
s7,R,,,voting,no,no
s8,99,Consultant,clinical,non-voting,no,yes
"""
GOOD_RECRUITMENT = """application_id,ethnic_category,shortlisted,appointed
a1,A,yes,yes
a2,A,yes,no
a3,B,no,no
a4,M,yes,yes
a5,K,yes,no
a6,K,yes,no
a7,Z,yes,yes
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_counts_from_good_extracts(tmp_path):
    staff = read_workforce(_write(tmp_path, "w.csv", GOOD_WORKFORCE))
    apps = read_recruitment(_write(tmp_path, "r.csv", GOOD_RECRUITMENT))
    counts = counts_from_extracts(staff, apps, year="2025").set_index(
        ["indicator", "staff_group", "band", "ethnicity"]
    )
    # Band 5 clinical: s1 White, s2 BME (H), s3 BME (N1), s4 Unknown (Z): 4 staff.
    band5 = counts.loc[("1", "clinical", "5")]
    assert band5["numerator"].to_dict() == {"White": 1, "BME": 2, "Unknown": 1}
    assert set(band5["denominator"]) == {4}
    # Indicator 2: shortlisted White a1, a2 (1 appointed); BME a4, a5, a6 (1 appointed);
    # Unknown a7 (1 appointed); a3 was not shortlisted.
    two = counts.loc[("2", "", "")]
    assert two.loc["White"].tolist() == ["2025", 1, 2]
    assert two.loc["BME"].tolist() == ["2025", 1, 3]
    # Indicator 3: the workforce is the 7 staff with a band (s7, a non-executive, is not);
    # White s1, s5, s6 (0 disciplinary); BME s2, s3 (s2 disciplinary).
    three = counts.loc[("3", "", "")]
    assert three.loc["BME", ["numerator", "denominator"]].tolist() == [1, 2]
    assert three.loc["White", ["numerator", "denominator"]].tolist() == [0, 3]
    # Indicator 4: training White s1, s5 of 3; BME none of 2; Unknown s4, s8 of 2.
    four = counts.loc[("4", "", "")]
    assert four["numerator"].to_dict() == {"White": 2, "BME": 0, "Unknown": 2}
    # Indicator 9: voting members s6 (White), s7 (BME); whole board adds s8 (Unknown).
    assert counts.loc[("9", "voting", "")]["numerator"].to_dict() == {
        "White": 1, "BME": 1, "Unknown": 0
    }  # fmt: skip
    assert set(counts.loc[("9", "all", "")]["denominator"]) == {3}
    # Executive members are board members with a band: s6 (White, VSM) and s8 (Unknown).
    assert counts.loc[("9", "executive", "")]["numerator"].to_dict() == {
        "White": 1, "BME": 0, "Unknown": 1
    }  # fmt: skip


def test_bad_workforce_extract_reports_every_problem(tmp_path):
    bad = f"""{HEADER}
s1,A,5,clinical,,no,yes
s1,Q,5,clinical,,no,yes
s3,H,,clinical,,no,no
s4,H,Band 10,clinical,,maybe,no
s5,A,Consultant,non-clinical,chair,no,no
"""
    with pytest.raises(ExtractError) as caught:
        read_workforce(_write(tmp_path, "w.csv", bad))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (2, "staff_id"),  # duplicate staff
        (2, "ethnic_category"),  # unknown code Q
        (3, "band"),  # missing band
        (4, "band"),  # unknown band
        (4, "disciplinary"),  # not yes/no
        (5, "board_member"),  # not blank/voting/non-voting
        (5, "staff_group"),  # a medical grade must be clinical
    }
    assert "7 problems" in str(caught.value)
    assert "row 2, column 'staff_id'" in caught.value.report()


def test_bad_recruitment_extract(tmp_path):
    bad = """application_id,ethnic_category,shortlisted,appointed
a1,A,no,yes
a1,A,yes,yes
a3,,yes,no
"""
    with pytest.raises(ExtractError) as caught:
        read_recruitment(_write(tmp_path, "r.csv", bad))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(1, "appointed"), (2, "application_id"), (3, "ethnic_category")}


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(ExtractError, match="'band'"):
        read_workforce(_write(tmp_path, "w.csv", "staff_id,ethnic_category\ns1,A\n"))


@pytest.mark.parametrize(
    ("code", "group"),
    [("A", "White"), ("b", "White"), ("C2", "White"), ("D", "BME"), ("L", "BME"), ("S", "BME"),
     ("Z", "Unknown"), ("99", "Unknown"), ("I", None), ("O", None), ("T", None), ("", None),
     ("ABC", None)],
)  # fmt: skip
def test_wres_group(code, group):
    assert wres_group(code) == group


VALID_CODES = [*"ABCDEFGHJKLMNPRSZ", "99"]
BAND_TEXTS = ["1", "Band 2", "band 7", "8A", "8d", "9", "VSM", "vsm"]


@st.composite
def workforce_rows(draw):
    size = draw(st.integers(1, 40))
    rows = []
    for i in range(size):
        code = draw(st.sampled_from(VALID_CODES))
        local = draw(st.sampled_from(["", "1", "x"])) if code != "99" else ""
        rows.append(
            {
                "staff_id": f"p{i}",
                "ethnic_category": code + local,
                "band": draw(st.sampled_from(BAND_TEXTS)),
                "staff_group": draw(st.sampled_from(["clinical", "Non-Clinical"])),
                "board_member": "",
                "disciplinary": draw(st.sampled_from(["yes", "no", "Y", "0"])),
                "non_mandatory_training": draw(st.sampled_from(["true", "false", "N"])),
            }
        )
    return pd.DataFrame(rows)


@given(workforce_rows())
def test_valid_extracts_parse_and_counts_add_up(frame):
    staff = read_workforce(frame)
    counts = counts_from_extracts(staff)
    three = counts[counts["indicator"] == "3"]
    assert three["denominator"].sum() == len(frame)
    white = sum(wres_group(c) == "White" for c in frame["ethnic_category"])
    assert three.set_index("ethnicity").loc["White", "denominator"] == white
    ones = counts[counts["indicator"] == "1"]
    assert ones["numerator"].sum() == len(frame)


@given(workforce_rows(), st.data())
def test_one_bad_code_rejects_whole_extract_naming_its_row(frame, data):
    row = data.draw(st.integers(0, len(frame) - 1))
    frame.loc[row, "ethnic_category"] = data.draw(st.sampled_from(["I", "O", "Q", "T", "12", "?"]))
    with pytest.raises(ExtractError) as caught:
        read_workforce(frame)
    assert [(p.row, p.column) for p in caught.value.problems] == [(row + 1, "ethnic_category")]
