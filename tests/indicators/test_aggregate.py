"""The DuckDB roll-up (`aggregate.Rollup`): hand-calculated cases, and every level and breakdown
against the plain-pandas `rollup` on the reference engine's fine table."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators.aggregate import CATEGORY_TYPES, LEVELS, Rollup, aggregate
from healthgap.indicators.backends import connect, load_tables
from healthgap.indicators.compile import compile_indicators
from healthgap.indicators.reference import reference_finest
from healthgap.indicators.rollup import rollup
from tests.backends import duckdb, postgres
from tests.spec import synthetic

CATALOGUE = load_catalogue()
EVERY = ("lsoa21", "imd_decile", "ethnicity5", "ethnicity19", "sex", "age_band")
ALL_BREAKDOWNS = {i.id: replace(i, breakdowns=EVERY) for i in CATALOGUE.values()}
"""The catalogue with every breakdown declared (none ships with ethnicity19)."""
FLU = load_catalogue(ids=["flu_vaccination_65_plus"])
DSR = load_catalogue(ids=["emergency_admissions_dsr"])
AREAS = pd.DataFrame(
    {
        "lsoa21": ["E01000001", "E01000002", "E01000003", "E01000004"],
        "msoa21": ["E02000001", "E02000001", "E02000002", "E02000003"],
        "lad24": ["E08000001", "E08000001", "E08000002", "E08000002"],
        "icb24": ["E54000001"] * 4,
        "region24": ["E12000001"] * 4,
        "imd_decile": [1, 2, 6, 10],
        "imd_quintile": [1, 1, 3, 5],
        "core20": [True, True, False, False],
    }
)


def fine(rows: list[tuple]) -> pd.DataFrame:
    columns = ["indicator_id", "period", "lsoa21", "ethnicity", "sex", "age_band"]
    return pd.DataFrame(rows, columns=[*columns, "numerator", "denominator"])


def pick(counts: pd.DataFrame, **where: str) -> tuple[int, int]:
    mask = pd.Series(True, index=counts.index)
    for column, value in where.items():
        mask &= counts[column] == value
    assert mask.sum() == 1, f"{mask.sum()} rows match {where}"
    row = counts[mask].iloc[0]
    return int(row["numerator"]), int(row["denominator"])


FLU_FINE = fine(
    [
        ("flu_vaccination_65_plus", "2024/25", "E01000001", "A", "1", "65-69", 3, 4),
        ("flu_vaccination_65_plus", "2024/25", "E01000001", "A", "2", "70-74", 5, 6),
        ("flu_vaccination_65_plus", "2024/25", "E01000001", "B", "2", "65-69", 1, 2),
        ("flu_vaccination_65_plus", "2024/25", "E01000003", "99", "9", None, 7, 10),
    ]
)


@pytest.fixture(scope="module")
def flu() -> pd.DataFrame:
    return aggregate(FLU_FINE, FLU, AREAS)


def test_lsoa_breakdowns_by_hand(flu):
    # E01000001: all = (3+5+1, 4+6+2); women = (5+1, 6+2); men (3, 4); White (codes A and B
    # are White: British and White: Irish) = (9, 12); age 65-69 = (3+1, 4+2).
    lsoa = {"area_type": "lsoa21", "area_code": "E01000001"}
    assert pick(flu, **lsoa, category_type="all") == (9, 12)
    assert pick(flu, **lsoa, category_type="sex", category="Female") == (6, 8)
    assert pick(flu, **lsoa, category_type="sex", category="Male") == (3, 4)
    assert pick(flu, **lsoa, category_type="ethnicity5", category="White") == (9, 12)
    assert pick(flu, **lsoa, category_type="age_band", category="65-69") == (4, 6)
    # No band and no known ethnicity or sex keep their own groups.
    other = {"area_type": "lsoa21", "area_code": "E01000003"}
    assert pick(flu, **other, category_type="age_band", category="unknown") == (7, 10)
    assert pick(flu, **other, category_type="sex", category="Indeterminate") == (7, 10)
    assert pick(flu, **other, category_type="ethnicity5", category="Not stated or not known") == (
        7,
        10,
    )


def test_wider_levels_and_area_breakdowns_by_hand(flu):
    # LAD E08000001 = E01000001 only; the ICB adds E01000003 (IMD decile 6, not Core20).
    assert pick(flu, area_type="lad24", area_code="E08000001", category_type="all") == (9, 12)
    assert pick(flu, area_type="icb24", area_code="E54000001", category_type="all") == (16, 22)
    icb = {"area_type": "icb24", "area_code": "E54000001"}
    assert pick(flu, **icb, category_type="imd_decile", category="1") == (9, 12)
    assert pick(flu, **icb, category_type="imd_decile", category="6") == (7, 10)
    assert pick(flu, **icb, category_type="core20", category="Not Core20") == (7, 10)
    assert pick(flu, **icb, category_type="imd_quintile", category="1") == (9, 12)
    england = flu[flu["area_type"] == "england"]
    assert set(england["area_code"]) == {"E92000001"}
    # No area breakdowns at LSOA level; non-DSR rows carry the band "all" except by age band.
    lsoa = flu[flu["area_type"] == "lsoa21"]
    assert not set(lsoa["category_type"]) & {"imd_decile", "imd_quintile", "core20"}
    assert set(flu.loc[flu["category_type"] != "age_band", "age_band"]) == {"all"}


def test_a_dsr_keeps_its_age_bands_in_every_breakdown():
    rows = fine(
        [
            ("emergency_admissions_dsr", "2024/25", "E01000001", "A", "1", "0-4", 2, 50),
            ("emergency_admissions_dsr", "2024/25", "E01000001", "A", "2", "0-4", 1, 40),
            ("emergency_admissions_dsr", "2024/25", "E01000002", "A", "2", "90+", 6, 10),
        ]
    )
    counts = aggregate(rows, DSR, AREAS)
    msoa = {"area_type": "msoa21", "area_code": "E02000001"}
    assert pick(counts, **msoa, category_type="all", age_band="0-4") == (3, 90)
    assert pick(counts, **msoa, category_type="all", age_band="90+") == (6, 10)
    assert pick(counts, **msoa, category_type="sex", category="Female", age_band="0-4") == (1, 40)
    assert "age_band" not in set(counts["category_type"])  # the bands are in every row


def test_keep_fine_rows_and_lsoas():
    with Rollup(FLU_FINE, FLU, AREAS) as rolled:
        assert rolled.fine_rows == 4
        assert rolled.lsoas == ["E01000001", "E01000003"]
        counts = rolled.counts(["lad24", "lsoa21"], keep={"lad24": ["E08000002"]})
    assert set(zip(counts["area_type"], counts["area_code"], strict=True)) == {
        ("lad24", "E08000002")
    }


@pytest.fixture(scope="module")
def synthetic_fine() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    people, events = synthetic.population(CATALOGUE, n_people=600, n_events=5000, seed=3)
    return people, events, reference_finest(CATALOGUE, people, events)


SEXES = {"1": "Male", "2": "Female", "9": "Indeterminate"}


def _expected(finest: pd.DataFrame, level: str, category: str) -> pd.DataFrame:
    """The pandas roll-up, labelled as the DuckDB one labels its rows (every indicator
    declaring every breakdown)."""
    keys = ["indicator_id", "period", "area_code", "category", "age_band"]
    frame = finest.assign(
        sex=finest["sex"].map(lambda s: SEXES.get(s, "Not known")),
        age_band=finest["age_band"].fillna("unknown"),
        england="E92000001",
    )
    areas = AREAS.assign(
        imd_decile=AREAS["imd_decile"].astype(str),
        imd_quintile=AREAS["imd_quintile"].astype(str),
        core20=AREAS["core20"].map({True: "Core20", False: "Not Core20"}),
    )
    by = [] if category in ("all", "age_band") else [category]
    area = ["england"] if level == "england" else [level]
    is_dsr = frame["indicator_id"].map(lambda i: CATALOGUE[i].method == "dsr")
    parts = []
    for dsr, part in frame.groupby(is_dsr):
        if dsr and category == "age_band":
            continue
        if not dsr and category != "age_band":
            part = part.assign(age_band="all")
        table = rollup(part, [*area, *by, "age_band"], areas=areas)
        table = table.rename(columns={area[0]: "area_code", **{c: "category" for c in by}})
        if not by:
            table["category"] = "All" if category == "all" else table["age_band"]
        parts.append(table[[*keys, "numerator", "denominator"]])
    out = pd.concat(parts).astype({"area_code": "str", "category": "str"})
    return out.sort_values(keys, ignore_index=True)


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_and_breakdown_matches_the_pandas_rollup(synthetic_fine, level):
    _, _, finest = synthetic_fine
    finest = finest[finest["lsoa21"].isin(AREAS["lsoa21"])]
    got = aggregate(finest, ALL_BREAKDOWNS, AREAS, levels=[level])
    assert set(got["area_type"]) == {level}
    keys = ["indicator_id", "period", "area_code", "category", "age_band"]
    for category in CATEGORY_TYPES:
        mine = got[got["category_type"] == category]
        if level == "lsoa21" and category in ("imd_decile", "imd_quintile", "core20"):
            assert mine.empty
            continue
        mine = mine[[*keys, "numerator", "denominator"]].astype({"area_code": "str"})
        want = _expected(finest, level, category)
        assert len(want) > 0
        pd.testing.assert_frame_equal(
            mine.sort_values(keys, ignore_index=True), want, check_dtype=False
        )


@pytest.mark.parametrize("conf", [duckdb.TestConf().param(), postgres.TestConf().param()])
def test_from_engine_equals_the_frame_route(synthetic_fine, conf):
    # On DuckDB the fine rows go through a temporary Parquet file in the engine's connection;
    # from PostgreSQL (and Spark) they are fetched through Arrow.
    conf = {"duckdb": duckdb.TestConf(), "postgres": postgres.TestConf()}[conf]
    if conf.unavailable():
        pytest.skip(conf.unavailable())
    people, events, finest = synthetic_fine
    con = connect(conf.name)
    try:
        tables = load_tables(con, people, events)
        expr = compile_indicators(CATALOGUE, tables.people, tables.events)
        with Rollup.from_engine(con, expr, CATALOGUE, AREAS) as rolled:
            assert rolled.fine_rows == len(finest)
            got = rolled.counts()
        if conf.name == "duckdb":
            left = con.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'hg_%'"
            ).fetchall()
            assert left == []
    finally:
        con.disconnect()
    keys = ["area_type", "area_code", "indicator_id", "period", "category_type", "category"]
    keys.append("age_band")
    want = aggregate(finest, CATALOGUE, AREAS)
    pd.testing.assert_frame_equal(
        got.sort_values(keys, ignore_index=True), want.sort_values(keys, ignore_index=True)
    )
