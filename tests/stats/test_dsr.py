"""calculate_dsr parity (PHEindicatormethods' published workbook values) and the ESP2013 join."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats import ESP2013, dsr
from healthgap.stats.dsr import NON_INDEPENDENT, esp2013_band_index
from tests.stats.reference_cases import PHE, assert_frame_matches, cases

CASES = cases("dsr")
Z95 = 1.959963984540054

# Keyword arguments equivalent to each multi-area case's R call (see cases.csv `call`).
MULTIAREA = {
    "multiarea_m1e5_c95c998": {"confidence": (0.95, 0.998)},
    "multiarea_m1e5_c95": {},
    "multiarea_m1e5_c998": {"confidence": 99.8},
    "multiarea_m1e4_c95c998": {"confidence": (0.95, 0.998), "multiplier": 10000},
    "multiarea_m1e4_c95": {"multiplier": 10000},
    "multiarea_m1e4_c998": {"confidence": 99.8, "multiplier": 10000},
}
NONINDEPENDENT = {"independent_events": False, "eventfreq": "freq", "ageband": "ageband"}


def source(name: str) -> pd.DataFrame:
    return pd.read_csv(PHE / "_source" / name)


def esp_labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """PHE's test data label the 55-59 band "55-69" (a typo; its stdpop is 55-59's 6500)."""
    return frame.assign(ageband=frame["ageband"].replace("55-69", "55-59"))


def test_every_reference_case_is_tested() -> None:
    tested = {*MULTIAREA, "esp1976_c95", "nonindependent_c95c998"}
    assert set(CASES) == tested | {"nonindependent_grouped_by_freq_c95"}


@pytest.mark.parametrize("name", sorted(MULTIAREA))
def test_multiarea_matches_phe(name: str) -> None:
    case = CASES[name]
    got = dsr(case.input(), "count", "pop", group_by="area", stdpop="esp2013", **MULTIAREA[name])
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)
    tiny = got.set_index("area").loc["testdata_tiny"]
    assert tiny["reason"] == "dsr NA for total count < 10" == tiny["statistic"]
    assert got.set_index("area").loc["testdata_big", "reason"] is None


def test_esp1976_user_standard_population_ungrouped() -> None:
    case = CASES["esp1976_c95"]
    got = dsr(case.input(), "count", "pop", stdpop="esp1976")
    assert len(got) == 1
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_non_independent_events_match_phe() -> None:
    case = CASES["nonindependent_c95c998"]
    got = dsr(
        case.input(), "persons", "pop", group_by="area", stdpop="esp2013",
        confidence=(0.95, 0.998), **NONINDEPENDENT,
    )  # fmt: skip
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_eventfreq_grouping_column_is_dropped_from_output() -> None:
    case = CASES["nonindependent_grouped_by_freq_c95"]
    got = dsr(
        case.input(), "persons", "pop", group_by=["area", "freq"], stdpop="esp2013",
        **NONINDEPENDENT,
    )  # fmt: skip
    assert "freq" not in got.columns
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_two_band_hand_calculation() -> None:
    # bands (x, n, w): (20, 1000, 600), (30, 2000, 400); O = 50, W = 1000
    frame = pd.DataFrame({"x": [20, 30], "n": [1000, 2000], "w": [600, 400]})
    value = (20 * 600 / 1000 + 30 * 400 / 2000) / 1000 * 100_000  # = 1800
    var = (20 * (600 / 1000) ** 2 + 30 * (400 / 2000) ** 2) / 1000**2  # = 8.4e-6
    byar_lower = 50 * (1 - 1 / (9 * 50) - Z95 / (3 * math.sqrt(50))) ** 3
    byar_upper = 51 * (1 - 1 / (9 * 51) + Z95 / (3 * math.sqrt(51))) ** 3
    got = dsr(frame, "x", "n", stdpop="w").iloc[0]
    assert got["value"] == pytest.approx(1800, rel=1e-12) == value
    assert got["lowercl"] == pytest.approx(
        value + math.sqrt(var / 50) * (byar_lower - 50) * 100_000, rel=1e-12
    )
    assert got["uppercl"] == pytest.approx(
        value + math.sqrt(var / 50) * (byar_upper - 50) * 100_000, rel=1e-12
    )
    assert (got["total_count"], got["total_pop"]) == (50, 3000)
    assert (got["statistic"], got["method"], got["confidence"]) == (
        "dsr per 100000",
        "Dobson",
        "95%",
    )


def _people(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    """(band, event frequency, people) rows; band A has n 1000, w 600; band B n 2000, w 400."""
    bands = {"A": (1000, 600), "B": (2000, 400)}
    return pd.DataFrame(
        [(band, f, people, *bands[band]) for band, f, people in rows],
        columns=["band", "f", "people", "n", "w"],
    )


def test_non_independent_hand_calculation() -> None:
    # A: 10 people with 1 event, 3 with 2; B: 20 with 1, 1 with 3 (zero rows for every f).
    frame = _people(
        [("A", 1, 10), ("A", 2, 3), ("A", 3, 0), ("B", 1, 20), ("B", 2, 0), ("B", 3, 1)]
    )
    events_a, events_b = 10 * 1 + 3 * 2, 20 * 1 + 1 * 3  # 16, 23 -> O = 39
    value = (events_a * 0.6 + events_b * 0.2) / 1000 * 100_000  # 1420
    var_f = {1: (10 * 0.6**2 + 20 * 0.2**2) / 1000**2, 2: 3 * 0.6**2 / 1000**2}
    var_f[3] = 1 * 0.2**2 / 1000**2
    var = sum(f**2 * v for f, v in var_f.items())
    byar_lower = 39 * (1 - 1 / (9 * 39) - Z95 / (3 * math.sqrt(39))) ** 3
    row = dsr(frame, "people", "n", stdpop="w", independent_events=False, eventfreq="f",
              ageband="band").iloc[0]  # fmt: skip
    assert (row["total_count"], row["total_pop"]) == (39, 3000)
    assert row["value"] == pytest.approx(value, rel=1e-12)
    assert row["lowercl"] == pytest.approx(
        value + math.sqrt(var / 39) * (byar_lower - 39) * 100_000, rel=1e-12
    )
    assert row["method"] == NON_INDEPENDENT


def test_non_independent_w_f_sums_only_that_frequencys_rows() -> None:
    # PHE quirk: dropping the zero rows changes W_f (f = 2: 600 not 1000; f = 3: 400).
    frame = _people([("A", 1, 10), ("A", 2, 3), ("B", 1, 20), ("B", 3, 1)])
    var = (10 * 0.6**2 + 20 * 0.2**2) / 1000**2 + 4 * (3 * 0.6**2) / 600**2
    var += 9 * (1 * 0.2**2) / 400**2
    byar_upper = 40 * (1 - 1 / (9 * 40) + Z95 / (3 * math.sqrt(40))) ** 3
    got = dsr(frame, "people", "n", stdpop="w", independent_events=False, eventfreq="f",
              ageband="band").iloc[0]  # fmt: skip
    assert got["uppercl"] == pytest.approx(
        1420 + math.sqrt(var / 39) * (byar_upper - 39) * 100_000, rel=1e-12
    )


def test_esp2013_constant_matches_phe_table() -> None:
    weights = source("test_multiarea_esp.csv")["esp2013"].to_numpy()[:19]
    assert [band.weight for band in ESP2013] == list(weights)
    assert sum(band.weight for band in ESP2013) == 100_000
    assert [band.start for band in ESP2013] == list(range(0, 95, 5))
    assert (ESP2013[0].label, ESP2013[11].label, ESP2013[-1].label) == ("0-4", "55-59", "90+")


def test_esp2013_join_in_shuffled_order_matches_phe() -> None:
    case = CASES["multiarea_m1e5_c95c998"]
    frame = esp_labelled(case.input()).drop(columns="esp2013")
    shuffled = frame.iloc[np.random.default_rng(7).permutation(len(frame))]
    got = dsr(
        shuffled, "count", "pop", group_by="area", ageband="ageband", confidence=(0.95, 0.998)
    )
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


@pytest.mark.parametrize(
    "relabel",
    [
        lambda s: s.str.replace("-", "\u2013"),  # en dash
        lambda s: s.str.replace(r"^(\d)-(\d)$", r"0\1-0\2", regex=True),  # 00-04, 05-09
        lambda s: s.str.replace("-", " to ").str.replace("90+", "90 plus"),
        lambda s: s.str.replace("90+", "90 and over").replace("0-4", "<5"),
        lambda s: s.str.extract(r"^(\d+)", expand=False).astype(int),  # start ages
        lambda s: s.str.extract(r"^(\d+)", expand=False).astype(float),
    ],
)
def test_esp2013_label_variants(relabel: object) -> None:
    case = CASES["multiarea_m1e5_c95"]
    frame = esp_labelled(case.input())
    frame["ageband"] = relabel(frame["ageband"])  # type: ignore[operator]
    got = dsr(frame, "count", "pop", group_by="area", ageband="ageband")
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


@pytest.mark.parametrize(
    ("label", "index"),
    [
        ("0-4", 0), ("00-04", 0), ("0\u20134", 0), ("0 to 4", 0), ("Aged 0-4", 0), ("<5", 0),
        ("under 5", 0), ("5-9 years", 1), ("05", 1), (5, 1), (85.0, 17), ("85-89", 17),
        (90, 18), ("90+", 18), ("90 Plus", 18), ("90 and over", 18),
    ],
)  # fmt: skip
def test_esp2013_band_labels(label: object, index: int) -> None:
    assert esp2013_band_index(pd.Series([label], dtype=object)).tolist() == [index]


@pytest.mark.parametrize("label", ["55-69", "90-94", "95+", "85+", "3", "<1", 2.5, True, "a"])
def test_esp2013_band_labels_not_recognised(label: object) -> None:
    with pytest.raises(InputDataError, match="not recognised as ESP2013 bands"):
        esp2013_band_index(pd.Series([label], dtype=object))


def test_esp2013_join_for_non_independent_events() -> None:
    case = CASES["nonindependent_c95c998"]
    frame = esp_labelled(case.input()).drop(columns="esp2013")  # labels "00-04", "05-09", …
    got = dsr(frame, "persons", "pop", group_by="area", confidence=(0.95, 0.998), **NONINDEPENDENT)
    assert_frame_matches(got, case.expected_frame(), case.keys, rtol=case.rtol)


def test_esp2013_unknown_label_is_named() -> None:
    frame = CASES["multiarea_m1e5_c95"].input()  # still has the "55-69" typo
    with pytest.raises(InputDataError, match=r"not recognised as ESP2013 bands.*'55-69'"):
        dsr(frame, "count", "pop", group_by="area", ageband="ageband")


def test_esp2013_missing_band_names_the_group() -> None:
    frame = esp_labelled(CASES["multiarea_m1e5_c95"].input())
    frame = frame[~((frame["area"] == "testdata_small") & (frame["ageband"] == "85-89"))]
    with pytest.raises(InputDataError, match=r"all 19 age bands.*'testdata_small', 'lacks 85-89'"):
        dsr(frame, "count", "pop", group_by="area", ageband="ageband")


def test_esp2013_repeated_band_names_the_group() -> None:
    frame = esp_labelled(CASES["multiarea_m1e5_c95"].input())
    frame = pd.concat([frame, frame[frame["area"] == "testdata_tiny"].head(1)])
    with pytest.raises(InputDataError, match=r"one row per ESP2013 age band.*'repeats 0-4'"):
        dsr(frame, "count", "pop", group_by="area", ageband="ageband")


def test_esp2013_missing_age_band_is_named() -> None:
    frame = esp_labelled(CASES["multiarea_m1e5_c95"].input())
    frame.loc[3, "ageband"] = None
    with pytest.raises(InputDataError, match=r"ageband field must not have any missing.*row 3"):
        dsr(frame, "count", "pop", group_by="area", ageband="ageband")


def test_different_age_structures_per_group() -> None:
    # An all-age and an under-75 DSR in one call (stdpop per row), as calculate_dsr allows.
    frame = esp_labelled(CASES["multiarea_m1e5_c95"].input())
    big = frame[frame["area"] == "testdata_big"]
    under75 = big[big.index < 15].assign(area="under75")
    got = dsr(pd.concat([big, under75]), "count", "pop", group_by="area", stdpop="esp2013")
    alone = dsr(under75, "count", "pop", stdpop="esp2013")
    assert got.set_index("area").loc["under75", "value"] == alone.loc[0, "value"]
    assert got.set_index("area").loc["under75", "total_pop"] == under75["pop"].sum()


def test_small_and_zero_totals_are_na_with_reason() -> None:
    frame = pd.DataFrame({"g": ["a", "a", "b"], "x": [0, 0, 9], "n": [10, 10, 10], "w": [1, 1, 1]})
    got = dsr(frame, "x", "n", group_by="g", stdpop="w")
    assert got["value"].isna().all() and got["lowercl"].isna().all()
    assert list(got["reason"]) == ["dsr NA for total count < 10"] * 2


def test_missing_numerator_counts_as_zero() -> None:
    frame = esp_labelled(CASES["multiarea_m1e5_c95"].input())
    with_na = frame.assign(count=frame["count"].where(frame.index != 4))
    got = dsr(with_na, "count", "pop", group_by="area", stdpop="esp2013")
    zeroed = dsr(with_na.fillna({"count": 0}), "count", "pop", group_by="area", stdpop="esp2013")
    pd.testing.assert_frame_equal(got, zeroed)
    assert got.loc[0, "total_count"] == 895 - frame.loc[4, "count"]


def test_polars_in_polars_out() -> None:
    frame = pl.DataFrame({"g": ["a", "a"], "x": [20, 30], "n": [1000, 2000], "w": [600, 400]})
    got = dsr(frame, "x", "n", group_by="g", stdpop="w")
    assert isinstance(got, pl.DataFrame)
    assert got["value"].to_list() == [pytest.approx(1800)]


NEGATIVE_X = "numerators must all be greater than or equal to zero"
ZERO_N = "denominators must all be greater than zero"
NEGATIVE_W = "stdpop must all be greater than or equal to zero"


@pytest.mark.parametrize(
    ("file", "kwargs", "message"),
    [
        ("test_err1.csv", {"stdpop": "stdpop"}, f"{NEGATIVE_X}.*row 5"),
        ("test_err1.csv", {"ageband": "Age Band"}, f"{NEGATIVE_X}.*row 5"),
        ("test_err2_esp.csv", {"group_by": "area", "stdpop": "esp2013"}, f"{ZERO_N}.*row 1"),
        ("test_err3.csv", {"stdpop": "stdpop"}, f"{ZERO_N}.*row 1"),
        ("test_err4.csv", {"stdpop": "stdpop"}, f"{NEGATIVE_W}.*row 5"),
    ],
)  # fmt: skip
def test_phe_error_inputs(file: str, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        dsr(source(file), "count", "pop", **kwargs)  # type: ignore[arg-type]


def test_no_standard_population_or_age_band() -> None:
    with pytest.raises(ArgumentError, match=r"give stdpop .* or ageband"):
        dsr(source("test_err2.csv"), "count", "pop", group_by="area")


@pytest.mark.parametrize("column", ["pop", "stdpop"])
def test_missing_population_is_named(column: str) -> None:
    frame = source("test_err4.csv").assign(stdpop=lambda f: f["stdpop"].abs())
    frame.loc[3, column] = np.nan
    with pytest.raises(InputDataError, match=r"cannot have missing values.*row 3"):
        dsr(frame, "count", "pop", stdpop="stdpop")


@pytest.mark.parametrize("file", ["test_DSR_nonind_err1.csv", "test_DSR_nonind_err2.csv"])
def test_non_independent_populations_must_agree(file: str) -> None:
    with pytest.raises(
        InputDataError, match=r"different populations \(n\).*'testdata_nonind_big', '00-04'"
    ):
        dsr(source(file), "persons", "pop", group_by="area", stdpop="esp2013", **NONINDEPENDENT)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"multiplier": -100}, ArgumentError, "multiplier must be greater than 0"),
        ({"multiplier": "1e5"}, ArgumentError, "multiplier must be numeric"),
        ({"independent_events": "no"}, ArgumentError, "independent_events must be True or False"),
        ({"independent_events": False, "ageband": "ageband"}, ArgumentError, "an eventfreq column"),
        ({"independent_events": False, "eventfreq": "freq"}, ArgumentError, "an ageband column"),
        ({"eventfreq": "freq"}, ArgumentError, "only used when independent_events is False"),
        ({"stdpop": [5000] * 19}, ArgumentError, "not a vector"),
        ({"confidence": 0.74}, ArgumentError, "between 90 and 100 or between 0.9 and 1"),
        ({"confidence": (0.95, 0.99)}, ArgumentError, "specified as 0.95 and 0.998"),
        ({"confidence": (0.9, 0.95, 0.998)}, ArgumentError, "a maximum of two"),
    ],
)  # fmt: skip
def test_bad_arguments(kwargs: dict[str, object], error: type, message: str) -> None:
    frame = CASES["nonindependent_c95c998"].input()
    arguments = {"group_by": "area", "stdpop": "esp2013"} | kwargs
    with pytest.raises(error, match=message):
        dsr(frame, "persons", "pop", **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"freq": np.nan}, "eventfreq field must not have any missing values.*row 2"),
        ({"freq": "two"}, "'freq' must be numeric.*row 2"),
        ({"persons": "7o"}, "'persons' must be numeric.*row 2"),
    ],
)
def test_bad_non_independent_inputs(change: dict[str, object], message: str) -> None:
    frame = CASES["nonindependent_c95c998"].input().astype({"freq": object, "persons": object})
    for column, value in change.items():
        frame.loc[2, column] = value
    with pytest.raises(InputDataError, match=message):
        dsr(frame, "persons", "pop", group_by="area", stdpop="esp2013", **NONINDEPENDENT)


bands = st.lists(
    st.tuples(st.integers(0, 2000), st.integers(1, 10**6), st.integers(1, 10**4)),  # (x, n, w)
    min_size=1,
    max_size=8,
).filter(lambda rows: sum(x for x, _, _ in rows) >= 10)


@given(bands)
def test_interval_contains_value_and_widens_with_confidence(
    rows: list[tuple[int, int, int]],
) -> None:
    frame = pd.DataFrame(rows, columns=["x", "n", "w"])
    got = dsr(frame, "x", "n", stdpop="w", confidence=(0.95, 0.998)).iloc[0]
    tol = 1e-9 * got["value"]
    assert got["lower99_8cl"] <= got["lower95_0cl"] + tol
    assert got["lower95_0cl"] <= got["value"] + tol <= got["upper95_0cl"] + 2 * tol
    assert got["upper95_0cl"] <= got["upper99_8cl"] + tol


@given(bands, st.integers(2, 50))
def test_interval_narrows_as_counts_grow(rows: list[tuple[int, int, int]], k: int) -> None:
    frame = pd.DataFrame(rows, columns=["x", "n", "w"])
    bigger = frame.assign(x=frame["x"] * k, n=frame["n"] * k)
    small, big = (dsr(f, "x", "n", stdpop="w").iloc[0] for f in (frame, bigger))
    assert big["value"] == pytest.approx(small["value"], rel=1e-9)
    assert big["uppercl"] - big["lowercl"] < small["uppercl"] - small["lowercl"]
