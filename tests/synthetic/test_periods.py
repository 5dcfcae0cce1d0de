"""The synthetic population over several periods: every covered period gets events inside its
own windows, uptake stays near its baseline in every period (screening in rounds, not a fresh
screening each period), the secular trend moves periods in the configured direction, and the
indicator engine counts every numerator event in the period it belongs to.

Expected values are hand arithmetic from the catalogue's YAML periods and windows and the
model's formulas (docs/synthetic_population.md); the default reference date is 2026-03-31.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import pandas as pd
import pytest

from healthgap.config import DataConfig
from healthgap.indicators.definitions import Period
from healthgap.indicators.loading import load_catalogue
from healthgap.synthetic._plan import plan_outcomes
from healthgap.synthetic.generate import DEFAULT_REFERENCE_DATE, Effects, synthesise
from tests.synthetic._helpers import age_on, areas, flat, mirror_config, read, within

FLU = "822851000000102"
COVID = "1362591000000103"
BREAST = "24623002"
CERVICAL = "171149006"
SEASONS = {"2024/25": ("2024-09-01", "2025-02-28"), "2025/26": ("2025-09-01", "2026-02-28")}


@pytest.fixture
def config(tmp_path) -> DataConfig:
    return mirror_config(tmp_path)


def dated(events: pd.DataFrame, code: str, first: str, last: str) -> pd.DataFrame:
    """Events with `code` dated from `first` to `last` (inclusive)."""
    day = pd.to_datetime(events["date"])
    return events[(events["code"] == code) & day.between(first, last)]


def registered_by(people: pd.DataFrame, day: str) -> pd.Series:
    return pd.to_datetime(people["registration_start"]) <= day


def flu_cohort(people: pd.DataFrame, season: str) -> pd.Series:
    """65+ on 31 March after the season starts (period_start + 7 months - 1 day), by birth
    month, and registered by the season's end (YAML: flu_vaccination_65_plus)."""
    start_year = int(season[:4])
    return (age_on(people, start_year + 1, 3) >= 65) & registered_by(people, SEASONS[season][1])


# -- the plan ---------------------------------------------------------------------------------
def test_plan_covers_the_periods_ended_by_the_reference_date():
    catalogue = load_catalogue()
    plan = plan_outcomes(catalogue, DEFAULT_REFERENCE_DATE)
    assert plan.covered() == {i: [p.label for p in c.periods] for i, c in catalogue.items()}
    assert plan.not_covered == {} and plan.skipped == {}
    early = plan_outcomes(catalogue, date(2025, 6, 30))
    assert early.covered()["emergency_admissions_dsr"] == ["2024/25"]
    assert early.not_covered["emergency_admissions_dsr"] == ("2025/26",)
    none = plan_outcomes(catalogue, date(2024, 12, 31))
    assert none.skipped["flu_vaccination_65_plus"] == "no period ends on or before 2024-12-31"
    # the two cervical screening age groups make the same events: one programme of rounds
    programme = {o.key: o.programme for o in plan.outcomes if o.kind == "uptake"}
    assert (
        programme["cervical_screening_25_49"]
        == programme["cervical_screening_50_64"]
        == ("cervical_screening_25_49+cervical_screening_50_64")
    )
    assert programme["breast_screening_coverage"] == "breast_screening_coverage"


def test_default_trend_falls_for_vaccinations_only():
    effects = Effects()
    for key in ("flu_vaccination_65_plus", "covid19_autumn_booster_75_plus", "mmr2_by_age_5"):
        assert effects.resolve(key, "uptake")[1].per_year == -0.05
    for key in ("breast_screening_coverage", "nhs_health_check_uptake"):
        assert effects.resolve(key, "uptake")[1].per_year == 0
    assert effects.resolve("emergency_admissions_dsr", "rate")[1].per_year == 0


