"""phe_sii parity with the PHE SII workbook (reference_data/phe), error cases and properties."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import sii
from healthgap.stats._sii_simulation import order_positions, simulate
from healthgap.stats.sii import r_number, wls_design
from tests.stats.reference_cases import Case, assert_frame_matches, cases, read

CASES = cases("sii")
SEED = 20261128
POINT_COLUMNS = ("sii", "rii", "intercept")
CI_WIDTH_FRACTION = 0.03  # README: |got − exp| ≤ 3% of the expected CI width per limit


def _split(text: str) -> list[str]:
    """Split an R argument list at top-level commas."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    parts.append(current.strip())
    return parts


def _r_value(text: str) -> object:
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    if text.startswith("c("):
        return tuple(float(t) for t in _split(text[2:-1]))
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?[\d.]+(e[+-]?\d+)?", text):
        return float(text)
    return text  # a column name


def call_arguments(case: Case) -> tuple[str, str, dict[str, object]]:
    """The case's R call as (quantile, population, keyword arguments) for `sii`."""
    args = _split(case.call[case.call.index("(") + 1 : case.call.rindex(")")])
    data, quantile, population = args[:3]
    kwargs: dict[str, object] = {}
    if data.startswith("group_by("):
        kwargs["group_by"] = _split(data[len("group_by(") : -1])[1:]
    for arg in args[3:]:
        name, text = (t.strip() for t in arg.split("=", 1))
        kwargs[name] = _r_value(text)
    return quantile, population, kwargs


