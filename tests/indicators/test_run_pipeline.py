"""The run pipeline: aggregation, statistics and publishing, checked against independent
computations (the plain-pandas `rollup` and the reference engine) and hand calculations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap.indicators import load_catalogue
from healthgap.indicators.aggregate import aggregate
from healthgap.indicators.reference import reference_finest
from healthgap.indicators.rollup import rollup
from healthgap.indicators.run import run_indicators
from healthgap.indicators.store import open_results
from healthgap.indicators.tidy import statistics
from tests.spec import synthetic

CATALOGUE = load_catalogue()
AREAS = pd.DataFrame(
    {
        "lsoa21": ["E01000001", "E01000002", "E01000003", "E01000004"],
        "lsoa21_name": ["Alpha 001A", "Alpha 001B", "Beta 001A", "Beta 002A"],
        "msoa21": ["E02000001", "E02000001", "E02000002", "E02000003"],
        "msoa21_name": ["Alpha 001", "Alpha 001", "Beta 001", "Beta 002"],
        "lad24": ["E08000001", "E08000001", "E08000002", "E08000002"],
        "lad24_name": ["Alpha", "Alpha", "Beta", "Beta"],
        "icb24": ["E54000001"] * 4,
        "icb24_name": ["Test ICB"] * 4,
        "region24": ["E12000001"] * 4,
        "region24_name": ["Test region"] * 4,
        "imd_decile": [1, 2, 6, 10],
        "imd_quintile": [1, 1, 3, 5],
        "core20": [True, True, False, False],
    }
)


@pytest.fixture(scope="module")
def finest() -> pd.DataFrame:
    people, events = synthetic.population(CATALOGUE, n_people=600, n_events=4000, seed=7)
    return reference_finest(CATALOGUE, people, events)


@pytest.mark.parametrize(
    ("level", "category_type", "by"),
    [
        ("icb24", "all", []),
        ("lad24", "ethnicity5", ["ethnicity5"]),
        ("msoa21", "sex", ["sex"]),
        ("icb24", "imd_decile", ["imd_decile"]),
        ("lsoa21", "all", []),
    ],
)
def test_grouping_sets_match_the_plain_pandas_rollup(
    finest: pd.DataFrame, level: str, category_type: str, by: list[str]
) -> None:
    got = aggregate(finest, CATALOGUE, AREAS, levels=[level])
    got = got[(got["category_type"] == category_type) & got["area_code"].notna()]
    got = got.groupby(["indicator_id", "period"])[["numerator", "denominator"]].sum()
    keyed = finest[finest["lsoa21"].isin(AREAS["lsoa21"])]
    areas = AREAS.astype({"imd_decile": "str"})
    want = rollup(keyed, [level, *by], areas=areas)
    declared = [i.id for i in CATALOGUE.values() if category_type == "all" or
                category_type in i.breakdowns]  # fmt: skip
    want = want[want["indicator_id"].isin(declared)]
    want = want.groupby(["indicator_id", "period"])[["numerator", "denominator"]].sum()
    pd.testing.assert_frame_equal(got.sort_index(), want.sort_index(), check_dtype=False)


def test_a_dsr_band_with_nobody_keeps_its_standard_weight() -> None:
    # ESP2013: band 0-4 has weight 5,000 of 100,000. One group has people only in 0-4:
    # 20 events among 1,000 people. PHE's DSR = (20/1000 x 5000) / 100000 x 100000 = 100 per
    # 100,000: the 18 empty bands keep their weight in the total W = 100,000.
    counts = pd.DataFrame(
        {
            "indicator_id": ["emergency_admissions_dsr"],
            "period": ["2024/25"], "area_type": ["lsoa21"], "area_code": ["E01000001"],
            "category_type": ["all"], "category": ["All"], "age_band": ["0-4"],
            "numerator": [20], "denominator": [1000],
        }
    )  # fmt: skip
    out = statistics(counts, CATALOGUE).iloc[0]
    assert out["value"] == pytest.approx(20 / 1000 * 5000 / 100_000 * 100_000)
    assert out["denominator"] == 1000
    assert out["method"] == "Dobson"


def test_run_publishes_every_level_and_the_inequalities(tmp_path: Path, finest) -> None:
    people, events = synthetic.population(CATALOGUE, n_people=600, n_events=4000, seed=7)
    population = tmp_path / "population"
    population.mkdir()
    people.to_parquet(population / "people.parquet")
    events.to_parquet(population / "events.parquet")
    summary = run_indicators(population, tmp_path / "results", areas=AREAS, repetitions=1000)
    live = open_results(tmp_path / "results")
    assert live.version == summary.results.version
    results = live.table("results")
    assert set(results["area_type"]) == {
        "england",
        "region24",
        "icb24",
        "lad24",
        "msoa21",
        "lsoa21",
    }
    # The ICB's total equals the reference engine's count over the four LSOAs.
    flu = results[
        (results["indicator_id"] == "flu_vaccination_65_plus")
        & (results["area_type"] == "icb24")
        & (results["category_type"] == "all")
    ]
    mine = finest[(finest["indicator_id"] == "flu_vaccination_65_plus")
                  & finest["lsoa21"].isin(AREAS["lsoa21"])]  # fmt: skip
    for period, row in flu.set_index("period").iterrows():
        expected = mine[mine["period"] == period][["numerator", "denominator"]].sum()
        assert (row["numerator"], row["denominator"]) == tuple(expected)
    inequalities = live.table("inequalities")
    assert {"d", "r", "bgv"} <= set(inequalities["measure"])
    # Only four IMD deciles exist in this population; PHE's SII needs at least five, so the
    # SII rows are NA and say why rather than vanishing.
    sii = inequalities[inequalities["measure"] == "sii"]
    assert sii["value"].isna().all() and sii["reason"].str.contains("quantile").all()


def test_run_without_population_files_says_what_to_do(tmp_path: Path) -> None:
    from healthgap.errors import DataSourceError

    with pytest.raises(DataSourceError, match="population synth"):
        run_indicators(tmp_path, tmp_path / "results", areas=AREAS)


def test_export_writes_fingertips_columns(tmp_path: Path) -> None:
    from healthgap.cli import app
    from healthgap.indicators.store import publish

    row = {
        "indicator_id": "flu_vaccination_65_plus", "indicator_name": "Flu", "period": "2024/25",
        "area_type": "lsoa21", "area_code": "E01000001", "area_name": "Alpha 001A",
        "parent_code": "E02000001", "category_type": "sex", "category": "Female",
        "numerator": 80.0, "denominator": 100.0, "value": 80.0, "lowercl": 71.1,
        "uppercl": 86.7, "lower99_8cl": 66.0, "upper99_8cl": 89.0, "statistic": "percentage",
        "method": "Wilson", "reason": None, "multiplier": 100.0,
        "polarity": "higher_is_better", "target": 75.0,
    }  # fmt: skip
    publish(tmp_path / "store", {"results": pd.DataFrame([row])}, {})
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(
        app,
        ["indicators", "export", "--results", str(tmp_path / "store"), "--out", str(out),
         "--disclosure", "none"],  # the public policy is tested in tests/reports/test_published.py
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert frame.loc[0, "Sex"] == "Female" and frame.loc[0, "Age"] == "All ages"
    assert frame.loc[0, "Lower CI 95.0 limit"] == 71.1 and frame.loc[0, "Count"] == 80