# -- windows ----------------------------------------------------------------------------------
def test_every_covered_period_gets_events_inside_its_own_windows(tmp_path, config):
    synthesise(icb="E54000002", seed=21, out=tmp_path / "o", config=config)
    _, events = read(tmp_path / "o")
    windows = {  # code: each covered period's first and last day (inclusive), from the YAML
        FLU: [SEASONS["2024/25"], SEASONS["2025/26"]],
        COVID: [("2024-10-03", "2025-01-31"), ("2025-10-01", "2026-01-31")],
        "21": [("2024-04-01", "2025-03-31"), ("2025-04-01", "2026-03-31")],  # admissions
        "75367002": [("2024-03-31", "2025-03-31"), ("2025-03-31", "2026-03-31")],  # SMI: 12 months
        BREAST: [("2022-03-31", "2025-03-31"), ("2023-03-31", "2026-03-31")],  # 36 months
        "375211000000108": [("2022-09-30", "2025-03-31"), ("2023-09-30", "2026-03-31")],  # 30 m
    }
    for code, spans in windows.items():
        mine = events[events["code"] == code]
        day = pd.to_datetime(mine["date"])
        inside = [day.between(first, last) for first, last in spans]
        assert pd.concat(inside, axis=1).any(axis=1).all(), code
        # each period has events of its own: the parts of its window no earlier one covers
        assert day.between(*spans[0]).any(), code
        own = day.between(*spans[1]) & (day > pd.Timestamp(spans[0][1]))
        assert own.any(), code
    # conditions persist: dated within 3,652 days before the first period's end (2025-03-31),
    # so they count in both periods
    diagnoses = pd.to_datetime(events.loc[events["event_type"] == "diagnosis", "date"])
    assert diagnoses.between("2015-04-01", "2025-03-31").all() and len(diagnoses) > 0
    assert (events["date"] <= DEFAULT_REFERENCE_DATE).all()


# -- levels in every period -------------------------------------------------------------------
def test_without_effects_every_period_is_at_the_baseline(tmp_path):
    catalogue = load_catalogue(ids=["flu_vaccination_65_plus", "emergency_admissions_dsr"])
    effects = flat(
        {
            "flu_vaccination_65_plus": {"baseline": 0.8},
            "emergency_admissions_dsr": {"baseline": 0.1},
        }
    )
    synthesise(areas([3000] * 6), seed=22, out=tmp_path / "o", catalogue=catalogue, effects=effects)
    people, events = read(tmp_path / "o")
    for season, (first, last) in SEASONS.items():
        cohort = people[flu_cohort(people, season)]
        flu = dated(events, FLU, first, last)
        assert flu["person_id"].isin(cohort["person_id"]).all()
        assert flu["person_id"].is_unique  # one vaccination a season
        assert within(cohort["person_id"].isin(flu["person_id"]).mean(), 0.8, len(cohort)), season
    # admissions: 0.1 a year over each financial year, for people registered by 30 September
    for year in (2024, 2025):
        start, end = pd.Timestamp(f"{year}-04-01"), pd.Timestamp(f"{year + 1}-03-31")
        cohort = people[registered_by(people, f"{year}-09-30")]
        alive_from = pd.to_datetime(cohort["birth_month"] + "-01").clip(lower=start)
        years = ((end - alive_from).dt.days + 1).clip(lower=0).sum() / 365.25
        admissions = dated(events, "21", str(start.date()), str(end.date()))
        assert admissions["person_id"].isin(cohort["person_id"]).all()
        expected = 0.1 * years
        assert abs(len(admissions) - expected) <= 4.5 * math.sqrt(expected), year


def test_screening_rounds_keep_coverage_at_the_baseline_without_piling_up(tmp_path):
    """Breast screening over four yearly periods (36-month windows): coverage stays at the
    baseline 0.7 in each, and a woman in all four cohorts has two rounds (the windows span
    36 + 36 months), so about 2 x 0.7 = 1.4 screenings, not 4 x 0.7 = 2.8 as fresh draws per
    period would give."""
    breast = load_catalogue(ids=["breast_screening_coverage"])["breast_screening_coverage"]
    ends = [date(y, 3, 31) for y in (2023, 2024, 2025, 2026)]
    periods = tuple(Period(f"{e.year - 1}/{e.year % 100}", date(e.year - 1, 4, 1), e) for e in ends)
    catalogue = {breast.id: dataclasses.replace(breast, periods=periods)}
    effects = flat({breast.id: {"baseline": 0.7}})
    inputs = areas([0, 0, 0, 0, 10_000, 10_000])
    synthesise(inputs, seed=23, out=tmp_path / "o", catalogue=catalogue, effects=effects)
    people, events = read(tmp_path / "o")
    women = people[people["sex"] == "2"]
    in_all = pd.Series(True, index=women.index)
    for end in ends:  # YAML: women 53-70 at period end, registered on it; 36-month window
        cohort = age_on(women, end.year, end.month).between(53, 70) & registered_by(women, str(end))
        in_all &= cohort
        first = pd.Timestamp(end) - pd.DateOffset(months=36)
        screened = dated(events, BREAST, str(first.date()), str(end))["person_id"]
        share = women.loc[cohort, "person_id"].isin(screened).mean()
        assert within(share, 0.7, int(cohort.sum())), end
    per_woman = events[events["code"] == BREAST].groupby("person_id").size()
    counts = per_woman.reindex(women.loc[in_all, "person_id"], fill_value=0)
    assert len(counts) > 3000
    assert abs(counts.mean() - 1.4) < 0.05
    # rounds fall every 1,096 days (the shortest window, 2020-03-31 to 2023-03-31) and the
    # periods' ends are 1,097 days apart: a third round only when the phase hits that one day
    assert counts.max() <= 3 and (counts == 3).mean() < 0.01


