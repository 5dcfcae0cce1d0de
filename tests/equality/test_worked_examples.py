"""Worked examples, from the records to the published figure, every step written out by hand.

No NHS England technical-guidance worked example (WRES or EDS 2022) is in
../shared/reference (standards.md, testdata/) or in the stored public pages we could search
(docs/equality.md, "Sources"), so these are our own, worked by hand, plus one trust's published
indicator 3 figure reproduced from its published percentages.
"""

from __future__ import annotations

import io

import pytest

from healthgap.equality.eds import EDSAssessment, OutcomeGrade, ServiceGrades
from healthgap.equality.wres import (
    counts_from_extracts,
    read_recruitment,
    read_workforce,
    relative_likelihood,
    wres_indicators,
)

WORKFORCE = (
    "staff_id,ethnic_category,band,staff_group,board_member,disciplinary,non_mandatory_training\n"
    "s1,A,5,clinical,,no,yes\n"
    "s2,M,5,clinical,,no,yes\n"
)
# 18 applications. Ethnic category: A, B, C are White; D to S are BME; Z (not stated) and 99
# (not known) are Unknown.
RECRUITMENT = """application_id,ethnic_category,shortlisted,appointed
w1,A,yes,yes
w2,A,yes,yes
w3,B,yes,yes
w4,C,yes,yes
w5,A,yes,no
w6,A,yes,no
w7,B,yes,no
w8,C,yes,no
w9,A,no,no
w10,C,no,no
b1,H,yes,yes
b2,M,yes,no
b3,N,yes,no
b4,R,yes,no
b5,D,yes,no
b6,K,no,no
u1,Z,yes,yes
u2,99,yes,yes
"""


def test_wres_indicator_2_from_the_recruitment_extract_by_hand():
    """Relative likelihood of White shortlisted applicants being appointed compared with BME.

    Counts (from the extract above):
      White shortlisted: w1-w8 = 8 (w9, w10 were not shortlisted); appointed: w1-w4 = 4
      BME shortlisted:   b1-b5 = 5 (b6 was not shortlisted);       appointed: b1 = 1
      Unknown (u1, u2): shortlisted 2, appointed 2 -- left out of the ratio
    Proportions: White 4 / 8 = 0.50; BME 1 / 5 = 0.20
    Ratio (White relative to BME): 0.50 / 0.20 = 2.5
    95% limits, Katz log method:
      SE(ln RL) = sqrt(1/4 - 1/8 + 1/1 - 1/5) = sqrt(0.25 - 0.125 + 1 - 0.2) = sqrt(0.925)
                = 0.9617692
      ln 2.5 = 0.9162907; 1.959964 x 0.9617692 = 1.8850330
      lower = exp(0.9162907 - 1.8850330) = exp(-0.9687423) = 0.3795601
      upper = exp(0.9162907 + 1.8850330) = exp( 2.8013237) = 16.4664295
    Non-adverse range 0.80 to 1.25: 2.5 lies above it (White applicants 2.5 times as likely).
    """
    staff = read_workforce(io.StringIO(WORKFORCE))
    applications = read_recruitment(io.StringIO(RECRUITMENT))
    counts = counts_from_extracts(staff, applications, year="2025")
    two = counts[counts["indicator"] == "2"].set_index("ethnicity")
    assert two.loc["White", ["numerator", "denominator"]].tolist() == [4, 8]
    assert two.loc["BME", ["numerator", "denominator"]].tolist() == [1, 5]
    assert two.loc["Unknown", ["numerator", "denominator"]].tolist() == [2, 2]

    results = wres_indicators(counts)
    row = results[results["indicator"] == "2"].iloc[0]
    assert row["white_value"] == pytest.approx(50.0)  # per cent
    assert row["bme_value"] == pytest.approx(20.0)
    assert row["value"] == pytest.approx(2.5)
    assert row["lowercl"] == pytest.approx(0.3795601, abs=1e-6)
    assert row["uppercl"] == pytest.approx(16.4664295, abs=1e-6)
    assert bool(row["non_adverse"]) is False  # (NaN would read as True)
    assert (row["unknown_numerator"], row["unknown_denominator"]) == (2, 2)


def test_wres_indicator_2_from_a_counts_file_by_hand():
    """The same indicator from aggregate counts (the other input form).

    White: 75 appointed of 250 shortlisted = 0.30; BME: 27 of 180 = 0.15; Unknown 4 of 20 (out)
    RL = 0.30 / 0.15 = 2.0
    SE^2 = 1/75 - 1/250 + 1/27 - 1/180
         = 0.0133333 - 0.0040000 + 0.0370370 - 0.0055556 = 0.0408148; SE = 0.2020268
    1.959964 x 0.2020268 = 0.3959652; ln 2 = 0.6931472
    limits exp(0.2971820) = 1.3460602 and exp(1.0891124) = 2.9716352
    """
    counts = (
        "indicator,ethnicity,numerator,denominator\n2,White,75,250\n2,BME,27,180\n2,Unknown,4,20\n"
    )
    row = wres_indicators(io.StringIO(counts)).iloc[0]
    assert row["indicator"] == "2"
    assert row["value"] == pytest.approx(2.0)
    assert (row["lowercl"], row["uppercl"]) == pytest.approx((1.3460602, 2.9716352), abs=1e-6)


