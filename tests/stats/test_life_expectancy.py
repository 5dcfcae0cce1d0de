"""phe_life_expectancy parity: PHE's published LE answers (reference_data/phe) and hand-worked
Chiang II life tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats.life_expectancy import life_expectancy
from tests.stats.reference_cases import assert_frame_matches, cases

CASES = cases("life_expectancy")
Z95 = 1.959963984540054
BANDS = [0, 1, *range(5, 95, 5)]


def check(case_name: str, got: pd.DataFrame) -> None:
    case = CASES[case_name]
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol, atol=case.atol)


@pytest.mark.parametrize("name", ["single_area_c95", "single_area_unordered_c95"])
def test_single_area_matches_published_answer(name: str) -> None:
    got = life_expectancy(CASES[name].input(), "deaths", "pops", "startage")
    check(name, got)
    assert got["startage"].tolist() == BANDS  # sorted by start age, the 65 band included
    assert got["reason"].isna().all()


def test_le_age_keeps_only_the_requested_bands() -> None:
    case = CASES["single_area_le_age_5_25"]
    got = life_expectancy(case.input(), "deaths", "pops", "startage", le_age=[5, 25])
    check(case.case, got)
    assert len(got) == 2


def test_character_labels_with_en_dash_use_their_first_integer() -> None:
    case = CASES["single_area_labels_c95"]
    labels = case.expected_frame()["startage"].tolist()  # '0', '1-4', …, '10 – 14', …, '90 +'
    got = life_expectancy(case.input(), "deaths", "pops", "startage", age_contents=labels)
    check(case.case, got)
    assert got["startage"].tolist() == labels  # '70 – 74' (given last) sorted into place


def test_wide_interval_and_deaths_above_population_in_groups() -> None:
    case = CASES["wide_ci_c95c998"]
    got = life_expectancy(
        case.input(), "deaths", "pops", "startage", group_by="area", confidence=(0.95, 0.998)
    )
    check(case.case, got)
    # Area 1 (312 deaths > 311 population at 90+) is suppressed and appended after Area 2.
    assert got["area"].tolist() == ["Area 2"] * 20 + ["Area 1"] * 20
    area2 = got[got["area"] == "Area 2"]
    wide = area2["value"].isna()
    assert wide.tolist() == [False] * 9 + [True] * 11
    assert (area2.loc[wide, "reason"] == "95% confidence interval is wider than 20 years").all()
    assert area2.loc[~wide, "reason"].isna().all()
    assert area2[["lower99_8cl", "upper99_8cl"]].notna().all().all()
    assert (
        got.loc[got["area"] == "Area 1", "reason"] == "an age band has more deaths than population"
    ).all()
    assert set(got["confidence"]) == {"95%, 99.8%"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("edge_negative_deaths", "an age band has negative deaths"),
        ("edge_zero_pop_band", "an age band has a zero or negative population"),
        ("edge_deaths_gt_pop", "an age band has more deaths than population"),
        ("edge_total_pop_le_5000", "the total population is 5,000 or less"),
    ],
)
def test_ungrouped_problem_data_is_all_na_with_reason(name: str, reason: str) -> None:
    got = life_expectancy(CASES[name].input(), "deaths", "pop", "age")
    check(name, got)
    assert (got["reason"] == reason).all()


def test_nineteen_bands_are_all_na() -> None:
    case = CASES["edge_missing_age_band"]
    got = life_expectancy(case.input(), "deaths", "pop", "age", age_contents=BANDS[:-1])
    check(case.case, got)
    assert (got["reason"] == "the group does not have exactly 20 age bands").all()


def test_grouped_problems_give_the_published_na_pattern_and_named_reasons() -> None:
    case = CASES["grouped_with_warnings_na_pattern"]
    got = life_expectancy(case.input(), "deaths", "pop", "age", group_by="area")
    expected = case.expected_frame()
    got = got.assign(value_is_na=got["value"].isna())
    assert_frame_matches(got, expected, case.keys, rtol=0.0, columns=["value_is_na"])
    reason_by_area = got.drop_duplicates("area").set_index("area")["reason"].to_dict()
    assert reason_by_area == {
        "Good data": None,
        "Negative deaths": "an age band has negative deaths",
        "Negative pops": "an age band has a zero or negative population",
        "Missing age band": "the group does not have exactly 20 age bands",
        "Deaths more than pops": "an age band has more deaths than population",
        "Low pops": "the total population is 5,000 or less",
    }
    # suppressed groups come after the computed one, in the order the rules are checked
    assert list(reason_by_area) == [
        "Good data",
        "Negative deaths",
        "Negative pops",
        "Missing age band",
        "Deaths more than pops",
        "Low pops",
    ]


def test_open_band_and_85_to_89_by_hand() -> None:
    # 90+: e = L/l = (l/M)/l = 1/M; SE = √((l/2)²·4/(D·M²))/l = 1/(M·√D)
    frame = CASES["single_area_c95"].input()
    got = life_expectancy(frame, "deaths", "pops", "startage").set_index("startage")
    m90 = 1937 / 11936
    assert got.loc[90, "value"] == pytest.approx(1 / m90, rel=1e-12)
    assert got.loc[90, "lowercl"] == pytest.approx(1 / m90 - Z95 / (m90 * 1937**0.5), rel=1e-12)
    # 85-89: q = 5M/(1 + 5M·0.5); l₉₀ = l₈₅(1 − q); d = l₈₅q; L = 5(l₉₀ + 0.5d);
    # e = (L + l₉₀/M₉₀)/l₈₅
    m85 = 1936 / 11936
    q85 = 5 * m85 / (1 + 5 * m85 * 0.5)
    l85 = 1.0  # e does not depend on the scale of l
    l90, d85 = l85 * (1 - q85), l85 * q85
    e85 = (5 * (l90 + 0.5 * d85) + l90 / m90) / l85
    assert got.loc[85, "value"] == pytest.approx(e85, rel=1e-12)
    assert got.loc[85, "pops_used"] == 11936 + 11936 and got.loc[85, "dths_used"] == 1936 + 1937


def test_three_band_chiang_table_by_hand() -> None:
    # Bands 0, 1-4, 5+ (n_bands = 3): deaths 100, 40, 500; population 10000, 40000, 20000.
    frame = pd.DataFrame({"age": [0, 1, 5], "d": [100, 40, 500], "p": [10000, 40000, 20000]})
    got = life_expectancy(frame, "d", "p", "age", age_contents=[0, 1, 5], n_bands=3)
    m0, m1, m5 = 100 / 10000, 40 / 40000, 500 / 20000
    q0 = 1 * m0 / (1 + 1 * m0 * (1 - 0.1))  # a = 0.1 at age 0
    q1 = 4 * m1 / (1 + 4 * m1 * (1 - 0.5))
    l0 = 100_000
    l1 = l0 * (1 - q0)
    l5 = l1 * (1 - q1)
    big_l0 = 1 * (l1 + 0.1 * (l0 - l1))
    big_l1 = 4 * (l5 + 0.5 * (l1 - l5))
    big_l5 = l5 / m5
    e0, e1, e5 = (big_l0 + big_l1 + big_l5) / l0, (big_l1 + big_l5) / l1, big_l5 / l5
    w0 = q0**2 * (1 - q0) / 100 * l0**2 * ((1 - 0.1) * 1 + e1) ** 2
    w1 = q1**2 * (1 - q1) / 40 * l1**2 * ((1 - 0.5) * 4 + e5) ** 2
    w5 = (l5 / 2) ** 2 * 4 / (500 * m5**2)
    se0, se1 = math.sqrt((w0 + w1 + w5) / l0**2), math.sqrt((w1 + w5) / l1**2)
    np.testing.assert_allclose(got["value"], [e0, e1, e5], rtol=1e-12)
    np.testing.assert_allclose(got["lowercl"][:2], [e0 - Z95 * se0, e1 - Z95 * se1], rtol=1e-12)
    np.testing.assert_allclose(got["uppercl"][:2], [e0 + Z95 * se0, e1 + Z95 * se1], rtol=1e-12)
    assert got["statistic"].tolist() == [f"life expectancy at {a}" for a in (0, 1, 5)]


def test_fewer_bands_when_asked_85_plus_as_last_band() -> None:
    # PHE issue #96: merge 85-89 and 90+ into 85+, then n_bands = 19; e₈₅ = 1/M₈₅₊
    frame = CASES["single_area_c95"].input()
    frame.loc[18, ["pops", "deaths"]] = [11936 + 11936, 1936 + 1937]
    frame = frame.drop(index=19)
    got = life_expectancy(frame, "deaths", "pops", "startage", age_contents=BANDS[:-1], n_bands=19)
    assert got["value"].iloc[-1] == pytest.approx((11936 + 11936) / (1936 + 1937), rel=1e-12)
    assert got["reason"].isna().all()


def test_band_with_deaths_above_population_over_n_a_has_q_of_one() -> None:
    # 1-4: D = 20001 > P/(n·a) = 40000/(4·0.5) = 20000, so q = 1: nobody reaches 5, e₅ = 0
    frame = pd.DataFrame({"age": [0, 1, 5], "d": [100, 20001, 500], "p": [10000, 40000, 20000]})
    got = life_expectancy(frame, "d", "p", "age", age_contents=[0, 1, 5], n_bands=3)
    l1 = 100_000 * (1 - 0.01 / (1 + 0.01 * 0.9))
    big_l1 = 4 * (0 + 0.5 * l1)  # l₅ = 0, d₁ = l₁
    assert got.loc[1, "value"] == pytest.approx(big_l1 / l1, rel=1e-12)
    assert got.loc[2, "value"] == 0 and np.isnan(got.loc[2, "lowercl"])
    assert got.loc[2, "reason"] == "no survivors to this age band (q = 1 earlier)"


def test_no_deaths_in_the_open_band_is_na_with_reason() -> None:
    frame = (
        CASES["single_area_c95"]
        .input()
        .assign(deaths=lambda f: f["deaths"].where(f["startage"] != 90, 0))
    )
    got = life_expectancy(frame, "deaths", "pops", "startage")
    assert got[["value", "lowercl", "uppercl"]].isna().all().all()
    assert (got["reason"] == "no deaths in the last (open-ended) age band").all()


def test_missing_count_makes_the_group_na_with_reason() -> None:
    frame = CASES["single_area_c95"].input().astype({"deaths": "float64"})
    frame.loc[3, "deaths"] = np.nan
    got = life_expectancy(frame, "deaths", "pops", "startage")
    assert got["value"].isna().all() and got["lowercl"].isna().all()
    assert (got["reason"] == "deaths or population missing").all()


def test_several_confidence_levels_and_polars() -> None:
    frame = pl.from_pandas(CASES["single_area_c95"].input())
    got = life_expectancy(frame, "deaths", "pops", "startage", confidence=[90, 95, 99])
    assert isinstance(got, pl.DataFrame)
    assert {"lower90_0cl", "upper95_0cl", "lower99_0cl"} <= set(got.columns)
    assert got["confidence"][0] == "90%, 95%, 99%"
    assert got["lower95_0cl"][0] == pytest.approx(79.88268548, abs=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"age_contents": [1, 5, 10]}, ArgumentError, "first age band in age_contents must be 0"),
        (
            {"age_contents": [0, 5, 1, *range(10, 95, 5)]},
            ArgumentError,
            "in ascending order.*out of position: 5, 1$",
        ),
        ({"confidence": 0.5}, ArgumentError, "between 90 and 100 or between 0.9 and 1"),
        ({"confidence": (95, 101)}, ArgumentError, "between 90 and 100"),
        ({"le_age": [5, 7]}, ArgumentError, "le_age .* not found: 7"),
        ({"n_bands": 0}, ArgumentError, "n_bands must be a positive whole number"),
        (
            {"age_contents": [0, 1, *range(5, 100, 5)]},
            InputDataError,
            "do not match the contents of the age_contents.*'95' not in the data",
        ),
    ],
)
def test_bad_arguments(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        life_expectancy(CASES["single_area_c95"].input(), "deaths", "pops", "startage", **kwargs)


def test_start_ages_not_in_age_contents_are_named() -> None:
    frame = CASES["single_area_c95"].input()
    frame.loc[19, "startage"] = 95
    with pytest.raises(InputDataError, match=r"'95' not in age_contents.*'90' not in the data"):
        life_expectancy(frame, "deaths", "pops", "startage")


def test_missing_start_age_and_repeated_band_are_named() -> None:
    frame = CASES["single_area_c95"].input().astype({"startage": "float64"})
    frame.loc[4, "startage"] = np.nan
    with pytest.raises(InputDataError, match=r"startage field has missing values.*row 4"):
        life_expectancy(frame, "deaths", "pops", "startage")
    one = CASES["single_area_c95"].input()
    two = pd.concat([one.assign(area="A"), one.assign(area="B")], ignore_index=True)
    two.loc[39, "startage"] = 85  # area B: 85 twice, no 90
    with pytest.raises(InputDataError, match=r"more than once in a group.*\('B',\)"):
        life_expectancy(two, "deaths", "pops", "startage", group_by="area")


# Hypothesis: random but well-populated 20-band tables (rates well below the q = 1 threshold).
tables = st.tuples(
    st.lists(st.integers(20_000, 200_000), min_size=20, max_size=20),
    st.lists(st.floats(0.001, 0.1), min_size=19, max_size=19),
    st.floats(0.05, 0.3),  # ≤ 0.9 after scaling by up to 3: deaths stay below population
)


def frame_of(table: tuple[list[int], list[float], float], scale: float = 1.0) -> pd.DataFrame:
    pops, rates, open_rate = table
    deaths = np.array([*rates, open_rate]) * scale * np.array(pops)
    return pd.DataFrame({"age": BANDS, "p": pops, "d": deaths})


@settings(max_examples=50, deadline=None)
@given(tables)
def test_intervals_contain_the_value_and_widen_with_confidence(table: tuple) -> None:
    got = life_expectancy(frame_of(table), "d", "p", "age", confidence=(0.95, 0.998))
    shown = got[got["value"].notna()]
    assert (shown["lower99_8cl"] <= shown["lower95_0cl"]).all()
    assert (shown["lower95_0cl"] <= shown["value"]).all()
    assert (shown["value"] <= shown["upper95_0cl"]).all()
    assert (shown["upper95_0cl"] <= shown["upper99_8cl"]).all()


@settings(max_examples=50, deadline=None)
@given(tables, st.floats(1.01, 3.0))
def test_life_expectancy_at_birth_falls_when_every_death_rate_rises(
    table: tuple, factor: float
) -> None:
    before = life_expectancy(frame_of(table), "d", "p", "age", le_age=0)
    after = life_expectancy(frame_of(table, factor), "d", "p", "age", le_age=0)
    assert after["value"][0] < before["value"][0]