def test_cervical_age_groups_share_rounds_so_the_boundary_is_not_inflated(tmp_path):
    """Women 49 on 31 March 2025 (in the 25-49 cohort of 2024/25) are 50 a year later (in the
    50-64 cohort of 2025/26, whose 66-month window holds the 42-month one): a round of the
    first decides the second, so coverage is the baseline 0.75 in both, not a second chance
    (0.75 + 0.25 x 0.75 x 42/66 = 0.87)."""
    catalogue = load_catalogue(ids=["cervical_screening_25_49", "cervical_screening_50_64"])
    effects = flat(
        {
            "cervical_screening_25_49": {"baseline": 0.75},
            "cervical_screening_50_64": {"baseline": 0.75},
            "procedure:236886002": {"baseline": 1e-9},  # (almost) no hysterectomies
        }
    )
    synthesise(
        areas([0, 0, 0, 20_000, 20_000, 0]),
        seed=24,
        out=tmp_path / "o",
        catalogue=catalogue,
        effects=effects,
    )
    people, events = read(tmp_path / "o")
    assert (events["code"] == CERVICAL).all()
    women = people[people["sex"] == "2"]
    boundary = women[
        (age_on(women, 2025, 3) == 49)
        & (age_on(women, 2026, 3) == 50)
        & registered_by(women, "2025-03-31")
    ]
    assert len(boundary) > 500
    for first, last in (("2021-09-30", "2025-03-31"), ("2020-09-30", "2026-03-31")):
        screened = dated(events, CERVICAL, first, last)["person_id"]
        share = boundary["person_id"].isin(screened).mean()
        assert within(share, 0.75, len(boundary)), (first, share)


# -- trend and persistence --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("per_year", "expected"),
    [
        # expit(logit(0.8) - per_year x years back to the season's middle (30 November):
        # 2024/25: 486 days = 1.331 years; 2025/26: 121 days = 0.331 years before 2026-03-31)
        (-0.3, {"2024/25": 0.8564, "2025/26": 0.8154}),  # falling uptake
        (0.3, {"2024/25": 0.7285, "2025/26": 0.7837}),  # rising uptake
    ],
)
def test_the_trend_moves_each_period_in_its_direction(tmp_path, per_year, expected):
    catalogue = load_catalogue(ids=["flu_vaccination_65_plus"])
    effects = flat({"flu_vaccination_65_plus": {"baseline": 0.8, "per_year": per_year}})
    synthesise(
        areas([0] * 5 + [40_000]), seed=25, out=tmp_path / "o", catalogue=catalogue, effects=effects
    )
    people, events = read(tmp_path / "o")
    shares = {}
    for season, (first, last) in SEASONS.items():
        cohort = people[flu_cohort(people, season)]
        shares[season] = (
            cohort["person_id"].isin(dated(events, FLU, first, last)["person_id"]).mean()
        )
        assert within(shares[season], expected[season], len(cohort)), (season, shares[season])
    assert (shares["2025/26"] < shares["2024/25"]) == (per_year < 0)