def assert_limits_close(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    """Each simulated limit within 3% of the expected interval's width (README tolerance)."""
    if keys:
        got, expected = got.set_index(keys).sort_index(), expected.set_index(keys).sort_index()
    limits = [c for c in expected.columns if "_lower" in c or "_upper" in c]
    assert limits, "case has no CI columns"
    for column in limits:
        partner = column.replace("_lower", "_upper") if "_lower" in column else column
        partner = partner if partner != column else column.replace("_upper", "_lower")
        width = (expected[partner] - expected[column]).abs().to_numpy()
        error = (got[column] - expected[column]).abs().to_numpy()
        assert (error <= CI_WIDTH_FRACTION * width).all(), (column, error / width)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_phe_workbook(name: str) -> None:
    case = CASES[name]
    quantile, population, kwargs = call_arguments(case)
    got = sii(case.input(), quantile, population, seed=SEED, **kwargs)
    expected = case.expected_frame()
    points = [c for c in POINT_COLUMNS if c in expected.columns]
    assert_frame_matches(got, expected, case.keys, rtol=case.rtol, columns=points)
    if name != "normal_se_quintiles":  # only SII and RII published for quintiles
        assert_limits_close(got, expected, case.keys)
    assert got["reason"].isna().all()


def test_call_parser_reads_every_case() -> None:
    assert len(CASES) == 30
    _, _, kwargs = call_arguments(CASES["rate_cl_log_c95_c98"])
    assert kwargs == {
        "group_by": ["Area", "Grouping1", "Grouping2"],
        "value_type": 1,
        "value": "Value",
        "lower_cl": "LowerCL",
        "upper_cl": "UpperCL",
        "transform": True,
        "confidence": (95.0, 98.0),
        "rii": True,
        "intercept": True,
    }


def test_full_type_columns_and_order() -> None:
    case = CASES["rate_cl_log_c95_c98"]
    quantile, population, kwargs = call_arguments(case)
    got = sii(case.input(), quantile, population, seed=SEED, repetitions=1000, **kwargs)
    assert list(got.columns) == [
        *["Area", "Grouping1", "Grouping2", "sii", "rii"],
        *["sii_lower95_0cl", "sii_upper95_0cl", "sii_lower98_0cl", "sii_upper98_0cl"],
        *["rii_lower95_0cl", "rii_upper95_0cl", "rii_lower98_0cl", "rii_upper98_0cl"],
        *["intercept", "indicator_type", "multiplier", "transform", "CI_confidence"],
        *["CI_method", "reason"],
    ]
    row = got.iloc[0]
    assert (row["indicator_type"], row["multiplier"], row["transform"]) == ("rate", 1, "log")
    assert (row.CI_confidence, row.CI_method) == ("95%, 98%", "simulation 1000 reps")


def test_default_metadata_normal() -> None:
    case = CASES["normal_se"]
    got = sii(
        case.input(), "Quantile", "Population", group_by="Area", value="Value", se="StandardError"
    )
    assert list(got.columns) == [
        *["Area", "sii", "sii_lower95_0cl", "sii_upper95_0cl", "indicator_type"],
        *["multiplier", "transform", "CI_confidence", "CI_method", "reason"],
    ]
    assert got["CI_method"].tolist() == ["simulation 1e+05 reps"] * 2
    assert got["indicator_type"].tolist() == ["normal"] * 2
    assert got["transform"].tolist() == ["none"] * 2


def test_hand_worked_quintiles() -> None:
    # Populations 100, 200, 300, 200, 200 (total 1000) -> a = 0.1, 0.2, 0.3, 0.2, 0.2
    # mid-point ranks b = 0.05, 0.1 + 0.1, 0.3 + 0.15, 0.6 + 0.1, 0.8 + 0.1
    #                   = 0.05, 0.2, 0.45, 0.7, 0.9
    # weighted mean rank b̄ = 0.005 + 0.04 + 0.135 + 0.14 + 0.18 = 0.5
    # Σa(b − b̄)² = 0.1·0.2025 + 0.2·0.09 + 0.3·0.0025 + 0.2·0.04 + 0.2·0.16 = 0.079
    # Σa(b − b̄)y = 0.1·(−0.45)·10 + 0.2·(−0.3)·12 + 0.3·(−0.05)·15 + 0.2·0.2·16 + 0.2·0.4·20 = 0.845
    # ȳ = Σay = 1 + 2.4 + 4.5 + 3.2 + 4 = 15.1
    slope = 0.845 / 0.079
    intercept = 15.1 - slope * 0.5
    frame = pd.DataFrame(
        {
            "q": [1, 2, 3, 4, 5],
            "pop": [100, 200, 300, 200, 200],
            "y": [10, 12, 15, 16, 20],
            "se": [1.0] * 5,
        }
    )
    got = sii(frame, "q", "pop", value="y", se="se", rii=True, intercept=True, repetitions=1000)
    assert got.loc[0, "sii"] == pytest.approx(slope, rel=1e-12)
    assert got.loc[0, "intercept"] == pytest.approx(intercept, rel=1e-12)
    assert got.loc[0, "rii"] == pytest.approx((intercept + slope) / intercept, rel=1e-12)
    # multiplier 100 scales the SII only; a negative one flips the sign and inverts the RII
    neg = sii(frame, "q", "pop", value="y", se="se", rii=True, multiplier=-100, repetitions=1000)
    assert neg.loc[0, "sii"] == pytest.approx(-100 * slope, rel=1e-12)
    assert neg.loc[0, "rii"] == pytest.approx(intercept / (intercept + slope), rel=1e-12)


def test_design_matrix_reproduces_weighted_least_squares() -> None:
    # (XᵀWX)⁻¹XᵀW with X = [1, b], W = diag(a) for the hand-worked ranks above
    a = np.array([0.1, 0.2, 0.3, 0.2, 0.2])
    b = np.array([0.05, 0.2, 0.45, 0.7, 0.9])
    design_x = np.column_stack([np.ones(5), b])
    expected = np.linalg.solve(design_x.T @ np.diag(a) @ design_x, design_x.T @ np.diag(a))
    got = wls_design(np.array([[100.0, 200, 300, 200, 200]]))[0]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_order_statistic_positions() -> None:
    # 1-based round(R(1 − c)/2) and round(R(1 + c)/2), returned 0-based
    got = order_positions(100_000, (0.95, 0.998))
    assert got.tolist() == [[2500 - 1, 97500 - 1], [100 - 1, 99900 - 1]]
    assert order_positions(1000, (0.95,)).tolist() == [[25 - 1, 975 - 1]]
    # c = 0.999: R·(1 − c') = 0.49999… rounds to 0 and is clamped to the 1st smallest;
    # R·c' = 999.5000000000001 in floating point (as in R) rounds to the 1000th
    assert order_positions(1000, (0.999,)).tolist() == [[0, 1000 - 1]]
    assert order_positions(1000, (1.0,)).tolist() == [[0, 999]]


@pytest.mark.parametrize(
    ("reps", "text"),
    [(100_000, "1e+05"), (10_000, "10000"), (150_000, "150000"), (2 * 10**6, "2e+06")],
)
def test_repetitions_printed_as_r_does(reps: int, text: str) -> None:
    assert r_number(reps) == text


def test_bivariate_draws_match_the_full_simulation() -> None:
    # value_type 0: (β₀, β₁) drawn from N(Mμ, M·diag(s²)·Mᵀ) versus PHE's k draws per rep
    frame = CASES["normal_se"].input()
    pops = frame["Population"].to_numpy().reshape(2, 10)
    mu = frame["Value"].to_numpy().reshape(2, 10)
    sd = frame["StandardError"].to_numpy().reshape(2, 10)
    positions = order_positions(200_000, (0.95,))[0]
    runs = {
        exact: simulate(
            wls_design(pops),
            mu,
            sd,
            back=None,
            slope_scale=1.0,
            rii=True,
            invert_rii=False,
            positions=positions,
            repetitions=200_000,
            runs=1,
            seed=SEED,
            stream_ids=np.arange(2),
            bivariate=exact,
        )
        for exact in (True, False)
    }
    for measure in ("slope", "rii"):
        short, full = getattr(runs[True], measure)[:, 0], getattr(runs[False], measure)[:, 0]
        width = full[:, 1] - full[:, 0]
        assert np.all(np.abs(short - full) <= 0.01 * width[:, None]), measure
        assert not np.array_equal(short, full)  # different draws, same distribution


def test_same_seed_same_limits_other_seed_differs() -> None:
    case = CASES["rate_cl"]
    quantile, population, kwargs = call_arguments(case)
    first = sii(case.input(), quantile, population, seed=7, repetitions=2000, **kwargs)
    again = sii(case.input(), quantile, population, seed=7, repetitions=2000, **kwargs)
    other = sii(case.input(), quantile, population, seed=8, repetitions=2000, **kwargs)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["sii_lower95_0cl"], other["sii_lower95_0cl"])


