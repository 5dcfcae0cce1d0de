"""England comparators: the shipped figures match their published source; run figures win."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from healthgap.config import DataConfig
from healthgap.indicators import load_catalogue
from healthgap.reports.comparators import FROM_RUN, england_figure, published_comparators

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
