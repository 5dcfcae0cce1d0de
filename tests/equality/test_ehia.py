"""EHIA workflow (stages, reminders, export) and the equity profile from indicator results."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from healthgap.equality.ehia import EHIA, EHIAAction, Stage, due_reviews
from healthgap.equality.equity import CROSS_TYPE, equity_profile
from healthgap.equality.errors import AssessmentError
from healthgap.errors import ArgumentError


def _row(ind, ctype, cat, x, n, polarity="higher_is_better"):
    value = 100 * x / n
    return {
        "indicator_id": ind,
        "period": "2024-25",
        "area_code": "E54000062",
        "category_type": ctype,
        "category": cat,
        "numerator": x,
        "denominator": n,
        "value": value,
        "lowercl": value - 1,
        "uppercl": value + 1,
        "polarity": polarity,
    }


RESULTS = pd.DataFrame(
    [
        _row("copd_prevalence", "imd_quintile", "1", 300, 5000, "lower_is_better"),
        _row("copd_prevalence", "imd_quintile", "2", 100, 5000, "lower_is_better"),
        _row("copd_flu", "imd_quintile", "1", 150, 300),
        _row("copd_flu", "imd_quintile", "2", 150, 150),
        _row("copd_prevalence", "ethnicity5", "Asian", 40, 1000, "lower_is_better"),
        _row("copd_prevalence", "ethnicity5", "White", 160, 4000, "lower_is_better"),
        _row("copd_flu", "ethnicity5", "Asian", 10, 40),
        _row("copd_flu", "ethnicity5", "White", 90, 160),
        _row("copd_flu", "core20", "Core20", 60, 100),
        _row("copd_flu", "core20", "Not Core20", 75, 100),
    ]
)


def test_need_against_uptake_by_hand():
    profile = equity_profile(RESULTS, ["copd_flu"], need="copd_prevalence", uptake="copd_flu")
    nvu = profile.need_vs_uptake.set_index(["category_type", "category"])
    # IMD: need 300 and 100 of 400 -> shares 0.75, 0.25; uptake 150 and 150 of 300 -> 0.5, 0.5.
    # Ratio = uptake share / need share: Q1 0.5 / 0.75 = 0.6667 (under-served); Q2 0.5 / 0.25 = 2.
    assert nvu.loc[("imd_quintile", "1"), "ratio"] == pytest.approx(0.5 / 0.75)
    assert nvu.loc[("imd_quintile", "2"), "ratio"] == pytest.approx(2.0)
    # Ethnicity: need 40, 160 of 200 -> 0.2, 0.8; uptake 10, 90 of 100 -> 0.1, 0.9.
    assert nvu.loc[("ethnicity5", "Asian"), "ratio"] == pytest.approx(0.1 / 0.2)
    # Core20 60% against 75% elsewhere, higher is better: gap -15, worse.
    core = profile.core20.iloc[0]
    assert (core["gap"], bool(core["core20_worse"])) == (-15.0, True)
    assert list(profile.imd_quintile["category"]) == ["1", "2"]
    assert any("IMD quintile × ethnicity" in note for note in profile.notes)
    assert profile.to_dict()["core20"][0]["core20_value"] == 60.0


def test_cross_breakdown_is_used_when_present():
    cross = pd.DataFrame([_row("copd_flu", CROSS_TYPE, "1×Asian", 5, 20)])
    profile = equity_profile(pd.concat([RESULTS, cross], ignore_index=True), ["copd_flu"])
    assert profile.imd_by_ethnicity["category"].tolist() == ["1×Asian"]
    assert not any("IMD quintile × ethnicity" in note for note in profile.notes)


def test_profile_argument_errors():
    with pytest.raises(ArgumentError, match="no indicator nope"):
        equity_profile(RESULTS, ["nope"])
    with pytest.raises(ArgumentError, match="category_type"):
        equity_profile(RESULTS.drop(columns="category_type"))


ON = date(2026, 1, 5)


def _complete_walk() -> EHIA:
    ehia = EHIA("E1", "Close the community diabetes clinic", "Dana (service lead)")
    with pytest.raises(AssessmentError, match="scope, groups_considered"):
        ehia.advance("Dana", ON)
    ehia = ehia.update(scope="Move the clinic to the hospital site", groups_considered=("Core20",))
    ehia = ehia.advance("Dana", ON)
    assert ehia.stage == Stage.ASSESS
    with pytest.raises(AssessmentError, match="profile, inequalities, drivers"):
        ehia.advance("Dana", ON)
    answers = {
        "inequalities": "Lower uptake in quintile 1",
        "drivers": "Distance, cost",
        "impact": "Could widen the gap",
        "protected_characteristics": "Interpreting",
    }
    ehia = ehia.update(profile=equity_profile(RESULTS, ["copd_flu"]), answers=answers)
    ehia = ehia.advance("Dana", ON)
    action = EHIAAction("Keep an outreach session", "Sam", date(2026, 3, 1), date(2026, 6, 1))
    ehia = ehia.add_action(action).update(
        answers={"opportunities": "Outreach", "monitoring": "Uptake by quintile"},
        review_date=date(2026, 9, 1),
    )
    return ehia.advance("Dana", ON)


def test_workflow_moves_only_when_each_stage_is_complete():
    ehia = _complete_walk()
    assert ehia.stage == Stage.REVIEW
    with pytest.raises(AssessmentError, match="outcome, lessons"):
        ehia.advance("Dana", ON)
    closed = ehia.update(answers={"outcome": "Gap held", "lessons": "Ask earlier"}).advance(
        "Dana", ON
    )
    assert closed.stage == Stage.CLOSED
    assert [t.to_stage for t in closed.history] == [
        Stage.ASSESS,
        Stage.REFINE,
        Stage.REVIEW,
        Stage.CLOSED,
    ]
    with pytest.raises(AssessmentError, match="closed"):
        closed.update(scope="x")
    with pytest.raises(AssessmentError, match="closed"):
        closed.advance("Dana", ON)
    reopened = closed.return_to(Stage.ASSESS, "Dana", ON, "New data for 2026")
    assert reopened.stage == Stage.ASSESS and reopened.history[-1].note == "New data for 2026"
    with pytest.raises(AssessmentError, match="only go back"):
        reopened.return_to(Stage.REVIEW, "Dana", ON, "no")
    with pytest.raises(AssessmentError, match="cannot be edited"):
        reopened.update(stage=Stage.CLOSED)


def test_due_reviews():
    ehia = _complete_walk()  # action due 2026-03-01, its review 2026-06-01; EHIA review 2026-09-01
    assert ehia.due_reviews(date(2026, 2, 28)) == []
    first = due_reviews([ehia], date(2026, 3, 11))
    assert [(r.kind, r.owner, r.days_overdue) for r in first] == [("action due", "Sam", 10)]
    later = due_reviews([ehia], date(2026, 9, 1))
    # 2026-03-01 -> 2026-09-01 is 184 days; 2026-06-01 -> 2026-09-01 is 92 days.
    assert [(r.kind, r.days_overdue) for r in later] == [
        ("action due", 184),
        ("action review", 92),
        ("EHIA review", 0),
    ]
    done = ehia.update(
        actions=(EHIAAction("Keep an outreach session", "Sam", date(2026, 3, 1), done=True),)
    )
    assert [r.kind for r in done.due_reviews(date(2026, 9, 1))] == ["EHIA review"]


def test_export_and_markdown():
    ehia = _complete_walk()
    data = ehia.export()
    assert data["stage"] == "review"
    assert data["actions"][0] == {
        "description": "Keep an outreach session",
        "owner": "Sam",
        "due": "2026-03-01",
        "review_on": "2026-06-01",
        "done": False,
    }
    assert data["profile"]["core20"][0]["gap"] == -15.0
    text = ehia.markdown()
    assert "copd_flu (2024-25): Core20 60.0 against 75.0 elsewhere (worse)." in text
    assert "| Keep an outreach session | Sam | 2026-03-01 | 2026-06-01 | no |" in text
