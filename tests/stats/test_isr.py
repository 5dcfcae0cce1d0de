"""calculate_ISRatio / calculate_ISRate parity (PHEindicatormethods' published workbook values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import isr, isratio
from tests.stats.reference_cases import Case, assert_frame_matches, cases, read

CASES = cases("isr")
Z95 = 1.959963984540054

# Function and keyword arguments equivalent to each vector-mode case's R call (cases.csv `call`).
VECTOR = {
    "israte_m1e5_c95c998": (isr, {"confidence": (0.95, 0.998)}),
    "israte_m1e5_c95": (isr, {}),
    "israte_m1e5_c998": (isr, {"confidence": 99.8}),
    "israte_m1000_c95c998": (isr, {"multiplier": 1000, "confidence": (0.95, 0.998)}),
    "israte_m1000_c95": (isr, {"multiplier": 1000}),
    "israte_m1000_c998": (isr, {"multiplier": 1000, "confidence": 99.8}),
    "isratio_ref1_c95c998": (isratio, {"confidence": (0.95, 0.998)}),
    "isratio_ref1_c95": (isratio, {}),
    "isratio_ref1_c998": (isratio, {"confidence": 99.8}),
    "isratio_ref100_c95c998": (isratio, {"refvalue": 100, "confidence": (0.95, 0.998)}),
    "isratio_ref100_c95": (isratio, {"refvalue": 100}),
    "isratio_ref100_c998": (isratio, {"refvalue": 100, "confidence": 99.8}),
    "israte_zero_pop_band_c95_standard": (isr, {}),
    "isratio_zero_pop_band_ref100_c95_standard": (isratio, {"refvalue": 100}),
}
FIELD = {"israte_m1e5_field_c95": isr, "isratio_ref1_field_c95": isratio}
TOTALS = {"israte_m1e5_observed_totals_c95": isr, "isratio_ref1_observed_totals_c95": isratio}


def inputs(case: Case) -> dict[str, pd.DataFrame]:
    """A case's named inputs ("input=…; ref=…; totals=…")."""
    return {
        name.strip(): read(path.strip()) for name, path in (item.split("=") for item in case.inputs)
    }


def reference() -> pd.DataFrame:
    return inputs(CASES["israte_m1e5_c95"])["ref"]


def multiarea() -> pd.DataFrame:
    return inputs(CASES["israte_m1e5_c95"])["input"]


def test_every_reference_case_is_tested() -> None:
    assert set(CASES) == {*VECTOR, *FIELD, *TOTALS}


@pytest.mark.parametrize("name", sorted(VECTOR))
def test_reference_vectors_match_phe(name: str) -> None:
    case = CASES[name]
    function, kwargs = VECTOR[name]
    data = inputs(case)
    got = function(
        data["input"], "count", "pop", data["ref"]["refcount"], data["ref"]["refpop"],
        group_by="area", **kwargs,
    )  # fmt: skip
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


@pytest.mark.parametrize("name", sorted(FIELD))
def test_reference_fields_match_phe(name: str) -> None:
    case = CASES[name]
    got = FIELD[name](
        inputs(case)["input"], "count", "pop", "refcount", "refpop", group_by="area",
        refpoptype="field",
    )  # fmt: skip
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


@pytest.mark.parametrize("name", sorted(TOTALS))
def test_observed_totals_match_phe(name: str) -> None:
    case = CASES[name]
    data = inputs(case)
    got = TOTALS[name](
        data["input"], "total_count", "pop", data["ref"]["refcount"].to_list(),
        data["ref"]["refpop"].to_numpy(), group_by="area", observed_totals=data["totals"],
    )  # fmt: skip
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_vectors_match_rows_by_position_within_each_group() -> None:
    case = CASES["israte_m1e5_c95c998"]
    frame = multiarea()
    interleaved = frame.iloc[np.argsort(np.tile(np.arange(19), 3), kind="stable")]
    assert list(interleaved["area"][:3]) == ["testdata_big", "testdata_small", "testdata_tiny"]
    ref = reference()
    got = isr(interleaved, "count", "pop", ref["refcount"], ref["refpop"], group_by="area",
              confidence=(0.95, 0.998))  # fmt: skip
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def hand_frame(observed: tuple[int, int]) -> pd.DataFrame:
    # bands (x_ref, n_ref, n): (10, 1000, 1000), (50, 1000, 200) -> E = 10 + 10 = 20
    return pd.DataFrame({"x": observed, "n": [1000, 200], "xr": [10, 50], "nr": [1000, 1000]})