def test_incomplete_group_is_na_with_reason_and_others_unchanged() -> None:
    frame = CASES["normal_se"].input()
    alone = frame[frame["Area"] == "area1"]
    missing_decile = frame.drop(
        index=frame.index[(frame["Area"] == "area2") & (frame["Quantile"] == 4)]
    )
    args = {"value": "Value", "se": "StandardError", "rii": True, "seed": SEED, "repetitions": 5000}
    got = sii(missing_decile, "Quantile", "Population", group_by="Area", **args)
    ref = sii(alone, "Quantile", "Population", group_by="Area", **args)
    assert got["Area"].tolist() == ["area1", "area2"]
    pd.testing.assert_frame_equal(got.iloc[[0]], ref)
    assert got.loc[1, ["sii", "rii", "sii_lower95_0cl", "rii_upper95_0cl"]].isna().all()
    assert got.loc[1, "reason"] == "some quantiles missing for this group (PHE drops the group)"


def test_missing_value_gives_na_with_reason() -> None:
    frame = CASES["normal_se"].input()
    frame.loc[frame.index[12], "Value"] = np.nan
    got = sii(
        frame,
        "Quantile",
        "Population",
        group_by="Area",
        value="Value",
        se="StandardError",
        repetitions=1000,
    )
    assert not np.isnan(got.loc[0, "sii"]) and np.isnan(got.loc[1, "sii"])
    assert got["reason"].tolist() == [None, "value missing for some quantiles"]


def test_text_quantiles_sort_lexicographically_as_in_r() -> None:
    frame = CASES["normal_se"].input()
    labels = frame.assign(Quantile=frame["Quantile"].astype(str))
    # "1" < "10" < "2" < ... < "9": decile 10 is ranked second
    relabelled = frame.assign(
        Quantile=frame["Quantile"].map({1: 1, 10: 2} | {q: q + 1 for q in range(2, 10)})
    )
    args = {
        "group_by": "Area",
        "value": "Value",
        "se": "StandardError",
        "rii": True,
        "seed": SEED,
        "repetitions": 1000,
    }
    by_text = sii(labels, "Quantile", "Population", **args)
    by_rank = sii(relabelled, "Quantile", "Population", **args)
    numeric = sii(frame, "Quantile", "Population", **args)
    pd.testing.assert_frame_equal(by_text, by_rank)
    assert not np.allclose(by_text["sii"], numeric["sii"])


