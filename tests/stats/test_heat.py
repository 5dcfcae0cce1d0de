"""WHO HEAT summary measures: healthequal 1.0.1's published test values (reference_data/heat),
hand calculations written out as arithmetic, error cases and property tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import inequality_summary
from healthgap.stats._heat_measures import _quantiles, truncated_normal
from tests.stats.reference_cases import HEAT

Z = 1.959963984540054
EXPECTED = pd.read_csv(HEAT / "expected_healthequal_tests.csv")
CODES = {"parisk": "par", "covar": "cov"}  # healthequal function name -> HEAT measure code


def ordered5(**kwargs: object) -> pd.DataFrame:
    data = pd.read_csv(HEAT / "ordered5.csv")
    return inequality_summary(
        data,
        "subgroup_order",
        "est",
        "pop",
        se="se",
        ordered=True,
        order="subgroup_order",
        **kwargs,
    )


def nonordered25(**kwargs: object) -> pd.DataFrame:
    data = pd.read_csv(HEAT / "nonordered25.csv")
    return inequality_summary(
        data, "subgroup", "est", "pop", se="se", reference_subgroup=14, **kwargs
    )


@pytest.fixture(scope="module")
def published() -> dict[str, pd.DataFrame]:
    return {
        "ordered5": ordered5().set_index("measure"),
        "nonordered25": nonordered25().set_index("measure"),
    }


TESTED = EXPECTED[EXPECTED["estimate"].notna()]


@pytest.mark.parametrize(
    "row",
    [r for _, r in TESTED.iterrows()],
    ids=[f"{r.measure}-{r.dataset}" for r in TESTED.itertuples()],
)
def test_matches_healthequal_published_values(row: pd.Series, published: dict) -> None:
    got = published[row["dataset"]].loc[CODES.get(row["measure"], row["measure"])]
    for expected, column in (
        ("estimate", "value"),
        ("se", "se"),
        ("lowerci", "lowercl"),
        ("upperci", "uppercl"),
    ):
        if not pd.isna(row[expected]):
            assert got[column] == pytest.approx(row[expected], rel=row["rtol"]), column


def test_every_published_measure_is_checked() -> None:
    assert len(TESTED) == 20 and set(TESTED["measure"]) >= {"sii", "rii", "aci", "ti", "mdrw"}


def test_cov_matches_the_fixture_recomputation(published: dict) -> None:
    # healthequal has no COV test; the fixture's closed-form recomputation is 100·BGSD/μ.
    row = EXPECTED[EXPECTED["measure"] == "covar"].iloc[0]
    got = published["nonordered25"].loc["cov", "value"]
    assert got == pytest.approx(row["recomputed_estimate"], rel=1e-9)


# Three regions: estimates 60, 70, 90 (%), populations 100, 300, 600 (shares .1, .3, .6),
# standard errors 2, 3, 4; favourable indicator. μ = .1·60 + .3·70 + .6·90 = 81.
THREE = pd.DataFrame(
    {"region": ["A", "B", "C"], "y": [60.0, 70.0, 90.0], "n": [100, 300, 600], "se": [2.0, 3, 4]}
)


def three(**kwargs: object) -> pd.DataFrame:
    return inequality_summary(THREE, "region", "y", "n", se="se", **kwargs).set_index("measure")


def test_difference_hand_calculation() -> None:
    d = three(measures="d").loc["d"]
    se = math.sqrt(4**2 + 2**2)  # highest (C, se 4) minus lowest (A, se 2)
    assert d["value"] == pytest.approx(90 - 60)
    assert d["se"] == pytest.approx(se)
    assert (d["lowercl"], d["uppercl"]) == pytest.approx((30 - Z * se, 30 + Z * se))
    assert d["method"] == "analytic" and d["reason"] is None


def test_ratio_hand_calculation() -> None:
    r = three(measures="r").loc["r"]
    log_se = math.sqrt((4**2 + 1.5**2 * 2**2) / 60**2) / 1.5  # = (5/60)/1.5
    assert r["value"] == pytest.approx(90 / 60)
    assert r["se"] == pytest.approx(log_se)
    assert r["lowercl"] == pytest.approx(math.exp(math.log(1.5) - Z * log_se))
    assert r["uppercl"] == pytest.approx(math.exp(math.log(1.5) + Z * log_se))


def test_bgv_hand_calculation() -> None:
    bgv = three(measures="bgv").loc["bgv"]
    assert bgv["value"] == pytest.approx(0.1 * 21**2 + 0.3 * 11**2 + 0.6 * 9**2)  # 129
    se2 = 0.1**2 * 2**2 * 21**2 + 0.3**2 * 3**2 * 11**2 + 0.6**2 * 4**2 * 9**2
    s2 = 0.1**2 * 2**2 + 0.3**2 * 3**2 + 0.6**2 * 4**2
    s4 = 0.1**4 * 2**4 + 0.3**4 * 3**4 + 0.6**4 * 4**4
    se4 = 0.1**2 * 0.9**2 * 2**4 + 0.3**2 * 0.7**2 * 3**4 + 0.6**2 * 0.4**2 * 4**4
    se = math.sqrt(4 * se2 + 2 * (s2**2 - s4 + se4))
    assert bgv["se"] == pytest.approx(se)
    assert (bgv["lowercl"], bgv["uppercl"]) == pytest.approx((129 - Z * se, 129 + Z * se))


def test_mean_differences_and_disparity_hand_calculation() -> None:
    got = three(measures=["mdmu", "mdmw", "mdbu", "mdbw", "idisu", "idisw", "bgsd", "cov"])
    assert got.loc["mdmu", "value"] == pytest.approx((21 + 11 + 9) / 3)
    assert got.loc["mdmw", "value"] == pytest.approx(0.1 * 21 + 0.3 * 11 + 0.6 * 9)
    assert got.loc["mdbu", "value"] == pytest.approx((30 + 20 + 0) / 3)
    assert got.loc["mdbw", "value"] == pytest.approx(0.1 * 30 + 0.3 * 20)
    assert got.loc["idisu", "value"] == pytest.approx(100 * (41 / 3) / 81)
    assert got.loc["idisw", "value"] == pytest.approx(100 * 10.8 / 81)
    assert got.loc["bgsd", "value"] == pytest.approx(math.sqrt(129))
    assert got.loc["cov", "value"] == pytest.approx(100 * math.sqrt(129) / 81)


def test_reference_subgroup_pairs_and_mean_difference_from_reference() -> None:
    fav = three(measures=["d", "mdru", "mdrw"], reference_subgroup="B")
    assert fav.loc["d", "value"] == pytest.approx(70 - 60)  # reference minus lowest
    assert fav.loc["mdru", "value"] == pytest.approx((10 + 0 + 20) / 3)
    assert fav.loc["mdrw", "value"] == pytest.approx(0.1 * 10 + 0.6 * 20)
    adverse = three(measures="d", reference_subgroup="B", favourable=False)
    assert adverse.loc["d", "value"] == pytest.approx(90 - 70)  # highest minus reference


def test_paf_par_hand_calculation() -> None:
    got = three(measures=["paf", "par"])
    # reference = best (90, N 600); μ = 81; Walter's 2×2 table on the 0-1 scale:
    c, d = 0.9 * 600, 600 - 0.9 * 600
    a = 0.81 * 1000 - c
    b = 1000 - a - 600
    se_paf = math.sqrt(c * 1000 * (a * d * (1000 - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3))
    assert got.loc["par", "value"] == pytest.approx(90 - 81)
    assert got.loc["paf", "value"] == pytest.approx(100 * 9 / 81)
    assert got.loc["paf", "se"] == pytest.approx(se_paf)
    assert got.loc["par", "se"] == pytest.approx(81 * se_paf)
    assert got.loc["paf", "lowercl"] == pytest.approx(
        100 * 9 / 81 - Z * se_paf
    )  # quirk: % ∓ z·fraction


def test_paf_is_zero_when_the_reference_is_worse_than_the_mean() -> None:
    got = inequality_summary(
        THREE, "region", "y", None, setting_average=95.0, measures=["paf", "par"]
    ).set_index("measure")
    assert got.loc["par", "value"] == 0 and got.loc["paf", "value"] == 0
    assert got.loc["par", "reason"] == "population missing: no confidence interval"


def test_ordered_hand_calculations() -> None:
    data = THREE.assign(q=[1, 2, 3])
    got = inequality_summary(
        data, "region", "y", "n", ordered=True, order="q", measures=["d", "aci", "rci", "sii"]
    ).set_index("measure")
    assert got.loc["d", "value"] == pytest.approx(90 - 60)  # order 3 minus order 1
    # ranks: (0 + 100/2)/1000, (100 + 300/2)/1000, (400 + 600/2)/1000 = .05, .25, .7
    aci = 0.1 * (2 * 0.05 - 1) * 60 + 0.3 * (2 * 0.25 - 1) * 70 + 0.6 * (2 * 0.7 - 1) * 90
    assert got.loc["aci", "value"] == pytest.approx(aci)  # 5.7
    assert got.loc["rci", "value"] == pytest.approx(aci / 81)
    adverse = inequality_summary(
        data, "region", "y", "n", ordered=True, order="q", favourable=False, measures="d"
    )
    assert adverse["value"].iloc[0] == pytest.approx(60 - 90)  # order 1 minus order 3


@pytest.mark.parametrize(
    ("correction", "expected"),
    [
        (None, 0.057 / 0.81),  # ACI on the 0-1 scale is 5.7/100; μ = 0.81
        ("wagstaff", 0.057 / (0.81 * (1 - 0.81))),
        ("erreygers", 4 * 0.057),
    ],
)
def test_bounded_rci_corrections(correction: str | None, expected: float) -> None:
    got = inequality_summary(
        THREE.assign(q=[1, 2, 3]), "region", "y", "n", ordered=True, order="q",
        measures=["aci", "rci"], bounds=(0, 100), rci_correction=correction,
    ).set_index("measure")  # fmt: skip
    assert got.loc["aci", "value"] == pytest.approx(0.057)
    assert got.loc["rci", "value"] == pytest.approx(expected)


def test_linear_sii_is_the_weighted_least_squares_slope() -> None:
    data = pd.read_csv(HEAT / "ordered5.csv")
    pop = data["pop"].to_numpy(float)
    rank = (np.cumsum(pop) - pop / 2) / pop.sum()
    slope, intercept = np.polyfit(rank, data["est"] / 100, 1, w=np.sqrt(pop))
    got = ordered5(measures=["sii", "rii"], sii_model="linear").set_index("measure")
    assert got.loc["sii", "value"] == pytest.approx(100 * slope, rel=1e-10)
    assert got.loc["rii", "value"] == pytest.approx((intercept + slope) / intercept, rel=1e-10)
    assert got.loc["sii", "method"] == "weighted linear regression, HC1 robust SE"


def test_ti_and_mld_ses_are_not_scaled_like_their_estimates(published: dict) -> None:
    ti = published["nonordered25"].loc["ti"]
    assert ti["value"] > 1 and ti["se"] < 0.01  # healthequal quirk kept: estimate ×1000, SE not
    assert ti["uppercl"] - ti["value"] == pytest.approx(Z * ti["se"])


def test_default_measures_follow_heat_applicability(published: dict) -> None:
    assert list(published["ordered5"].index) == ["d", "r", "aci", "rci", "sii", "rii", "paf", "par"]
    assert list(published["nonordered25"].index) == [
        "d", "r", "paf", "par", "bgv", "bgsd", "cov", "idisu", "idisw",
        "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw", "mld", "ti",
    ]  # fmt: skip
    no_reference = inequality_summary(THREE, "region", "y", "n")
    assert "mdru" not in set(no_reference["measure"])


def test_measures_keep_the_order_asked() -> None:
    assert list(inequality_summary(THREE, "region", "y", "n", measures=["ti", "D"])["measure"]) == [
        "ti",
        "d",
    ]


def test_missing_se_gives_values_without_intervals() -> None:
    got = inequality_summary(THREE, "region", "y", "n", measures=["d", "bgv", "mdbu"])
    got = got.set_index("measure")
    assert got["value"].notna().all() and got["lowercl"].isna().all()
    assert got.loc["bgv", "reason"] == "standard errors missing: no confidence interval"
    assert got.loc["d", "reason"].startswith("standard errors missing for the compared")


def test_missing_population_gives_na_with_reason_for_weighted_measures() -> None:
    got = inequality_summary(
        THREE, "region", "y", None, se="se", measures=["d", "bgv", "bgsd", "mdbu"]
    ).set_index("measure")
    for code in ("bgv", "bgsd"):
        assert pd.isna(got.loc[code, ["value", "lowercl"]]).all()
        assert got.loc[code, "reason"] == "needs population (not given)"
    assert got.loc["d", "value"] == 30 and got.loc["mdbu", "value"] == pytest.approx(50 / 3)


def test_setting_average_replaces_the_weighted_mean() -> None:
    got = inequality_summary(
        THREE, "region", "y", None, setting_average=80.0, measures=["mdmu", "idisu", "par"]
    ).set_index("measure")
    assert got.loc["mdmu", "value"] == pytest.approx((20 + 10 + 10) / 3)
    assert got.loc["idisu", "value"] == pytest.approx(100 * (40 / 3) / 80)
    assert got.loc["par", "value"] == pytest.approx(90 - 80)


def test_two_subgroups_give_only_d_and_r() -> None:
    got = inequality_summary(THREE.iloc[:2], "region", "y", "n", se="se").set_index("measure")
    assert got.loc["d", "value"] == 10
    assert pd.isna(got.loc["bgv", "value"])
    assert got.loc["bgv", "reason"] == "needs at least 3 subgroups with estimates"


def test_missing_estimates_rules() -> None:
    data = pd.read_csv(HEAT / "nonordered25.csv")
    one = data.assign(est=data["est"].mask(data["subgroup"] == 3))  # 1 of 25: dropped
    got = inequality_summary(one, "subgroup", "est", "pop", se="se").set_index("measure")
    assert got["value"].notna().all()
    four = data.assign(est=data["est"].mask(data["subgroup"] <= 4))  # 16% > 15%
    got = inequality_summary(four, "subgroup", "est", "pop", se="se").set_index("measure")
    assert got.loc[["d", "r"], "value"].notna().all()
    assert got.loc["bgv", "reason"] == "estimates are missing in more than 15% of subgroups"
    ordered = pd.read_csv(HEAT / "ordered5.csv")
    ordered.loc[2, "est"] = np.nan
    got = inequality_summary(
        ordered, "subgroup_order", "est", "pop", ordered=True, order="subgroup_order"
    )
    assert got["value"].isna().all()
    assert set(got["reason"]) == {"estimates are missing for some subgroups (ordered)"}


def test_sii_na_for_estimates_beyond_the_scale_or_all_equal() -> None:
    data = pd.read_csv(HEAT / "ordered5.csv")
    args = ("subgroup_order", "est", "pop")
    kw = {"ordered": True, "order": "subgroup_order", "measures": ["sii", "aci"]}
    over = inequality_summary(data.assign(est=data["est"] * 2), *args, **kw).set_index("measure")
    assert pd.isna(over.loc["sii", "value"]) and over.loc["sii", "reason"].startswith(
        "estimates outside"
    )
    assert over.loc["aci", "value"] > 0
    flat = inequality_summary(data.assign(est=30.0), *args, **kw).set_index("measure")
    assert flat.loc["sii", "reason"] == "all estimates have the same value"


def test_reference_absent_from_a_group_gives_na() -> None:
    data = pd.concat(
        [THREE.assign(g="x"), THREE.iloc[[0, 2, 2]].assign(g="y", region=["A", "C", "D"])]
    )
    got = inequality_summary(
        data, "region", "y", "n", se="se", reference_subgroup="B", group_by="g", measures="mdru"
    )
    assert got["value"].iloc[0] == pytest.approx(10)
    assert pd.isna(got["value"].iloc[1])
    assert got["reason"].iloc[1] == "reference subgroup has no estimate in this group"


def test_grouped_results_equal_separate_runs_and_keep_group_columns() -> None:
    data = pd.read_csv(HEAT / "ordered5.csv")
    other = data.assign(est=data["est"][::-1].to_numpy(), pop=data["pop"] + 50)
    both = pd.concat([data.assign(area="E1"), other.assign(area="E2")])
    kw = {"se": "se", "ordered": True, "order": "subgroup_order"}
    got = inequality_summary(both, "subgroup_order", "est", "pop", group_by="area", **kw)
    assert list(got.columns[:2]) == ["area", "measure"] and len(got) == 16
    for area, frame in (("E1", data), ("E2", other)):
        alone = inequality_summary(frame, "subgroup_order", "est", "pop", **kw)
        part = got[got["area"] == area].drop(columns="area").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone)
    e2 = got[got["area"] == "E2"].set_index("measure")
    assert e2.loc["d", "value"] == pytest.approx(20 - 60) and e2.loc["sii", "value"] < 0


def test_per_group_favourable_column() -> None:
    data = pd.concat([THREE.assign(ind="good", fav=1), THREE.assign(ind="bad", fav=0)])
    got = inequality_summary(
        data, "region", "y", "n", favourable="fav", group_by="ind", measures="mdbu"
    )
    assert got.set_index("ind").loc["bad", "value"] == pytest.approx((0 + 10 + 30) / 3)
    assert got.set_index("ind").loc["good", "value"] == pytest.approx((30 + 20 + 0) / 3)


def test_polars_in_polars_out_and_two_confidence_levels() -> None:
    got = inequality_summary(
        pl.from_pandas(THREE), "region", "y", "n", se="se", measures="d", confidence=(0.95, 0.998)
    )
    assert isinstance(got, pl.DataFrame)
    row = got.row(0, named=True)
    assert row["lower99_8cl"] < row["lower95_0cl"] < row["value"] < row["upper95_0cl"]
    assert row["confidence"] == "95%, 99.8%"


def test_simulation_is_seeded_and_reports_its_method() -> None:
    first = nonordered25(measures=["bgsd", "mdru"], seed=7, simulations=500)
    again = nonordered25(measures=["bgsd", "mdru"], seed=7, simulations=500)
    other = nonordered25(measures=["bgsd", "mdru"], seed=8, simulations=500)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["lowercl"], other["lowercl"])
    assert set(first["method"]) == {"simulation (500 draws, seed 7)"}
    assert first["se"].isna().all()


def test_quantiles_are_r_type_7_dropping_na() -> None:
    stats = np.array([[1, 2, 3, np.nan], [np.nan] * 4, [1, 2, 3, 4]])
    got = _quantiles(stats, np.array([0.025, 0.975]))
    # type 7: x[h] with h = 1 + (n − 1)p, interpolated: 1 + 2·0.025, 1 + 2·0.975; 1 + 3·0.025 …
    np.testing.assert_allclose(got[:, 0], [1.05, 2.95])
    assert np.isnan(got[:, 1]).all()
    np.testing.assert_allclose(got[:, 2], [1.075, 3.925])


def test_truncated_draws_stay_in_bounds_with_the_truncated_normal_mean() -> None:
    rng = np.random.default_rng(1)
    mean, sd = np.array([[[2.0, 95.0, 50.0]]]), np.array([[[5.0, 10.0, 0.0]]])
    draws = truncated_normal(rng, mean, sd, np.array([[[100.0]]]), (1, 20000, 3))
    assert draws.min() >= 0 and draws.max() <= 100
    assert np.all(draws[..., 2] == 50)  # se 0: the estimate itself
    for j, (m, s) in enumerate([(2.0, 5.0), (95.0, 10.0)]):
        exact = sps.truncnorm.mean((0 - m) / s, (100 - m) / s, loc=m, scale=s)
        assert draws[..., j].mean() == pytest.approx(exact, abs=4 * s / math.sqrt(20000))


def test_estimates_far_outside_the_bounds_do_not_hang() -> None:
    rng = np.random.default_rng(2)
    draws = truncated_normal(rng, np.array([[[-500.0]]]), np.array([[[1.0]]]), np.inf, (1, 10, 1))
    assert np.all((draws >= 0) & (draws < 0.01))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"estimate": "estimat"}, ArgumentError, "column 'estimat' is not in the data"),
        ({"ordered": True}, ArgumentError, "ordered dimension needs `order`"),
        ({"order": "q"}, ArgumentError, "only used for ordered dimensions"),
        (
            {"measures": ["d", "xyz"]},
            ArgumentError,
            "unknown measure code.*'xyz'.*valid codes are d, r, aci",
        ),
        (
            {"measures": "sii"},
            ArgumentError,
            "sii .slope index of inequality. applies only to ordered",
        ),
        ({"measures": "mdru"}, ArgumentError, "needs a reference subgroup"),
        ({"reference_subgroup": "Z"}, ArgumentError, "reference_subgroup 'Z' is not a value"),
        ({"sii_model": "probit"}, ArgumentError, "sii_model must be"),
        ({"simulations": 0}, ArgumentError, "simulations must be an integer of at least 1"),
        ({"rci_correction": "wagstaff"}, ArgumentError, "needs the indicator's bounds"),
        ({"group_by": "region"}, ArgumentError, "cannot also be in group_by"),
        ({"scale": "wrong"}, ArgumentError, "column 'wrong' is not in the data"),
        ({"confidence": 0.5}, ArgumentError, "confidence level must be between"),
    ],
)
def test_argument_errors(kwargs: dict, error: type, message: str) -> None:
    call = {"subgroup": "region", "estimate": "y", "population": "n", "se": "se"} | kwargs
    with pytest.raises(error, match=message):
        inequality_summary(THREE.assign(q=[1, 2, 3]), **call)


def test_ordered_dimension_rejects_non_ordered_measures() -> None:
    with pytest.raises(ArgumentError, match=r"bgv .* applies only to non-ordered dimensions"):
        inequality_summary(
            THREE.assign(q=[1, 2, 3]), "region", "y", "n", ordered=True, order="q", measures="bgv"
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"n": [100, -1, 600]}, r"population must be greater than or equal to zero.*row 1"),
        ({"se": [2.0, 3, -4]}, r"standard errors must be greater than or equal to zero.*row 2"),
        (
            {"region": ["A", "A", "C"]},
            r"each subgroup must appear once per group.*'row 0', 'row 1'",
        ),
        ({"y": [60, "7O", 90]}, r"must be numeric.*row 1: '7O'"),
    ],
)
def test_input_data_errors_name_rows(change: dict, message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        inequality_summary(THREE.assign(**change), "region", "y", "n", se="se")


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ([1, 2, 2], "share an order value"),
        ([1, 2.5, 3], "whole numbers"),
        ([1, None, 3], "whole numbers"),
    ],
)
def test_bad_order_values(order: list, message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        inequality_summary(THREE.assign(q=order), "region", "y", "n", ordered=True, order="q")


def test_favourable_column_must_be_constant_within_groups() -> None:
    with pytest.raises(InputDataError, match=r"favourable column 'fav' varies within a group"):
        inequality_summary(THREE.assign(fav=[1, 0, 1]), "region", "y", "n", favourable="fav")


# Ordered data with a strict gradient: 3-8 subgroups, populations ≥ 1000 so that the logistic
# model's rounded counts keep the gradient; estimates 1-99 %.
gradients = st.integers(min_value=3, max_value=8).flatmap(
    lambda j: st.tuples(
        st.lists(st.integers(1000, 100_000), min_size=j, max_size=j),
        st.lists(st.integers(1, 99), min_size=j, max_size=j, unique=True).map(sorted),
        st.lists(st.floats(0.1, 5), min_size=j, max_size=j),
    )
)


@settings(max_examples=40, deadline=None)
@given(gradients, st.booleans(), st.sampled_from(["logistic", "linear"]))
def test_d_sii_and_aci_follow_the_gradient(data: tuple, rising: bool, model: str) -> None:
    pop, est, se = data
    est = est if rising else est[::-1]
    frame = pd.DataFrame({"q": range(1, len(pop) + 1), "pop": pop, "est": est, "se": se})
    got = inequality_summary(
        frame, "q", "est", "pop", se="se", ordered=True, order="q", sii_model=model
    ).set_index("measure")
    sign = 1 if rising else -1
    for code in ("d", "aci", "sii"):
        assert sign * got.loc[code, "value"] > 0, code
    if model == "logistic":  # a linear fit can cross zero, and then has no RII
        assert sign * np.log(got.loc["rii", "value"]) > 0
    for code in ("d", "sii", "aci"):
        assert got.loc[code, "lowercl"] <= got.loc[code, "value"] <= got.loc[code, "uppercl"]


groups = st.integers(min_value=3, max_value=10).flatmap(
    lambda j: st.tuples(
        st.lists(st.integers(1, 10_000), min_size=j, max_size=j),
        st.lists(st.floats(0, 100), min_size=j, max_size=j),
        st.lists(st.floats(0.01, 10), min_size=j, max_size=j),
    )
)


@settings(max_examples=40, deadline=None)
@given(groups)
def test_spread_measures_are_non_negative_with_ordered_limits(data: tuple) -> None:
    pop, est, se = data
    frame = pd.DataFrame({"g": range(len(pop)), "pop": pop, "est": est, "se": se})
    got = inequality_summary(
        frame, "g", "est", "pop", se="se", measures=["bgv", "bgsd", "mdbu", "mdmw"]
    )
    got = got.set_index("measure")
    assert (got["value"] >= 0).all()
    assert got.loc["bgsd", "value"] == pytest.approx(math.sqrt(got.loc["bgv", "value"]), abs=1e-9)
    for code in ("bgsd", "mdbu", "mdmw"):
        assert 0 <= got.loc[code, "lowercl"] <= got.loc[code, "uppercl"]


@settings(max_examples=25, deadline=None)
@given(groups)
def test_simulated_limits_close_in_on_the_estimate_as_se_vanishes(data: tuple) -> None:
    pop, est, _ = data
    frame = pd.DataFrame({"g": range(len(pop)), "pop": pop, "est": est, "se": 1e-7})
    got = inequality_summary(
        frame, "g", "est", "pop", se="se", measures=["bgsd", "mdbu", "mdrw"], reference_subgroup=0
    )
    np.testing.assert_allclose(got["lowercl"], got["value"], atol=1e-5)
    np.testing.assert_allclose(got["uppercl"], got["value"], atol=1e-5)