def test_ratio_and_rate_hand_calculation() -> None:
    frame = hand_frame((5, 20))  # O = 25
    byar_lower = 25 * (1 - 1 / (9 * 25) - Z95 / (3 * math.sqrt(25))) ** 3
    byar_upper = 26 * (1 - 1 / (9 * 26) + Z95 / (3 * math.sqrt(26))) ** 3
    ratio = isratio(frame, "x", "n", "xr", "nr", refpoptype="field").iloc[0]
    assert (ratio["observed"], ratio["expected"]) == (25, pytest.approx(20, rel=1e-12))
    assert ratio["value"] == pytest.approx(25 / 20, rel=1e-12)
    assert ratio["lowercl"] == pytest.approx(byar_lower / 20, rel=1e-12)
    assert ratio["uppercl"] == pytest.approx(byar_upper / 20, rel=1e-12)
    assert (ratio["statistic"], ratio["method"]) == ("indirectly standardised ratio x 1", "Byars")

    rate = isr(frame, "x", "n", [10, 50], [1000, 1000]).iloc[0]
    ref_rate = (10 + 50) / (1000 + 1000) * 100_000  # 3000 per 100,000
    assert rate["ref_rate"] == pytest.approx(ref_rate, rel=1e-12)
    assert rate["value"] == pytest.approx(25 / 20 * ref_rate, rel=1e-12)  # 3750
    assert rate["uppercl"] == pytest.approx(byar_upper / 20 * ref_rate, rel=1e-12)
    assert rate["statistic"] == "indirectly standardised rate per 100000"


def test_zero_observed_uses_exact_limits() -> None:
    # O = 0: lower 0; upper = χ²_{0.975}(2)/2 = −ln(0.025) (χ² with 2 d.f. is exponential).
    got = isratio(hand_frame((0, 0)), "x", "n", [10, 50], [1000, 1000], refvalue=100).iloc[0]
    assert (got["value"], got["lowercl"]) == (0, 0)
    assert got["uppercl"] == pytest.approx(-math.log(0.025) / 20 * 100, rel=1e-12)
    assert got["method"] == "Exact" and got["reason"] is None


def test_one_observed_exact_lower_limit() -> None:
    # O = 1: lower = χ²_{0.025}(2)/2 = −ln(0.975).
    got = isratio(hand_frame((1, 0)), "x", "n", [10, 50], [1000, 1000]).iloc[0]
    assert got["lowercl"] == pytest.approx(-math.log(0.975) / 20, rel=1e-12)


def test_group_missing_from_observed_totals_is_na_with_reason() -> None:
    totals = pd.DataFrame({"area": ["testdata_big", "testdata_small"], "deaths": [895, 91]})
    ref = reference()
    got = isratio(multiarea(), "deaths", "pop", ref["refcount"], ref["refpop"], group_by="area",
                  observed_totals=totals).set_index("area")  # fmt: skip
    assert np.isnan(got.loc["testdata_tiny", "value"])
    assert got.loc["testdata_tiny", "reason"] == "observed total missing"
    assert pd.isna(got.loc["testdata_tiny", "method"])
    assert got.loc["testdata_big", "method"] == "Byars"


def test_zero_expected_is_na_with_reason() -> None:
    got = isratio(hand_frame((3, 0)).assign(n=0), "x", "n", "xr", "nr", refpoptype="field")
    assert np.isnan(got.loc[0, "value"]) and got.loc[0, "reason"] == "expected count is zero"


def test_polars_in_polars_out() -> None:
    frame = pl.from_pandas(hand_frame((5, 20)).assign(g="a"))
    totals = pl.DataFrame({"g": ["a"], "x": [25]})
    got = isr(frame, "x", "n", "xr", "nr", group_by="g", refpoptype="field",
              observed_totals=totals)  # fmt: skip
    assert isinstance(got, pl.DataFrame)
    assert got["value"].to_list() == [pytest.approx(3750)]


def test_negative_population_is_named() -> None:
    frame = multiarea()
    frame.loc[22, "pop"] = -5
    ref = reference()
    with pytest.raises(
        InputDataError, match=r"denominators must all be greater than or equal to zero.*row 22"
    ):
        isratio(frame, "count", "pop", ref["refcount"], ref["refpop"], group_by="area")