def test_more_than_ten_quantiles_is_fine() -> None:
    frame = pd.DataFrame(
        {"q": range(1, 13), "pop": [100] * 12, "y": np.arange(12.0), "se": [1.0] * 12}
    )
    got = sii(frame, "q", "pop", value="y", se="se", repetitions=1000)
    assert got.loc[0, "sii"] > 0


def test_reliability_statistic() -> None:
    case = CASES["normal_cl_intercept"]
    quantile, population, kwargs = call_arguments(case)
    got = sii(
        case.input(),
        quantile,
        population,
        seed=SEED,
        repetitions=10_000,
        reliability_stat=True,
        **kwargs,
    )
    assert list(got.columns)[-9:-6] == ["sii_mad95_0", "rii_mad95_0", "intercept"]
    for measure in ("sii", "rii"):
        width = got[f"{measure}_upper95_0cl"] - got[f"{measure}_lower95_0cl"]
        mad = got[f"{measure}_mad95_0"]
        assert ((mad > 0) & (mad < 0.05 * width)).all()
    # run 1 is the reported simulation: the same limits as without the statistic
    plain = sii(case.input(), quantile, population, seed=SEED, repetitions=10_000, **kwargs)
    pd.testing.assert_series_equal(got["sii_lower95_0cl"], plain["sii_lower95_0cl"])


def test_transformed_rate_swaps_limits_when_multiplier_below_one() -> None:
    # PHE quirk: with transform = TRUE, rates swap the limits (and invert the RII limits) for
    # multiplier < 1, proportions only for multiplier < 0. The draws are the same for equal seeds.
    for name, swaps in (("rate_cl_log", True), ("prop_cl_logit", False)):
        case = CASES[name]
        quantile, population, kwargs = call_arguments(case)
        args = {**kwargs, "seed": SEED, "repetitions": 2000}
        one = sii(case.input(), quantile, population, **args)
        half = sii(case.input(), quantile, population, **{**args, "multiplier": 0.5})
        np.testing.assert_allclose(half["sii"], 0.5 * one["sii"], rtol=1e-12)
        np.testing.assert_allclose(half["rii"], one["rii"], rtol=1e-12)
        lower, upper = (
            ("sii_upper95_0cl", "sii_lower95_0cl")
            if swaps
            else ("sii_lower95_0cl", "sii_upper95_0cl")
        )
        np.testing.assert_allclose(half["sii_lower95_0cl"], 0.5 * one[lower], rtol=1e-12)
        np.testing.assert_allclose(half["sii_upper95_0cl"], 0.5 * one[upper], rtol=1e-12)
        if swaps:
            np.testing.assert_allclose(
                half["rii_lower95_0cl"], 1 / one["rii_upper95_0cl"], rtol=1e-12
            )
        else:
            np.testing.assert_allclose(half["rii_lower95_0cl"], one["rii_lower95_0cl"], rtol=1e-12)


def test_polars_in_polars_out() -> None:
    frame = pl.from_pandas(CASES["normal_se"].input())
    got = sii(
        frame,
        "Quantile",
        "Population",
        group_by=["Area"],
        value="Value",
        se="StandardError",
        repetitions=1000,
    )
    assert isinstance(got, pl.DataFrame)
    assert got["sii"].to_list() == pytest.approx([6.934616473668819, 12.547846636351798], rel=1e-9)


# --- errors -------------------------------------------------------------------------------

SOURCE = read("_source/SII_test_data.csv")


def _rows(first: int, last: int) -> pd.DataFrame:
    """SII_test_data rows first..last (1-based record numbers, as in the package tests)."""
    return SOURCE.iloc[first - 1 : last]


