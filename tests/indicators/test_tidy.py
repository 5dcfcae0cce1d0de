"""`tidy.with_areas`: names and the parent holding most of an area's LSOAs (ties: the smaller
code), written out by hand on a five-LSOA table. `tidy.statistics` (columnar, on
`healthgap.stats.arrays`): equal to the frame functions on the spec population and on
hypothesis-drawn DSR groups, and hand-calculated DSR band rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import InputDataError
from healthgap.indicators import load_catalogue
from healthgap.indicators.aggregate import aggregate
from healthgap.indicators.reference import reference_finest
from healthgap.indicators.tidy import COLUMNS, KEYS, statistics, with_areas
from healthgap.stats import dsr, proportion, rate
from tests.spec import synthetic


def _areas() -> pd.DataFrame:
    # MSOA M1 has 3 LSOAs: 2 in LAD L2, 1 in L1 -> parent L2 (majority).
    # MSOA M2 has 2 LSOAs: 1 in L1, 1 in L2 -> a tie -> the smaller code, L1.
    rows = [
        ("A1", "M1", "L2"), ("A2", "M1", "L2"), ("A3", "M1", "L1"),
        ("A4", "M2", "L1"), ("A5", "M2", "L2"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["lsoa21", "msoa21", "lad24"])
    return frame.assign(
        lsoa21_name=frame["lsoa21"] + " name", msoa21_name=frame["msoa21"] + " name",
        lad24_name=frame["lad24"] + " name", icb24="I1", icb24_name="ICB",
        region24="R1", region24_name="Region",
    )  # fmt: skip


def test_parent_is_the_majority_then_the_smaller_code_and_names_follow() -> None:
    results = pd.DataFrame({"area_code": ["A3", "M1", "M2", "L1", "I1", "E92000001"]})
    got = with_areas(results, _areas()).set_index("area_code")
    assert got.loc["A3", "parent_code"] == "M1"
    assert got.loc["M1", "parent_code"] == "L2"
    assert got.loc["M2", "parent_code"] == "L1"
    assert got.loc["L1", "parent_code"] == "I1"
    assert got.loc["I1", "parent_code"] == "R1"
    assert pd.isna(got.loc["E92000001", "parent_code"])
    assert got.loc["M1", "area_name"] == "M1 name"
    assert got.loc["E92000001", "area_name"] == "England"


# --- the columnar statistics against the frame-based functions ----------------------------------

CATALOGUE = load_catalogue()
LEVELS = (0.95, 0.998)
FRAME_LIMITS = {"lower95_0cl": "lowercl", "upper95_0cl": "uppercl"}
SPEC_AREAS = pd.DataFrame(
    {
        "lsoa21": ["E01000001", "E01000002", "E01000003", "E01000004"],
        "msoa21": ["E02000001", "E02000001", "E02000002", "E02000003"],
        "lad24": ["E08000001", "E08000001", "E08000002", "E08000002"],
        "icb24": ["E54000001"] * 4, "region24": ["E12000001"] * 4,
        "imd_decile": [1, 2, 6, 10], "imd_quintile": [1, 1, 3, 5],
        "core20": [True, True, False, False],
    }
)  # fmt: skip


def frame_based(counts: pd.DataFrame, indicators: dict) -> pd.DataFrame:
    """The results by the public frame functions, one call per method and multiplier: DSR groups
    get every standard band (a band with nobody as x = 0, n = 1, the 1s taken off the reported
    population afterwards; bands outside the standard dropped), as PHE's calculate_dsr needs."""
    parts = []
    for ident, chunk in counts.groupby("indicator_id", sort=True):
        ind = indicators[ident]
        m = float(ind.multiplier)
        if ind.method == "dsr":
            bands = pd.DataFrame(
                list(ind.standard_weights.items()), columns=["age_band", "standard_population"]
            )
            full = chunk[KEYS].drop_duplicates().merge(bands, how="cross")
            merged = full.merge(chunk, how="left", on=[*KEYS, "age_band"])
            empty = merged["denominator"].isna() | (merged["denominator"] == 0)
            merged.loc[empty, ["numerator", "denominator"]] = [0, 1]
            out = dsr(
                merged, "numerator", "denominator", group_by=KEYS,
                stdpop="standard_population", confidence=LEVELS, multiplier=m,
            ).rename(columns={"total_count": "numerator", "total_pop": "denominator"})  # fmt: skip
            added = merged[empty].groupby(KEYS, dropna=False).size().rename("added")
            added = added.reset_index()  # dropna=False: groups with a missing key count too
            out["denominator"] -= out.merge(added, on=KEYS, how="left")["added"].fillna(0)
        else:
            function = rate if ind.method == "rate" else proportion
            rows = chunk.drop(columns="age_band")
            out = function(rows, "numerator", "denominator", confidence=LEVELS, multiplier=m)
        target = np.nan if ind.target is None else ind.target.value
        parts.append(
            out.rename(columns=FRAME_LIMITS).assign(
                multiplier=m, polarity=ind.polarity, target=target, indicator_name=ind.name
            )
        )
    return pd.concat(parts, ignore_index=True)


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    columns = [c for c in COLUMNS if c in want.columns]
    got = got[columns].astype({c: object for c in columns if got[c].dtype.kind not in "fiu"})
    want = want[columns].astype({c: object for c in columns if want[c].dtype.kind not in "fiu"})
    got = got.sort_values(KEYS, ignore_index=True).fillna(np.nan)
    want = want.sort_values(KEYS, ignore_index=True).fillna(np.nan)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)


