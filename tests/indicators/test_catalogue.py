"""The shipped catalogue: every file loads, carries its governance fields, is due no review yet,
and compiles to SQL for every dialect with a fixed number of scans of people and events."""

from __future__ import annotations

import re
from datetime import date

import ibis
import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators.compile import to_sql
from healthgap.indicators.loading import CATALOGUE_DIR
from healthgap.indicators.plan import plan
from healthgap.population.schema import EVENTS, PEOPLE

CATALOGUE = load_catalogue()
INDICATORS = list(CATALOGUE.values())
CORE = {
    "flu_vaccination_65_plus",
    "covid19_autumn_booster_75_plus",
    "breast_screening_coverage",
    "cervical_screening_25_49",
    "cervical_screening_50_64",
    "bowel_screening_coverage",
    "nhs_health_check_uptake",
    "hypertension_recorded_prevalence",
    "mmr2_by_age_5",
    "smi_physical_health_checks",
    "emergency_admissions_dsr",
}


def test_every_file_is_an_indicator():
    assert sorted(p.stem for p in CATALOGUE_DIR.glob("*.yaml")) == sorted(CATALOGUE)


def test_ships_the_core_indicators():
    assert set(CATALOGUE) >= CORE


@pytest.mark.parametrize("indicator", INDICATORS, ids=[i.id for i in INDICATORS])
def test_governance(indicator):
    assert indicator.owner and indicator.checked_by and indicator.why_it_matters
    assert indicator.source.url.startswith("https://")
    assert indicator.reviewed <= date.today(), "reviewed is in the future"
    assert indicator.next_review >= date.today(), (
        f"{indicator.file}: review was due on {indicator.next_review}"
    )
    criteria = [*indicator.cohort.require, *indicator.cohort.exclude, *indicator.numerator.all_of]
    assert all(c.codes_from for c in criteria)
    assert all(code.description for c in criteria for code in c.codes)


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "pyspark"])
def test_whole_catalogue_compiles_with_one_scan_of_people_and_events(dialect):
    # One scan of each table for all indicators, plus one narrow scan of each for the
    # birth-relative windows (MMR2: events with its codes joined to birth months), two narrow
    # scans of the events for the readmission link (discharges semi-joined to the emergency
    # admissions that follow them, all periods at once), and no common table expression over
    # them (DuckDB materialises a CTE used twice).
    people = ibis.table(ibis.Schema.from_pyarrow(PEOPLE.output_schema), name="people_table")
    events = ibis.table(ibis.Schema.from_pyarrow(EVENTS.output_schema), name="events_table")
    sql = to_sql(CATALOGUE, people, events, dialect=dialect)
    assert len(re.findall(r"\bevents_table\b", sql)) == 2 + 2
    assert len(re.findall(r"\bpeople_table\b", sql)) == 2
    assert not re.search(r"\bWITH\b", sql)
    for indicator in INDICATORS:
        assert indicator.numerator.all_of[0].codes[0].code in sql
    linked = {"emergency_readmissions_30_days"}
    calendar = [
        i
        for i in INDICATORS
        if i.id not in linked and not any(c.uses_birth for s in plan([i]) for c in s.checks)
    ]
    assert "mmr2_by_age_5" not in {i.id for i in calendar}
    sql = to_sql(calendar, people, events, dialect=dialect)
    assert len(re.findall(r"\bevents_table\b", sql)) == 1
    assert len(re.findall(r"\bpeople_table\b", sql)) == 1
    followed = [i for i in INDICATORS if i.id in linked]
    sql = to_sql(followed, people, events, dialect=dialect)
    assert len(re.findall(r"\bevents_table\b", sql)) == 1 + 2
    assert not re.search(r"\bWITH\b", sql)