@pytest.mark.parametrize(
    ("first", "last", "kwargs", "message", "offender"),
    [
        (
            151,
            160,
            {"value": "Value", "se": "StandardError"},
            "zero, negative or missing population",
            152,
        ),
        (
            161,
            165,
            {"value": "Value", "se": "StandardError"},
            "negative or missing standard errors",
            163,
        ),
        (
            191,
            200,
            {"value": "Value", "se": "StandardError"},
            "negative or missing standard errors",
            191,
        ),
        (
            191,
            200,
            {"value": "Value", "lower_cl": "LowerCL", "upper_cl": "UpperCL"},
            "missing lower or upper confidence limits",
            191,
        ),
        (
            166,
            170,
            {"x": "Count", "value_type": 2, "se": "StandardError"},
            "zero or negative count x",
            168,
        ),
        (
            1,
            20,
            {"value": "Value", "value_type": 2, "se": "StandardError"},
            "value proportions are not all between 0 and 1",
            1,
        ),
        (
            171,
            175,
            {"value": "Value", "value_type": 2, "lower_cl": "LowerCL", "upper_cl": "UpperCL"},
            "confidence limit proportions are not all between 0 and 1",
            174,
        ),
        (
            176,
            180,
            {"value": "Value", "value_type": 2, "lower_cl": "LowerCL", "upper_cl": "UpperCL"},
            "confidence limit proportions are not all between 0 and 1",
            177,
        ),
    ],
)
def test_bad_rows_are_named(
    first: int, last: int, kwargs: dict, message: str, offender: int
) -> None:
    with pytest.raises(InputDataError, match=message) as info:
        sii(_rows(first, last), "Quantile", "Population", **kwargs)
    assert info.value.offenders[0] == f"row {offender - 1}"


def test_missing_population_is_named() -> None:
    frame = _rows(1, 10).copy()
    frame.loc[frame.index[3], "Population"] = np.nan
    with pytest.raises(InputDataError, match=r"missing population.*row 3"):
        sii(frame, "Quantile", "Population", value="Value", se="StandardError")


def test_non_numeric_field() -> None:
    with pytest.raises(InputDataError, match="'Grouping1' must be numeric"):
        sii(_rows(1, 10), "Quantile", "Grouping1", value="Value", se="StandardError")


@pytest.mark.parametrize(("first", "last", "found"), [(1, 3, 3), (1, 1, 1)])
def test_too_few_quantiles(first: int, last: int, found: int) -> None:
    with pytest.raises(InputDataError, match=f"between 5 and 100 .*{found} distinct"):
        sii(
            _rows(first, last),
            "Quantile",
            "Population",
            value="Value",
            lower_cl="LowerCL",
            upper_cl="UpperCL",
        )


def test_too_many_quantiles() -> None:
    frame = pd.DataFrame({"q": range(101), "pop": [10] * 101, "y": [1.0] * 101, "se": [1.0] * 101})
    with pytest.raises(InputDataError, match=r"between 5 and 100 .*101 distinct"):
        sii(frame, "q", "pop", value="y", se="se")


def test_duplicated_quantile_names_the_group() -> None:
    frame = CASES["normal_se"].input()
    frame = pd.concat([frame, frame.iloc[[13]]])
    with pytest.raises(InputDataError, match=r"one row per quantile.*\('area2',\)"):
        sii(frame, "Quantile", "Population", group_by="Area", value="Value", se="StandardError")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"se": "StandardError"}, "requires value field, or x field if indicator is a proportion"),
        (
            {"value": "Value", "lower_cl": "LowerCL"},
            "requires either lower_cl and upper_cl fields, or se field",
        ),
        (
            {"value": "Value", "se": "StandardError", "value_type": 3},
            "value_type should be 0, 1 or 2",
        ),
        (
            {"value": "Value", "se": "StandardError", "value_type": "rate"},
            "value_type should be 0, 1 or 2",
        ),
        (
            {"x": "Count", "se": "StandardError", "value_type": 1},
            "x \\(without value\\) can only be used",
        ),
        ({"value": "Value", "se": "StandardError", "multiplier": "none"}, "should be numeric"),
        ({"value": "Value", "se": "StandardError", "repetitions": "none"}, "should be numeric"),
        (
            {"value": "Value", "se": "StandardError", "repetitions": 999},
            "repetitions must be 1000 or greater",
        ),
        ({"value": "Value", "se": "StandardError", "repetitions": 1500.5}, "whole number"),
        ({"value": "Value", "se": "StandardError", "confidence": 0.35}, "between 90 and 100"),
        ({"value": "Value", "se": "StandardError", "confidence": 40}, "between 90 and 100"),
        ({"value": "Value", "se": "StandardError", "confidence": 135}, "between 90 and 100"),
        ({"value": "Value", "se": "StandardError", "confidence": (95, 0.95)}, "distinct"),
        (
            {"value": "Value", "lower_cl": "LowerCL", "upper_cl": "UpperCL", "transform": True},
            "value_type should be 1 or 2 when transform is true",
        ),
        (
            {"value": "Value", "se": "StandardError", "transform": True, "value_type": 1},
            "requires se to be missing when transform is true",
        ),
        (
            {"value": "Value", "lower_cl": "LowerCL", "transform": True, "value_type": 1},
            "requires lower_cl and upper_cl fields when transform is true",
        ),
        ({"value": "Valu", "se": "StandardError"}, "did you mean 'Value'"),
    ],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        sii(_rows(1, 20), "Quantile", "Population", group_by="Area", **kwargs)


