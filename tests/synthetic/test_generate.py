"""The synthetic population: schema, determinism, calibration, effects, windows, CLI.

Most tests use the geography tests' fixture mirror (tests/geography/mirror_fixture.py: ten
LSOAs, E0100000k with 10k people in each Census age band and IMD decile k; ICB E54000001 holds
k = 1..5) or hand-built `SynthAreas`; one test reads the real mirror.
"""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, InputDataError
from healthgap.geography.areas import lsoas_in
from healthgap.geography.census import population2021
from healthgap.indicators.loading import load_catalogue
from healthgap.population.importer import import_population
from healthgap.population.schema import EVENTS, PEOPLE, SCHEMA_VERSION
from healthgap.synthetic._model import poisson_inverse
from healthgap.synthetic.cli import synth
from healthgap.synthetic.generate import DEFAULT_REFERENCE_DATE, Effects, synthesise
from tests.population._helpers import run_main
from tests.synthetic._helpers import (
    REF,
    areas,
    flat,
    mirror_config,
    read,
    within,
)

BANDS = [(0, 15), (16, 24), (25, 34), (35, 49), (50, 64), (65, 104)]
FLAT = flat(
    {"flu_vaccination_65_plus": {"baseline": 0.8}, "emergency_admissions_dsr": {"baseline": 0.1}}
)


@pytest.fixture
def config(tmp_path) -> DataConfig:
    return mirror_config(tmp_path)


# -- the fixture mirror, end to end -----------------------------------------------------------
def test_icb_counts_equal_the_census_by_lsoa_and_band(tmp_path, config):
    result = synthesise(icb="E54000001", seed=1, out=tmp_path / "out", config=config)
    people, _ = read(tmp_path / "out")
    # LSOA E0100000k has 10k people in each of 6 bands: 60k in all; k = 1..5 -> 900 people.
    assert result.people == 60 * (1 + 2 + 3 + 4 + 5) == len(people)
    assert result.lsoas == 5
    band = pd.cut(people["age"], [-1, 15, 24, 34, 49, 64, 200], labels=False)
    counts = people.groupby(["lsoa21", band]).size().unstack()
    expected = [[10 * k] * 6 for k in range(1, 6)]
    assert counts.to_numpy().tolist() == expected
    assert list(counts.index) == [f"E0100000{k}" for k in range(1, 6)]


def test_output_passes_the_importers_rules(tmp_path, config):
    synthesise(icb="E54000001", seed=3, out=tmp_path / "out", config=config, reference_date=REF)
    out = tmp_path / "out"
    assert pq.read_schema(out / "people.parquet") == PEOPLE.output_schema
    assert pq.read_schema(out / "events.parquet") == EVENTS.output_schema
    again = import_population(
        out / "people.parquet", tmp_path / "imported", events=out / "events.parquet", today=REF
    )
    people, events = read(out)
    assert again.rows == {"people": len(people), "events": len(events)}
    assert len(events) > 0
    assert people["person_id"].str.fullmatch("[0-9a-f]{32}").all()
    assert people["gp_practice"].str.fullmatch("X[0-9]{5}").all()


def test_manifest_has_the_importers_layout(tmp_path, config):
    result = synthesise(icb="E54000001", seed=1, out=tmp_path / "out", config=config)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest == result.manifest
    assert {"schema_version", "created", "healthgap_version", "pseudonym_key_id", "tables"} <= set(
        manifest
    )
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["pseudonym_key_id"] is None
    assert manifest["tables"]["people"]["file"] == "people.parquet"
    assert manifest["tables"]["people"]["rows"] == 900
    assert set(manifest["tables"]["events"]["source"]) == {"name", "sha256"}
    synthetic = manifest["synthetic"]
    assert (synthetic["seed"], synthetic["reference_date"], synthetic["lsoas"]) == (
        1,
        "2026-03-31",
        5,
    )
    # the default reference date covers both periods of every shipped indicator
    assert synthetic["indicators"]["flu_vaccination_65_plus"] == ["2024/25", "2025/26"]
    assert synthetic["indicators"]["covid19_autumn_booster_75_plus"] == [
        "Autumn 2024",
        "Autumn 2025",
    ]
    assert synthetic["periods_after_reference_date"] == {}
    assert synthetic["effects"] == Effects().to_dict()