@pytest.fixture(scope="module")
def spec_counts() -> pd.DataFrame:
    people, events = synthetic.population(CATALOGUE, n_people=600, n_events=4000, seed=7)
    return aggregate(reference_finest(CATALOGUE, people, events), CATALOGUE, SPEC_AREAS)


def test_statistics_equal_the_frame_functions_on_the_spec_population(spec_counts) -> None:
    assert {"proportion", "rate", "dsr"} <= {CATALOGUE[i].method for i in spec_counts.indicator_id}
    want = frame_based(spec_counts, CATALOGUE)
    _same(statistics(spec_counts, CATALOGUE), want)
    categorical = spec_counts.astype({c: "category" for c in [*KEYS, "age_band"]})
    got = statistics(categorical, CATALOGUE)
    assert isinstance(got["area_code"].dtype, pd.CategoricalDtype)
    _same(got, want)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["0-4", "5-9", "85-89", "90+", "unknown"]),
            st.sampled_from(["E01000001", "E01000002"]),
            st.integers(0, 40),
            st.integers(0, 400),
        ),
        min_size=1, max_size=12, unique_by=lambda r: r[:2],
    )
)  # fmt: skip
def test_dsr_groups_equal_the_frame_function(rows: list[tuple[str, str, int, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["age_band", "area_code", "numerator", "denominator"])
    counts = frame.assign(
        indicator_id="emergency_admissions_dsr", period="2024/25", area_type="lsoa21",
        category_type="all", category="All",
    )  # fmt: skip
    _same(statistics(counts, CATALOGUE), frame_based(counts, CATALOGUE))


def test_dsr_band_with_no_population_or_outside_the_standard_adds_nothing() -> None:
    # ESP2013 (W = 100,000): 0-4 (weight 5,000) has 12 events in 1,000 people; 5-9 has 4 events
    # but no population, and "unknown" is no standard band: both add no events or people.
    # DSR = 12 x 5000 / 1000 / 100000 x 100000 = 60 per 100,000, from O = 12 events in 1,000.
    counts = pd.DataFrame(
        {
            "indicator_id": "emergency_admissions_dsr", "period": "2024/25",
            "area_type": "lsoa21", "area_code": "E01000001", "category_type": "all",
            "category": "All", "age_band": ["0-4", "5-9", "unknown"],
            "numerator": [12, 4, 3], "denominator": [1000, 0, 7],
        }
    )  # fmt: skip
    out = statistics(counts, CATALOGUE).iloc[0]
    assert out["value"] == pytest.approx(12 * 5000 / 1000 / 100_000 * 100_000)
    assert (out["numerator"], out["denominator"]) == (12, 1000)


def test_a_proportion_above_its_denominator_is_an_input_error() -> None:
    counts = pd.DataFrame(
        {
            "indicator_id": ["flu_vaccination_65_plus"], "period": ["2024/25"],
            "area_type": ["lsoa21"], "area_code": ["E01000001"], "category_type": ["all"],
            "category": ["All"], "age_band": ["all"], "numerator": [5], "denominator": [4],
        }
    )  # fmt: skip
    with pytest.raises(InputDataError, match="must not exceed its denominator"):
        statistics(counts, CATALOGUE)


def test_with_areas_maps_a_categorical_area_code_through_its_categories() -> None:
    results = pd.DataFrame({"area_code": pd.Categorical(["M2", "A3", "M2", None])})
    got = with_areas(results, _areas())
    assert isinstance(got["parent_code"].dtype, pd.CategoricalDtype)
    assert got["parent_code"].astype(object).tolist()[:3] == ["L1", "M1", "L1"]
    assert got["area_name"].astype(object).tolist()[:3] == ["M2 name", "A3 name", "M2 name"]
    assert got[["area_name", "parent_code"]].iloc[3].isna().all()