@pytest.mark.parametrize(
    ("persistence", "repeat"),
    # P(vaccinated again | vaccinated last season) = persistence^2 + (1 - persistence^2) x 0.8:
    # both decisions use the person's own uniform with probability persistence^2
    [(0.0, 0.8), (0.5, 0.25 + 0.75 * 0.8), (1.0, 1.0)],
)
def test_persistence_sets_how_often_the_same_people_attend_again(tmp_path, persistence, repeat):
    catalogue = load_catalogue(ids=["flu_vaccination_65_plus"])
    effects = flat({"flu_vaccination_65_plus": {"baseline": 0.8}}, persistence=persistence)
    synthesise(
        areas([0] * 5 + [20_000]), seed=26, out=tmp_path / "o", catalogue=catalogue, effects=effects
    )
    people, events = read(tmp_path / "o")
    both = people[flu_cohort(people, "2024/25") & flu_cohort(people, "2025/26")]
    first = both["person_id"].isin(dated(events, FLU, *SEASONS["2024/25"])["person_id"])
    again = both["person_id"].isin(dated(events, FLU, *SEASONS["2025/26"])["person_id"])
    observed = again[first].mean()
    if repeat == 1.0:
        assert observed == 1.0
    else:
        assert within(observed, repeat, int(first.sum())), observed


# -- the indicator engine counts what was drawn, period by period ----------------------------
def test_reference_engine_counts_every_numerator_event_in_its_period(tmp_path, config):
    from healthgap.indicators.reference import reference_finest

    synthesise(icb="E54000002", seed=27, out=tmp_path / "o", config=config)
    people, events = read(tmp_path / "o")
    totals = (
        reference_finest(load_catalogue(), people, events)
        .groupby(["indicator_id", "period"])[["numerator", "denominator"]]
        .sum()["numerator"]
    )

    def in_window(code: str, first: str, last: str) -> int:
        return len(dated(events, code, first, last))

    years = {"2024/25": ("2024-04-01", "2025-03-31"), "2025/26": ("2025-04-01", "2026-03-31")}
    for season, (first, last) in SEASONS.items():  # one vaccination a person a season
        assert totals["flu_vaccination_65_plus", season] == in_window(FLU, first, last) > 0
    for label, (first, last) in (
        ("Autumn 2024", ("2024-10-03", "2025-01-31")),
        ("Autumn 2025", ("2025-10-01", "2026-01-31")),
    ):
        assert totals["covid19_autumn_booster_75_plus", label] == in_window(COVID, first, last) > 0
    for label, (first, last) in years.items():  # every admission, in its financial year:
        # A&E admissions (21) and readmissions after a discharge (28)
        admissions = in_window("21", first, last) + in_window("28", first, last)
        assert totals["emergency_admissions_dsr", label] == admissions > 0
    smi = ["75367002", "60621009", "1005671000000105", "1003671000000109", "160573003", "77176002"]
    for label, end in (("2024/25", "2025-03-31"), ("2025/26", "2026-03-31")):
        first = str((pd.Timestamp(end) - pd.DateOffset(months=12)).date())  # last 12 months
        checks = events[
            events["code"].isin(smi) & pd.to_datetime(events["date"]).between(first, end)
        ]
        complete = int((checks.groupby("person_id")["code"].nunique() == 6).sum())
        assert totals["smi_physical_health_checks", label] == complete > 0
    mmr = events.loc[events["code"] == "38598009", "person_id"].value_counts()
    assert totals["mmr2_by_age_5"].sum() == int((mmr >= 2).sum()) > 0  # one cohort each child
    # registers persist: every diagnosis counts in 2025/26, and in 2024/25 for those born by
    # March 2025 and registered by 31 March 2025
    hypertension = people[
        people["person_id"].isin(events.loc[events["code"] == "38341003", "person_id"])
    ]
    assert totals["hypertension_recorded_prevalence", "2025/26"] == len(hypertension) > 0
    then = (age_on(hypertension, 2025, 3) >= 0) & registered_by(hypertension, "2025-03-31")
    assert totals["hypertension_recorded_prevalence", "2024/25"] == then.sum()
    # breast screening by hand: women 53-70 at the period end, registered on it, screened in
    # the 36 months to it (a screening counts in every window it falls in)
    women = people[people["sex"] == "2"]
    for label, end in (("2024/25", "2025-03-31"), ("2025/26", "2026-03-31")):
        year, month = int(end[:4]), 3
        cohort = women[age_on(women, year, month).between(53, 70) & registered_by(women, end)]
        first = str((pd.Timestamp(end) - pd.DateOffset(months=36)).date())
        screened = cohort["person_id"].isin(dated(events, BREAST, first, end)["person_id"])
        assert totals["breast_screening_coverage", label] == screened.sum() > 0