def test_manifest_names_the_periods_after_the_reference_date(tmp_path, config):
    result = synthesise(
        icb="E54000001", seed=1, out=tmp_path / "o", config=config, reference_date=REF
    )
    synthetic = result.manifest["synthetic"]
    assert synthetic["indicators"]["flu_vaccination_65_plus"] == ["2024/25"]
    assert synthetic["periods_after_reference_date"]["flu_vaccination_65_plus"] == ["2025/26"]
    assert synthetic["periods_after_reference_date"]["covid19_autumn_booster_75_plus"] == [
        "Autumn 2025"
    ]
    _, events = read(tmp_path / "o")
    assert (events["date"] <= REF).all()


def test_default_reference_date_covers_every_shipped_period_ended_by_2026_11_28():
    ended = [
        (ident, p.label, p.end)
        for ident, indicator in load_catalogue().items()
        for p in indicator.periods
        if p.end <= date(2026, 11, 28)
    ]
    assert len(ended) >= 24  # 12 indicators x 2 periods
    assert [e for e in ended if e[2] > DEFAULT_REFERENCE_DATE] == []


def test_same_seed_same_bytes_and_other_seed_other_people(tmp_path, config):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        synthesise(icb="E54000001", seed=seed, out=tmp_path / name, config=config)
    for table in ("people.parquet", "events.parquet"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()
    a, c = read(tmp_path / "a")[0], read(tmp_path / "c")[0]
    assert not set(a["person_id"]) & set(c["person_id"])
    assert (a["lsoa21"].value_counts() == c["lsoa21"].value_counts()).all()


def test_chunking_workers_and_neighbours_do_not_change_the_data(tmp_path, config):
    synthesise(icb="E54000002", seed=5, out=tmp_path / "a", config=config)
    synthesise(icb="E54000002", seed=5, out=tmp_path / "b", config=config, chunk_size=2, workers=3)
    synthesise(["E01000008"], seed=5, out=tmp_path / "c", config=config)
    (pa, ea), (pb, eb), (pc, ec) = (read(tmp_path / n) for n in "abc")
    pd.testing.assert_frame_equal(pa, pb)
    pd.testing.assert_frame_equal(ea, eb)
    alone = pa[pa["lsoa21"] == "E01000008"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, pc)
    ea_alone = ea[ea["person_id"].isin(alone["person_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(ea_alone, ec)


# -- calibration of the people ----------------------------------------------------------------
def test_ethnicity_shares_follow_the_mix_within_sampling_error(tmp_path):
    mix = {
        "white_british": 500,
        "indian": 200,
        "black_african": 100,
        "mixed": 100,
        "arab": 60,
        "chinese": 40,
    }
    synthesise(areas([2000] * 6, lsoas=2, mix=mix), seed=2, out=tmp_path / "o", catalogue={})
    people, events = read(tmp_path / "o")
    n = len(people)
    assert n == 24_000 and events.empty
    shares = people["ethnicity"].value_counts(normalize=True)
    recorded = 1 - 0.03 - 0.05  # the default not-stated (Z) and not-known (99) rates
    mixed = 100 / 1000 * recorded / (415_616 + 161_550 + 332_708 + 283_005)  # Census 2011 split
    expected = {
        "A": 0.5 * recorded,
        "H": 0.2 * recorded,
        "N": 0.1 * recorded,
        "S": 0.06 * recorded,
        "R": 0.04 * recorded,
        "D": 415_616 * mixed,
        "E": 161_550 * mixed,
        "F": 332_708 * mixed,
        "G": 283_005 * mixed,
        "Z": 0.03,
        "99": 0.05,
    }
    assert set(shares.index) == set(expected)
    for code, share in expected.items():
        assert within(shares[code], share, n), (code, shares[code], share)


def test_ages_sexes_births_and_registration(tmp_path):
    synthesise(areas([3000] * 6), seed=4, out=tmp_path / "o", catalogue={}, reference_date=REF)
    people, _ = read(tmp_path / "o")
    for lo, hi in BANDS:
        in_band = people["age"].between(lo, hi)
        assert in_band.sum() == 3000
        if hi < 65:  # spread evenly: every single year appears
            assert set(people.loc[in_band, "age"]) == set(range(lo, hi + 1))
    old = people.loc[people["age"] >= 65, "age"]
    # 90+ share of 65+: (0.4 + 0.11 + 0.015) / (2.9 + 3.0 + 2.2 + 1.5 + 0.9 + 0.4 + 0.11 + 0.015)
    assert within((old >= 90).mean(), 0.525 / 11.025, len(old))
    children = people[people["age"] <= 15]
    assert within((children["sex"] == "1").mean(), 0.512, len(children))
    assert within((people.loc[people["age"] >= 90, "sex"] == "1").mean(), 0.31, (old >= 90).sum())
    # born in the months that give that age on 31 March 2025 (age by whole months here, as
    # someone born in March 1960 is 65 on any day of March 2025 when born on or before the 31st)
    born = pd.to_datetime(people["birth_month"] + "-01")
    months = (2025 - born.dt.year) * 12 + (3 - born.dt.month)
    assert (months // 12 == people["age"]).all()
    start = pd.to_datetime(people["registration_start"])
    assert (start >= born).all() and (start <= pd.Timestamp(REF)).all()
    assert people["registration_end"].isna().all()


# -- the event model ----------------------------------------------------------------------------
def test_uptake_is_lower_in_decile_1_than_decile_10(tmp_path):
    flu = load_catalogue(ids=["flu_vaccination_65_plus"])
    inputs = areas([0, 0, 0, 0, 0, 20_000], lsoas=2, deciles=[1, 10])
    # default effects, but no practice effect: with two MSOAs of 2-4 practices each, the
    # practices' random effects (sd 0.15) would be part of the difference
    synthesise(
        inputs,
        seed=9,
        out=tmp_path / "d",
        catalogue=flu,
        effects=Effects.from_mapping({"practice_sd": 0}),
    )
    no_gap = Effects.from_mapping({"uptake": {"imd_per_decile": 0}, "practice_sd": 0})
    synthesise(inputs, seed=9, out=tmp_path / "n", catalogue=flu, effects=no_gap)

    def uptake(folder: str) -> pd.Series:  # in the 2025/26 season
        people, events = read(tmp_path / folder)
        season = events[events["date"] >= date(2025, 9, 1)]
        people["vaccinated"] = people["person_id"].isin(season["person_id"])
        return people.groupby("lsoa21")["vaccinated"].mean()

    gap = uptake("d")
    # default 0.07 log-odds per decile: 9 x 0.07 = 0.63 between the deciles, about 12 points
    assert gap["E01000002"] - gap["E01000001"] > 0.08
    flat = uptake("n")
    assert abs(flat["E01000002"] - flat["E01000001"]) < 4.5 * math.sqrt(2 * 0.25 / 20_000)


def test_without_effects_uptake_and_rates_equal_the_baselines(tmp_path):
    catalogue = load_catalogue(ids=["flu_vaccination_65_plus", "emergency_admissions_dsr"])
    synthesise(
        areas([4000] * 6),
        seed=11,
        out=tmp_path / "o",
        catalogue=catalogue,
        effects=FLAT,
        reference_date=REF,
    )
    people, events = read(tmp_path / "o")
    born = pd.to_datetime(people["birth_month"] + "-01")
    start = pd.to_datetime(people["registration_start"])
    # flu: aged 65+ on 31 March 2025 (by birth month), registered by 28 February 2025
    age_mar25 = ((2025 - born.dt.year) * 12 + (3 - born.dt.month)) // 12
    cohort = people[(age_mar25 >= 65) & (start <= "2025-02-28")]
    flu = events[events["event_type"] == "vaccination"]
    assert flu["person_id"].isin(cohort["person_id"]).all()
    assert within(cohort["person_id"].isin(flu["person_id"]).mean(), 0.8, len(cohort))
    # admissions: 0.1 a year for people registered on 30 September 2024, over the days of
    # 2024/25 they were alive (everyone here was born by 31 March 2025)
    cohort = people[start <= "2024-09-30"]
    first = pd.to_datetime(cohort["birth_month"] + "-01").clip(lower=pd.Timestamp("2024-04-01"))
    years = ((pd.Timestamp("2025-03-31") - first).dt.days + 1).sum() / 365.25
    admissions = events[events["event_type"] == "admission"]
    assert admissions["person_id"].isin(cohort["person_id"]).all()
    expected = 0.1 * years
    assert abs(len(admissions) - expected) <= 4.5 * math.sqrt(expected)


def test_event_dates_fall_inside_the_indicator_windows(tmp_path, config):
    synthesise(icb="E54000002", seed=12, out=tmp_path / "o", config=config, reference_date=REF)
    people, events = read(tmp_path / "o")
    windows = {  # (event_type, code): first and last day (inclusive), YAML periods for 2024/25
        ("vaccination", "822851000000102"): ("2024-09-01", "2025-02-28"),  # flu season
        ("vaccination", "1362591000000103"): ("2024-10-03", "2025-01-31"),  # COVID-19 autumn
        ("screening", "24623002"): ("2022-03-31", "2025-03-31"),  # breast: 36 months
        ("screening", "171149006"): ("2019-09-30", "2025-03-31"),  # cervical: up to 66 months
        ("screening", "375211000000108"): ("2022-09-30", "2025-03-31"),  # bowel: 30 months
        ("procedure", "523221000000100"): ("2020-03-31", "2025-03-31"),  # health check: 5 years
        ("admission", "21"): ("2024-04-01", "2025-03-31"),
        ("observation", "75367002"): ("2024-03-31", "2025-03-31"),  # SMI checks: 12 months
        # "ever": the last 3,652 days (2015-04-01 + 3,652 days, three leap days, = 2025-03-31)
        ("diagnosis", "38341003"): ("2015-04-01", "2025-03-31"),
        # discharges (home 19, care home 85) in 2023/24 and 2024/25; readmissions (28) 1 to 29
        # days after one, up to the reference date
        ("discharge", "19"): ("2023-04-01", "2025-03-31"),
        ("discharge", "85"): ("2023-04-01", "2025-03-31"),
        ("admission", "28"): ("2023-04-02", "2025-03-31"),
    }
    seen = set(zip(events["event_type"], events["code"], strict=True))
    assert set(windows) <= seen
    for (kind, code), (first, last) in windows.items():
        dates = events.loc[(events["event_type"] == kind) & (events["code"] == code), "date"]
        assert dates.between(date.fromisoformat(first), date.fromisoformat(last)).all(), code
    mmr = events[events["code"] == "38598009"].merge(people, on="person_id")
    born = pd.to_datetime(mmr["birth_month"] + "-01")
    fifth = born + pd.DateOffset(years=5)  # before the 1st of the 5th birthday month
    assert (pd.to_datetime(mmr["date"]) >= born).all() and (
        pd.to_datetime(mmr["date"]) < fifth
    ).all()
    assert (mmr.groupby("person_id").size() == 2).all()  # min_count: 2 doses


def test_screening_events_only_for_women_in_the_age_range(tmp_path, config):
    synthesise(icb="E54000002", seed=13, out=tmp_path / "o", config=config, reference_date=REF)
    people, events = read(tmp_path / "o")
    screened = events[events["code"].isin(["24623002", "171149006"])].merge(people, on="person_id")
    assert len(screened) > 0
    assert (screened["sex"] == "2").all()
    born = pd.to_datetime(screened["birth_month"] + "-01")
    age = ((2025 - born.dt.year) * 12 + (3 - born.dt.month)) // 12
    assert age.between(25, 70).all()


def test_poisson_inverse_matches_the_poisson_cdf():
    # mean 1: P(0) = e^-1 = 0.3679, P(<=1) = 0.7358, P(<=2) = 0.9197, P(<=3) = 0.9810
    u = np.array([0.1, 0.36, 0.37, 0.5, 0.9, 0.95, 0.99])
    assert poisson_inverse(u, np.ones(7)).tolist() == [0, 0, 1, 1, 2, 3, 4]
    assert poisson_inverse(np.array([0.999]), np.zeros(1)).tolist() == [0]


# -- effects files --------------------------------------------------------------------------
def test_effects_file_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "effects.yaml"
    path.write_text(
        "uptake:\n  imd_per_decile: 0.2\n  ethnicity: {black: -2}\n"
        "outcomes:\n  flu_vaccination_65_plus: {baseline: 0.5}\npractice_sd: 0\n"
    )
    effects = Effects.load(path)
    default = Effects()
    assert effects.uptake.imd_per_decile == 0.2
    assert effects.uptake.ethnicity["black"] == -2
    assert effects.uptake.ethnicity["asian"] == default.uptake.ethnicity["asian"]
    assert effects.uptake.age_per_decade == default.uptake.age_per_decade
    assert effects.resolve("flu_vaccination_65_plus", "uptake")[0] == 0.5
    assert effects.resolve("hypertension_recorded_prevalence", "condition") == default.resolve(
        "hypertension_recorded_prevalence", "condition"
    )
    as_json = tmp_path / "effects.json"
    as_json.write_text(json.dumps(effects.to_dict()))
    assert Effects.load(as_json) == effects


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"uptake": {"imd_per_decil": 1}},
            "unknown setting 'imd_per_decil'; did you mean 'imd_per_decile'",
        ),
        ({"practise_sd": 1}, "did you mean 'practice_sd'"),
        ({"uptake": {"ethnicity": {"purple": 1}}}, "unknown ethnic groups"),
        ({"practice_sd": -1}, "practice_sd must not be negative"),
        ({"ethnicity_not_stated": 0.7, "ethnicity_not_known": 0.4}, "add up to at most 1"),
        ({"outcomes": {"x": {"imd_per_decile": 1}}}, "at least a baseline"),
        ({"outcomes": "x"}, "must be a mapping"),
        ({"rate": {"male": "high"}}, "male must be a finite number, got 'high'"),
        ({"uptake": {"ethnicity": {"black": None}}}, "ethnicity.black must be a finite number"),
        ({"outcomes": {"x": {"baseline": "0.5"}}}, "baseline must be a finite number"),
        ({"practice_sd": float("nan")}, "practice_sd must be a finite number"),
        ({"uptake": {"ethnicity": 3}}, "uptake.ethnicity must be a mapping"),
        ({"uptake": {"per_year": "down"}}, "per_year must be a finite number, got 'down'"),
        ({"condition": {"per_year": 0.1}}, r"condition\.per_year must be 0: conditions are drawn"),
        ({"persistence": 1.5}, "persistence must be a share from 0 to 1, got 1.5"),
        ({"persistence": -0.1}, "persistence must be a share from 0 to 1"),
    ],
)
def test_bad_effects_are_rejected(data, message):
    with pytest.raises(ArgumentError, match=message):
        Effects.from_mapping(data)


def test_a_trend_on_a_condition_outcome_is_rejected_when_used(tmp_path):
    effects = Effects.from_mapping(
        {"outcomes": {"hypertension_recorded_prevalence": {"baseline": 0.1, "per_year": 0.02}}}
    )
    with pytest.raises(
        ArgumentError, match=r"outcomes\.hypertension_recorded_prevalence\.per_year"
    ):
        synthesise(
            areas([50] * 6),
            seed=1,
            out=tmp_path / "o",
            effects=effects,
            catalogue=load_catalogue(ids=["hypertension_recorded_prevalence"]),
        )


def test_bad_baseline_is_rejected_when_used(tmp_path):
    effects = Effects.from_mapping({"outcomes": {"flu_vaccination_65_plus": {"baseline": 1.2}}})
    with pytest.raises(ArgumentError, match=r"strictly between 0 and 1, got 1\.2"):
        synthesise(
            areas([0, 0, 0, 0, 0, 50]),
            seed=1,
            out=tmp_path / "o",
            effects=effects,
            catalogue=load_catalogue(ids=["flu_vaccination_65_plus"]),
        )
    assert not (tmp_path / "o").exists()


def test_unreadable_effects_file(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("uptake: [1, 2\n")
    with pytest.raises(ArgumentError, match="Cannot read the effects file"):
        Effects.load(path)


# -- argument errors ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of"),
        ({"icb": "E54000001", "england": True}, "exactly one of"),
        ({"icb": "E54000009"}, "There is no ICB E54000009 in the 2024 lookups.*area_table"),
        ({"icb": "E5400001"}, "'E5400001' is not an ICB code.*E54 followed by 6 digits"),
        ({"icb": "QAA"}, "QAA is an NHS ODS code; use the ICB's GSS code E54000001"),
        ({"icb": "E54000001", "seed": -1}, "seed must be a non-negative"),
        ({"icb": "E54000001", "chunk_size": 0}, "chunk_size must be a positive"),
        ({"icb": "E54000001", "workers": 0}, "workers must be a positive"),
        ({"icb": "E54000001", "reference_date": "31/03/2025"}, "must be a date YYYY-MM-DD"),
        ({"icb": "E54000001", "reference_date": "1960-01-01"}, "must be in 1985 or later"),
    ],
)
def test_bad_arguments(tmp_path, config, kwargs, message):
    kwargs = {"seed": 1, **kwargs}
    with pytest.raises(ArgumentError, match=message):
        synthesise(out=tmp_path / "o", config=config, **kwargs)