def test_groups_with_different_row_counts_are_named() -> None:
    frame = multiarea().drop(index=30)  # a band of testdata_small
    ref = reference()
    with pytest.raises(
        InputDataError,
        match=r"same number of rows for each group.*'testdata_small', '18 rows'",
    ):
        isr(frame, "count", "pop", ref["refcount"], ref["refpop"], group_by="area")


def test_reference_vector_length_must_match_group_rows() -> None:
    ref = reference().head(18)
    with pytest.raises(
        ArgumentError, match=r"length must equal number of rows in each group.*18 .*19 rows"
    ):
        isratio(multiarea(), "count", "pop", ref["refcount"], ref["refpop"], group_by="area")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"refpoptype": "column"}, ArgumentError, "valid values for refpoptype are vector and"),
        ({"ref_numerator": [1, 2, 3]}, ArgumentError, "must have the same length"),
        ({"ref_numerator": "refcount"}, ArgumentError, "use refpoptype='field'"),
        ({"ref_numerator": ["a", 2]}, ArgumentError, "must contain only numbers"),
        ({"ref_numerator": [-1, 50]}, InputDataError, "reference numerators .*position 0"),
        ({"ref_denominator": [1000, 0]}, InputDataError, "reference denominators .*position 1"),
        ({"ref_denominator": [None, 9]}, InputDataError, "reference denominators .*position 0"),
        ({"refvalue": 0}, ArgumentError, "refvalue must be greater than 0"),
        ({"confidence": 0.5}, ArgumentError, "between 90 and 100 or between 0.9 and 1"),
        ({"confidence": (0.95, 0.99)}, ArgumentError, "specified as 0.95 and 0.998"),
    ],
)  # fmt: skip
def test_bad_arguments(kwargs: dict[str, object], error: type, message: str) -> None:
    arguments = {"ref_numerator": [10, 50], "ref_denominator": [1000, 1000]} | kwargs
    with pytest.raises(error, match=message):
        isratio(hand_frame((5, 20)), "x", "n", **arguments)  # type: ignore[arg-type]


def test_bad_multiplier() -> None:
    with pytest.raises(ArgumentError, match="multiplier must be numeric"):
        isr(hand_frame((5, 20)), "x", "n", [10, 50], [1000, 1000], multiplier="1e5")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("totals", "message", "error"),
    [
        ({"g": ["a"], "deaths": [25]}, "'x' is not a column of it", ArgumentError),
        ({"g": ["a"], "x": [-1]}, "numerators must all be greater.*row 0", InputDataError),
        ({"g": ["a", "a"], "x": [1, 2]}, r"more than one row for a group.*'a'", InputDataError),
        ({"n": [200], "x": [25]}, "must be joined on grouping columns", ArgumentError),
        ({"h": ["a"], "x": [25]}, "must be joined on grouping columns", ArgumentError),
    ],
)  # fmt: skip
def test_bad_observed_totals(totals: dict[str, list[object]], message: str, error: type) -> None:
    frame = hand_frame((5, 20)).assign(g="a")
    with pytest.raises(error, match=message):
        isratio(frame, "x", "n", "xr", "nr", group_by="g", refpoptype="field",
                observed_totals=pd.DataFrame(totals))  # fmt: skip


def test_negative_numerator_is_named() -> None:
    with pytest.raises(InputDataError, match=r"numerators must all be greater.*row 1"):
        isratio(hand_frame((5, -2)), "x", "n", "xr", "nr", refpoptype="field")


def test_missing_reference_field_column() -> None:
    with pytest.raises(ArgumentError, match="'refcnt' is not in the data"):
        isratio(hand_frame((5, 20)), "x", "n", "refcnt", "nr", refpoptype="field")


counts = st.tuples(
    st.integers(0, 5000), st.floats(0.01, 1e5, allow_nan=False, allow_infinity=False)
)


@given(counts)
def test_interval_contains_value_and_widens_with_confidence(count: tuple[int, float]) -> None:
    observed, expected = count
    frame = pd.DataFrame({"x": [observed], "n": [expected], "xr": [1], "nr": [1]})
    got = isratio(frame, "x", "n", "xr", "nr", refpoptype="field", confidence=(0.95, 0.998))
    row = got.iloc[0]
    tol = 1e-12 * max(row["value"], 1e-300)
    assert row["lower99_8cl"] <= row["lower95_0cl"] + tol
    assert row["lower95_0cl"] <= row["value"] + tol and row["value"] <= row["upper95_0cl"] + tol
    assert row["upper95_0cl"] <= row["upper99_8cl"] + tol
    assert row["method"] == ("Exact" if observed < 10 else "Byars")