# --- properties ---------------------------------------------------------------------------


@st.composite
def deciles(draw: st.DrawFn, direction: int = 1) -> pd.DataFrame:
    """One area: 5-10 quantiles, strictly monotone values (direction ±1), positive SEs."""
    k = draw(st.integers(min_value=5, max_value=10))
    pops = draw(st.lists(st.integers(min_value=1, max_value=10**6), min_size=k, max_size=k))
    steps = draw(st.lists(st.floats(min_value=0.01, max_value=50), min_size=k, max_size=k))
    base = draw(st.floats(min_value=1, max_value=100))
    ses = draw(st.lists(st.floats(min_value=0.0, max_value=0.3), min_size=k, max_size=k))
    values = base + direction * np.cumsum(steps)
    return pd.DataFrame({"q": range(1, k + 1), "pop": pops, "y": values, "se": ses})


@settings(deadline=None, max_examples=40)
@given(deciles(1), deciles(-1))
def test_sii_sign_follows_the_gradient(up: pd.DataFrame, down: pd.DataFrame) -> None:
    assert sii(up, "q", "pop", value="y", se="se", repetitions=1000).loc[0, "sii"] > 0
    assert sii(down, "q", "pop", value="y", se="se", repetitions=1000).loc[0, "sii"] < 0


@settings(deadline=None, max_examples=40)
@given(deciles(1), st.sampled_from([(0, False), (1, False), (1, True)]), st.integers(0, 2**32 - 1))
def test_interval_contains_estimate_and_widens(
    frame: pd.DataFrame, kind: tuple[int, bool], seed: int
) -> None:
    value_type, transform = kind
    # SII draws are normal (value_type 0, or transform) and centred on the SII; for rates without
    # transform, log-scale SDs ≤ 0.3 shift the mean of exp(draws) by < 5%, well inside the spread
    if value_type == 1:
        frame = frame.assign(
            lcl=frame.y * np.exp(-1.959964 * frame.se), ucl=frame.y * np.exp(1.959964 * frame.se)
        )
        spec = {"lower_cl": "lcl", "upper_cl": "ucl"}
    else:
        spec = {"se": "se"}
    args = {
        "value": "y",
        "value_type": value_type,
        "transform": transform,
        "rii": True,
        "repetitions": 1000,
        "seed": seed,
    }
    narrow = sii(frame, "q", "pop", confidence=0.95, **spec, **args).iloc[0]
    wide = sii(frame, "q", "pop", confidence=0.998, **spec, **args).iloc[0]
    eps = 1e-9 * max(1.0, abs(narrow.sii), abs(narrow.rii))
    assert narrow.sii_lower95_0cl - eps <= narrow.sii <= narrow.sii_upper95_0cl + eps
    if transform:  # RII limits are the back-transformed slope limits: monotone, so they contain it
        # (untransformed, the simulated ratio (β₀+β₁)/β₀ need not be centred on the point RII)
        assert narrow.rii_lower95_0cl - eps <= narrow.rii <= narrow.rii_upper95_0cl + eps
    assert wide.sii_lower99_8cl <= narrow.sii_lower95_0cl + eps
    assert narrow.sii_upper95_0cl <= wide.sii_upper99_8cl + eps
    assert wide.rii_lower99_8cl <= narrow.rii_lower95_0cl + eps
    assert narrow.rii_upper95_0cl <= wide.rii_upper99_8cl + eps