def test_published_trust_indicator_3_from_its_percentages():
    """Kent and Medway NHS and Social Care Partnership Trust, WRES 2020-2022, indicator 3
    (kmpt.nhs.uk, ".../workforce-race-equality-standard-2020-2022/indicator-3/"): "White staff -
    0.7%, BAME staff - 1.2% ... BAME staff are 1.7 times more likely to enter into formal
    disciplinary than white staff" (17 White and 9 BAME staff entered; headcounts not given).
    BME relative to White: 1.2 / 0.7 = 1.714, published to one decimal as 1.7. 12 of 1,000 and
    7 of 1,000 carry the published percentages."""
    got = relative_likelihood(12, 1000, 7, 1000)
    assert got.value == pytest.approx(1.2 / 0.7)
    assert round(got.value, 1) == 1.7


def test_eds_2022_rating_worked_by_hand():
    """Domain 1 graded on three services; each of 1A-1D takes the middle (median) service grade.

    service       1A  1B  1C  1D
    Maternity      2   1   3   2
    Diabetes       1   1   2   3
    Stroke         3   2   2   1
    sorted        1,2,3  1,1,2  2,2,3  1,2,3
    median         2   1   2   2     domain 1 = 2 + 1 + 2 + 2 = 7

    Domain 2: 2A 1, 2B 2, 2C 1, 2D 2 = 6.   Domain 3: 3A 3, 3B 2, 3C 1 = 6.
    Total = 7 + 6 + 6 = 19 of 33: 8 <= 19 <= 21, so Developing.

    Domain ratings (our pro-rata reading: threshold x outcomes / 11):
      domain 1 (4 outcomes): Developing from 8 x 4/11 = 2.91, Achieving from 22 x 4/11 = 8;
        7 < 8 -> Developing
      domain 2 (4 outcomes): 6 < 8 -> Developing
      domain 3 (3 outcomes): Achieving from 22 x 3/11 = 6, Excelling from 33 x 3/11 = 9;
        6 -> Achieving
    """
    services = (
        ServiceGrades("Maternity", {"1A": 2, "1B": 1, "1C": 3, "1D": 2}),
        ServiceGrades("Diabetes", {"1A": 1, "1B": 1, "1C": 2, "1D": 3}),
        ServiceGrades("Stroke", {"1A": 3, "1B": 2, "1C": 2, "1D": 1}),
    )
    grades = {"2A": 1, "2B": 2, "2C": 1, "2D": 2, "3A": 3, "3B": 2, "3C": 1}
    eds = EDSAssessment(
        "Trust",
        "2025/26",
        services=services,
        outcomes=tuple(OutcomeGrade(code, grade) for code, grade in grades.items()),
    )
    scores = eds.outcome_scores()
    assert [scores[c] for c in ("1A", "1B", "1C", "1D")] == [2, 1, 2, 2]
    assert eds.domain_scores() == {1: 7, 2: 6, 3: 6}
    assert eds.total() == 19
    assert eds.rating() == "Developing"
    assert eds.domain_ratings() == {1: "Developing", 2: "Developing", 3: "Achieving"}


def test_the_2018_national_disciplinary_ratio_is_non_adverse():
    """NHS England and NHS Improvement, "A fair experience for all" (2019), as summarised by
    capsticks.com: the 2018 national indicator 3 ratio, 1.24, "is within the recommended
    acceptable or 'non-adverse' range" (0.80 to 1.25); ratios above 1.25 are outside it.
    BME 124 of 10,000 over White 100 of 10,000 = 0.0124 / 0.0100 = 1.24 -> non-adverse;
    BME 126 of 10,000 -> 1.26 -> outside; 80 of 10,000 -> 0.80, the lower end, included."""
    counts = "indicator,ethnicity,numerator,denominator,year\n" + "".join(
        f"3,BME,{bme},10000,{year}\n3,White,100,10000,{year}\n"
        for year, bme in (("2018", 124), ("2019", 126), ("2020", 80))
    )
    results = wres_indicators(io.StringIO(counts)).set_index("year")
    assert results["value"].round(6).to_dict() == {"2018": 1.24, "2019": 1.26, "2020": 0.8}
    assert [bool(v) for v in results["non_adverse"]] == [True, False, True]
