"""England comparators: the shipped figures match their published source; run figures win."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from healthgap.config import DataConfig
from healthgap.errors import InputDataError
from healthgap.indicators import load_catalogue
from healthgap.reports.comparators import (
    FROM_RUN,
    england_figure,
    parse_comparators,
    published_comparators,
)

CONFIG = DataConfig.from_env()


def test_every_entry_is_a_catalogue_indicator_with_a_source() -> None:
    # An indicator without an entry is "England: not published" (new catalogue entries need
    # no change here until a national figure is found).
    comparators = published_comparators()
    assert set(comparators) <= set(load_catalogue())
    assert {"diabetes_recorded_prevalence", "hypertension_recorded_prevalence"} <= set(comparators)
    for figure in comparators.values():
        if figure is not None:
            assert figure.period and figure.source and not figure.from_run


def test_an_england_run_row_takes_precedence_over_the_published_figure() -> None:
    run = {"value": 7.5, "lowercl": 7.4, "uppercl": 7.6}
    figure = england_figure("diabetes_recorded_prevalence", run, "2025/26")
    assert (figure.value, figure.period, figure.source, figure.from_run) == (
        7.5,
        "2025/26",
        FROM_RUN,
        True,
    )
    published = england_figure("diabetes_recorded_prevalence", None, "2025/26")
    assert published.value == 7.07 and math.isnan(published.lowercl)
    assert england_figure("flu_vaccination_65_plus", None, "2025/26") is None


@pytest.mark.shared_data
@pytest.mark.skipif(
    not CONFIG.mirror_available, reason=f"needs the mirror: {CONFIG.describe_mirror()}"
)
@pytest.mark.parametrize(
    ("indicator", "register"),
    [
        ("diabetes_recorded_prevalence", "DM"),
        ("hypertension_recorded_prevalence", "HYP"),
    ],
)
def test_qof_figures_are_the_house_of_commons_library_england_totals(
    indicator: str, register: str
) -> None:
    # England = sum of the modelled registers / sum of the list sizes over IMD deciles 1-10
    # (the "Wales" rows are Welsh residents at English practices, so they are left out).
    path = (
        CONFIG.mirror
        / "qof_prevalence_hoc/qof1920_modelled_prevalence_by_imd2019_decile_england.csv"
    )
    table = pd.read_csv(path, dtype={"imd_overall": str})
    rows = table[(table["group_code"] == register) & (table["imd_overall"] != "Wales")]
    assert len(rows) == 10
    figure = published_comparators()[indicator]
    assert figure.value == pytest.approx(
        rows["register"].sum() / rows["list"].sum() * 100, abs=0.005
    )
    assert figure.period == "2019/20"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: {value: 1.0, period: '2024/25'}", "needs 'value', 'period' and 'source'"),
        ("x: {value: 1.0, source: s}", "has no 'period'"),
        ("x: {value: lots, period: '2024/25', source: s}", "not a number"),
        ("- a list", "must map indicator ids"),
    ],
)
def test_malformed_comparators_name_the_entry(text: str, message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        parse_comparators(text)


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
        st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False)),
        max_size=5,
    )
)
def test_any_well_formed_file_round_trips(values: dict[str, float | None]) -> None:
    entries = {
        k: {"value": v, "period": "2024/25" if v is not None else None, "source": "s"}
        for k, v in values.items()
    }

    parsed = parse_comparators(yaml.safe_dump(entries))
    assert set(parsed) == set(values)
    for key, value in values.items():
        assert (parsed[key] is None) if value is None else parsed[key].value == value