def test_unknown_lsoas_are_named(tmp_path, config):
    with pytest.raises(InputDataError, match="'E01999999'"):
        synthesise(["E01000001", "E01999999"], seed=1, out=tmp_path / "o", config=config)


def test_existing_output_needs_overwrite(tmp_path, config):
    synthesise(["E01000001"], seed=1, out=tmp_path / "o", config=config)
    with pytest.raises(ArgumentError, match="already exists"):
        synthesise(["E01000001"], seed=1, out=tmp_path / "o", config=config)
    synthesise(["E01000002"], seed=1, out=tmp_path / "o", config=config, overwrite=True)
    assert set(read(tmp_path / "o")[0]["lsoa21"]) == {"E01000002"}


# -- command line ---------------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch, config) -> typer.Typer:
    monkeypatch.setattr(DataConfig, "from_env", classmethod(lambda cls, **kw: config))
    app = typer.Typer()
    app.command()(synth)
    app.command("other")(lambda: None)  # two commands, so the command name is required
    return app


def test_cli_writes_and_summarises(tmp_path, cli):
    effects = tmp_path / "effects.yaml"
    effects.write_text("practice_sd: 0\n")
    result = CliRunner().invoke(
        cli,
        [
            "synth",
            "--icb",
            "E54000001",
            "--seed",
            "2",
            "--out",
            str(tmp_path / "o"),
            "--effects",
            str(effects),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "people" in result.output and "900" in result.output
    assert "events: vaccination" in result.output
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["synthetic"]["effects"]["practice_sd"] == 0


def test_cli_names_the_periods_after_the_reference_date(tmp_path, cli):
    out = tmp_path / "o"
    args = ["synth", "--icb", "E54000001", "--out", str(out), "--reference-date", "2025-06-30"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # 12 indicators, each with its 2024/25 (or Autumn 2024) period only; of issue 10's
    # outcomes, ACSC, falls, readmissions and discharge home with 2023/24 and 2024/25, care
    # homes with 2024/25
    assert f"indicator periods drawn │ {12 + 4 * 2 + 1}" in text
    assert "No events for periods ending after 2025-06-30:" in text
    assert "flu_vaccination_65_plus (2025/26)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Give exactly one of --icb, --lad or --england"),
        (["--icb", "E54000001", "--lad", "E08000001"], "exactly one of"),
        (["--icb", "E54000077"], "There is no ICB E54000077"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, cli, args, message, monkeypatch, capsys):
    out = ["--out", str(tmp_path / "o")]
    code, err = run_main(monkeypatch, capsys, "population", "synth", *args, *out)
    assert code == 2
    assert err.strip().startswith("Error: ArgumentError: ")
    assert message in err
    assert "\n" not in err.strip()  # one line, no traceback


# -- the real mirror ------------------------------------------------------------------------
@pytest.mark.shared_data
def test_real_lsoas_match_census_2021(tmp_path):
    found = DataConfig.from_env()
    if not found.mirror_available:
        pytest.skip(f"open-data mirror not available: {found.describe_mirror()}")
    real = DataConfig(mirror=found.mirror, var=tmp_path / "gvar")
    codes = lsoas_in(icb="E54000062", config=real)[::150]  # 5 Black Country LSOAs
    synthesise(codes, seed=1, out=tmp_path / "o", config=real)
    people, events = read(tmp_path / "o")
    census = population2021(real).set_index("lsoa21_code").loc[codes, "population"]
    assert people["lsoa21"].value_counts().sort_index().to_dict() == census.to_dict()
    assert len(events) > 0


# -- the indicator engine counts what was drawn ---------------------------------------------
def test_reference_engine_counts_every_numerator_event(tmp_path, config):
    from healthgap.indicators.reference import reference_finest

    catalogue = load_catalogue()
    synthesise(icb="E54000002", seed=14, out=tmp_path / "o", config=config, reference_date=REF)
    people, events = read(tmp_path / "o")
    result = reference_finest(catalogue, people, events)
    totals = result.groupby(["indicator_id", "period"])[["numerator", "denominator"]].sum()
    drawn = totals.xs("2024/25", level="period")

    def people_with(code: str, at_least: int = 1) -> int:
        counts = events.loc[events["code"] == code, "person_id"].value_counts()
        return int((counts >= at_least).sum())

    day = pd.to_datetime(events["date"])
    in_2024_25 = day.between("2024-04-01", "2025-03-31")
    smi = ["75367002", "60621009", "1005671000000105", "1003671000000109", "160573003", "77176002"]
    expected = {  # each numerator uses its criterion's first code, only for cohort members
        "flu_vaccination_65_plus": people_with("822851000000102"),
        "breast_screening_coverage": people_with("24623002"),
        "bowel_screening_coverage": people_with("375211000000108"),
        "nhs_health_check_uptake": people_with("523221000000100"),
        "mmr2_by_age_5": people_with("38598009", at_least=2),
        "hypertension_recorded_prevalence": people_with("38341003"),
        "diabetes_recorded_prevalence": people_with("73211009"),
        # A&E admissions (21), and the readmissions (28) dated in 2024/25
        "emergency_admissions_dsr": int((events["code"] == "21").sum())
        + int(((events["code"] == "28") & in_2024_25).sum()),
        "discharge_to_usual_place_of_residence": int(
            ((events["event_type"] == "discharge") & (events["code"] == "19") & in_2024_25).sum()
        ),
        "smi_physical_health_checks": int(
            (events[events["code"].isin(smi)].groupby("person_id")["code"].nunique() == 6).sum()
        ),
    }
    for ident, numerator in expected.items():
        assert drawn.loc[ident, "numerator"] == numerator > 0, ident
    # every discharge in 2024/25 is a cohort member's (drawn for the cohort): home 19 or care
    # home 85; some of them home, some readmitted, not all
    discharges = int(((events["event_type"] == "discharge") & in_2024_25).sum())
    for ident in ("discharge_to_usual_place_of_residence", "emergency_readmissions_30_days"):
        assert drawn.loc[ident, "denominator"] == discharges, ident
        assert 0 < drawn.loc[ident, "numerator"] < discharges, ident
    cervical = drawn.loc[["cervical_screening_25_49", "cervical_screening_50_64"], "numerator"]
    assert cervical.sum() == people_with("171149006")
    covid = totals.loc[("covid19_autumn_booster_75_plus", "Autumn 2024"), "numerator"]
    assert covid == people_with("1362591000000103")
    # the flu cohort by hand: 65+ on 31 March 2025 (by birth month), registered by 28 February
    born = pd.to_datetime(people["birth_month"] + "-01")
    age = ((2025 - born.dt.year) * 12 + (3 - born.dt.month)) // 12
    registered = pd.to_datetime(people["registration_start"]) <= "2025-02-28"
    assert drawn.loc["flu_vaccination_65_plus", "denominator"] == ((age >= 65) & registered).sum()
