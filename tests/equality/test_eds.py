"""EDS 2022 grading: the median-service rule, the score card, a published trust example."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.equality.eds import (
    OUTCOMES,
    Action,
    EDSAssessment,
    OutcomeGrade,
    ScoreCard,
    ServiceGrades,
    compare,
)
from healthgap.equality.errors import AssessmentError


def _assessment(domain1: dict[str, int], others: dict[str, int], year: str = "2024/25", **kw):
    services = (ServiceGrades("Maternity", domain1),)
    outcomes = tuple(OutcomeGrade(code, grade) for code, grade in others.items())
    return EDSAssessment("Example Trust", year, services, outcomes, **kw)


# Leeds Teaching Hospitals NHS Trust, "Equality Delivery System (EDS)" page
# (leedsth.nhs.uk/about/trust/equality-diversity/equality-delivery-system-eds/), EDS 2023/24:
# 1A-1D 2 each, 2A-2C 2 each, 2D 1, "total outcome score ... 21", "Organisations who score between
# 8 and 21 are rated as 'Developing'". EDS 2024/25: "progressed from 'Developing' to 'Achieving'.
# The total outcome score for the Trust was 22, 1 point higher than last year, which was awarded
# under Domain 2 for 'Staff recommend the organisation ...'" (2D). The page's domain 3 rows were
# cut off in our copy; 21 - (8 + 7) = 6 is their sum, so 2 each is used here (only the sum
# matters to the ratings checked).
LEEDS_D1 = {"1A": 2, "1B": 2, "1C": 2, "1D": 2}
LEEDS_2023 = {"2A": 2, "2B": 2, "2C": 2, "2D": 1, "3A": 2, "3B": 2, "3C": 2}
LEEDS_2024 = LEEDS_2023 | {"2D": 2}


def test_published_trust_example_and_year_on_year():
    before = _assessment(LEEDS_D1, LEEDS_2023, "2023/24")
    after = _assessment(LEEDS_D1, LEEDS_2024, "2024/25")
    assert (before.total(), before.rating()) == (21, "Developing")
    assert (after.total(), after.rating()) == (22, "Achieving")
    table = compare(before, after).set_index("item")
    assert table.loc["2D", "change"] == 1
    assert table.loc["Overall", ["previous_rating", "current_rating"]].tolist() == [
        "Developing",
        "Achieving",
    ]
    assert table["change"].drop(["2D", "Domain 2", "Overall"]).eq(0).all()


def test_domain_one_takes_the_median_service_grade():
    services = (
        ServiceGrades("A", {"1A": 1, "1B": 0, "1C": 3, "1D": 2}),
        ServiceGrades("B", {"1A": 2, "1B": 0, "1C": 3, "1D": 1}),
        ServiceGrades("C", {"1A": 3, "1B": 3, "1C": 1, "1D": 1}),
    )
    others = tuple(OutcomeGrade(c, 1) for c in OUTCOMES if c[0] != "1")
    eds = EDSAssessment("T", "2025", services, others)
    # 1A (1, 2, 3) -> 2; 1B (0, 0, 3) -> 0; 1C (3, 3, 1) -> 3; 1D (2, 1, 1) -> 1
    scores = eds.outcome_scores()
    assert [scores[c] for c in ("1A", "1B", "1C", "1D")] == [2, 0, 3, 1]
    # Domain 1 = 2 + 0 + 3 + 1 = 6; domains 2 (4 outcomes) and 3 (3 outcomes) at 1 each.
    assert eds.domain_scores() == {1: 6, 2: 4, 3: 3}
    assert eds.total() == 13


def test_even_number_of_services_takes_the_lower_middle():
    services = (
        ServiceGrades("A", {"1A": 1, "1B": 1, "1C": 1, "1D": 1}),
        ServiceGrades("B", {"1A": 2, "1B": 2, "1C": 2, "1D": 2}),
    )
    others = tuple(OutcomeGrade(c, 2) for c in OUTCOMES if c[0] != "1")
    assert EDSAssessment("T", "2025", services, others).outcome_scores()["1A"] == 1


@pytest.mark.parametrize(
    ("score", "rating"),
    [(0, "Undeveloped"), (7, "Undeveloped"), (8, "Developing"), (21, "Developing"),
     (22, "Achieving"), (32, "Achieving"), (33, "Excelling")],
)  # fmt: skip
def test_score_card_thresholds(score, rating):
    assert ScoreCard().rating(score) == rating


def test_domain_ratings_are_pro_rata():
    # Domain 3 has 3 outcomes: Achieving from 22 * 3/11 = 6, Developing from 8 * 3/11 = 2.18.
    card = ScoreCard()
    assert card.rating(6, 3) == "Achieving"
    assert card.rating(5, 3) == "Developing"
    assert card.rating(2, 3) == "Undeveloped"
    # Domains 1 and 2 have 4: Achieving from 22 * 4/11 = 8, Excelling at 33 * 4/11 = 12.
    assert card.rating(8, 4) == "Achieving"
    assert card.rating(12, 4) == "Excelling"
    leeds = _assessment(LEEDS_D1, LEEDS_2023)
    assert leeds.domain_ratings() == {1: "Achieving", 2: "Developing", 3: "Achieving"}


def test_bad_score_card_is_rejected():
    with pytest.raises(AssessmentError, match="must rise"):
        ScoreCard(developing_from=22, achieving_from=8)


def test_incomplete_assessment_names_every_gap():
    with pytest.raises(AssessmentError) as caught:
        _assessment({"1A": 2, "1B": 4, "1D": 2}, {"2A": 2, "2B": 2, "3A": 2, "3Z": 1})
    message = str(caught.value)
    for expected in ("missing ['1C']", "outcome 1B: the grade must be", "outcome 2C must be",
                     "outcome 3C must be", "'3Z' is not an outcome"):  # fmt: skip
        assert expected in message


def test_summary_and_markdown():
    action = Action("2D", "Run staff listening events", "Director of People", date(2026, 3, 31))
    grades = LEEDS_2024
    eds = EDSAssessment(
        "Example Trust",
        "2024/25",
        (ServiceGrades("Maternity", LEEDS_D1, ("audit",), ("Maternity Voices",)),),
        tuple(OutcomeGrade(c, g, ("survey",), ("staff network",)) for c, g in grades.items()),
        actions=(action,),
    )
    summary = eds.summary()
    assert summary["total"] == 22 and summary["maximum"] == 33
    assert summary["outcomes"][7] == {
        "code": "2D", "domain": 2, "title": OUTCOMES["2D"], "score": 2, "grade": "Achieving",
        "evidence": ["survey"], "stakeholders": ["staff network"],
    }  # fmt: skip
    text = eds.markdown()
    assert "Overall: **Achieving** (22 of 33)." in text
    assert "| 2D | Run staff listening events | Director of People | 2026-03-31 | no |" in text


@given(
    st.lists(st.integers(0, 3), min_size=4, max_size=4),
    st.lists(st.integers(0, 3), min_size=7, max_size=7),
)
def test_total_is_the_sum_and_rating_follows_it(d1, rest):
    codes = [c for c in OUTCOMES if c[0] != "1"]
    eds = _assessment(dict(zip(("1A", "1B", "1C", "1D"), d1, strict=True)),
                      dict(zip(codes, rest, strict=True)))  # fmt: skip
    total = sum(d1) + sum(rest)
    assert eds.total() == total == sum(eds.domain_scores().values())
    expected = ("Undeveloped" if total < 8 else "Developing" if total < 22
                else "Achieving" if total < 33 else "Excelling")  # fmt: skip
    assert eds.rating() == expected
