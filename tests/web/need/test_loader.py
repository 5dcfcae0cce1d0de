"""Loading a results store: round trip, hierarchy and IMD, atomic replace, rejections, audit."""

from __future__ import annotations

from io import StringIO

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from healthgap.errors import ArgumentError, DataSourceError
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.need import actions
from healthgap.web.need.models import (
    Area,
    Boundary,
    Indicator,
    Inequality,
    Priority,
    Result,
    ResultsLoad,
)
from tests.web.factories import TEST_JOB, make_user
from tests.web.need import stores

pytestmark = pytest.mark.django_db


def test_round_trip_keeps_every_figure_of_the_icb(loaded, store):
    # 15 result rows, one for an LSOA of the other ICB (E01000006): 14 kept.
    assert Result.objects.count() == 14
    assert loaded.counts["rows_outside_icb"] == 1
    row = Result.objects.get(area_id="E01000002", category_type="all", indicator_id=stores.FLU)
    assert (row.numerator, row.denominator, row.value, row.lowercl, row.uppercl) == (
        30.0, 40.0, 75.0, 59.8, 85.8,
    )  # fmt: skip
    assert (row.lower99_8cl, row.upper99_8cl, row.method, row.reason) == (58.8, 86.8, "Wilson", "")
    assert Inequality.objects.count() == 3
    sii = Inequality.objects.get(area_id=stores.ICB, measure="sii")
    assert (sii.value, sii.se, sii.lowercl, sii.uppercl) == (-20.5, 4.9, -30.1, -10.9)
    assert list(Priority.objects.values_list("rank", "area_id", "category")) == [
        (1, "E01000005", "Black"),
        (2, "E01000001", "All"),
        (3, "E02000003", "All"),
        (4, "E01000003", "All"),
    ]
    top = Priority.objects.get(rank=1)
    assert (top.headroom, top.headroom_lowercl, top.plus_group, top.core20) == (65, 55, True, False)
    assert (loaded.version, loaded.icb_code, loaded.icb_id) == (
        store.version,
        stores.ICB,
        stores.ICB,
    )
    assert loaded.manifest["backend"] == "hand-made"


def test_indicators_take_their_description_from_the_catalogue(loaded):
    flu = Indicator.objects.get(pk=stores.FLU)
    assert (flu.method, flu.polarity, flu.multiplier, flu.target, flu.unit) == (
        "proportion", "higher_is_better", 100.0, 75.0, "%",
    )  # fmt: skip
    assert flu.source.startswith("UKHSA")
    assert flu.source_url == "https://fingertips.phe.org.uk/search/30314"
    assert "excess winter deaths" in flu.definition
    assert Indicator.objects.get(pk=stores.ADMISSIONS).unit == "per 100,000"


def test_hierarchy_imd_and_core20_come_from_geography(loaded):
    areas = {a.code: a for a in Area.objects.all()}
    # England, region, ICB, 2 sub-ICBs, 2 LADs, 3 MSOAs, 5 LSOAs.
    assert len(areas) == 15
    parents = {code: a.parent_id for code, a in areas.items()}
    assert parents["E01000001"] == "E02000001"
    assert parents["E02000003"] == "E08000002"
    assert parents["E08000001"] == stores.ICB
    assert parents["E38000002"] == stores.ICB
    assert parents[stores.ICB] == "E12000005"
    assert parents["E12000005"] == stores.ENGLAND
    assert parents[stores.ENGLAND] is None
    lsoa = areas["E01000002"]
    # Fixture mirror: LSOA k has IMD decile k, score 50 - 4k, Core20 for ranks 1-2, 60k people.
    assert (lsoa.imd_decile, lsoa.imd_score, lsoa.core20, lsoa.population) == (2, 42, True, 120)
    msoa = areas["E02000001"]
    # Population-weighted score: (46 x 60 + 42 x 120) / 180 = 43.33...; the highest of the 5
    # MSOAs, so decile (1 - 1) x 10 // 5 + 1 = 1; both LSOAs Core20 -> share 1.
    assert msoa.imd_score == pytest.approx(7800 / 180)
    assert (msoa.imd_decile, msoa.core20, msoa.core20_share) == (1, True, 1.0)
    # E02000003: (34 x 240 + 30 x 300) / 540 = 31.78, third of five -> decile 5.
    assert areas["E02000003"].imd_decile == 5
    assert areas["E02000003"].core20 is False
    assert areas["E01000005"].ancestors()[-1].code == stores.ENGLAND


def test_boundaries_are_loaded_for_lsoas_and_msoas(loaded):
    assert Boundary.objects.count() == 8
    shape = Boundary.objects.get(area_id="E01000001").geometry
    assert shape["type"] == "MultiPolygon"
    assert shape["coordinates"][0][0][0] == [0.0, 52.5]


def test_a_new_load_replaces_the_previous_one(loaded, tmp_path, geo_config):
    smaller = stores.results_frame(stores.RESULTS[:2])
    second = stores.write_store(
        tmp_path / "second", results=smaller, inequalities=pd.DataFrame(), priorities=pd.DataFrame()
    )
    load = actions.load_results(by=TEST_JOB, root=second.root, config=geo_config)
    assert sorted(Result.objects.values_list("area_id", flat=True)) == ["E01000001", "E01000002"]
    assert not Priority.objects.exists() and not Inequality.objects.exists()
    assert list(Indicator.objects.values_list("id", flat=True)) == [stores.FLU]
    assert ResultsLoad.current() == load


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"results": pd.DataFrame()}, DataSourceError, "have no 'results' table"),
        (
            {"results": stores.results_frame().drop(columns=["uppercl"])},
            DataSourceError,
            "lacks column\\(s\\) uppercl",
        ),
        (
            {"results": stores.results_frame(stores.RESULTS[-5:-4])},  # only an LSOA elsewhere
            DataSourceError,
            "hold 0 ICBs",
        ),
        (
            {"priorities": stores.priorities_frame().drop(columns=["headroom"])},
            DataSourceError,
            "priorities table lacks column\\(s\\) headroom",
        ),
    ],
)
def test_a_bad_store_is_rejected_and_the_previous_load_kept(
    loaded, tmp_path, geo_config, change, error, message
):
    bad = stores.write_store(tmp_path / "bad", **change)
    with pytest.raises(error, match=message):
        actions.load_results(by=TEST_JOB, root=bad.root, config=geo_config)
    assert Result.objects.count() == 14 and Priority.objects.count() == 4
    assert ResultsLoad.objects.get() == loaded


def test_a_store_without_rows_for_the_chosen_icb_is_rejected(tmp_path, geo_config):
    ours = [row for row in stores.RESULTS if row[2] != "E01000006"]
    store = stores.write_store(tmp_path / "ours", results=stores.results_frame(ours))
    with pytest.raises(DataSourceError, match="no rows for ICB E54000002"):
        actions.load_results(by=TEST_JOB, root=store.root, icb="QBB", config=geo_config)
    with pytest.raises(ArgumentError, match="no ICB \\(2024\\) 'QZZ'"):
        actions.load_results(by=TEST_JOB, root=store.root, icb="QZZ", config=geo_config)
    assert not Area.objects.exists()


def test_nothing_is_published_yet(tmp_path, geo_config):
    with pytest.raises(DataSourceError, match="holds no published results"):
        actions.load_results(by=TEST_JOB, root=tmp_path, config=geo_config)


def test_a_failure_while_writing_leaves_the_previous_load(
    loaded, tmp_path, geo_config, monkeypatch
):
    second = stores.write_store(
        tmp_path / "second", results=stores.results_frame(stores.RESULTS[:2])
    )

    def broken(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError, match="audit table unavailable"):
        actions.load_results(by=TEST_JOB, root=second.root, config=geo_config)
    assert Result.objects.count() == 14
    assert ResultsLoad.objects.get() == loaded


def test_load_is_audited_as_an_import(store, geo_config):
    admin = make_user("administrator")
    load = actions.load_results(by=admin, root=store.root, config=geo_config)
    event = AuditEvent.objects.get(action=Action.IMPORT)
    assert (event.actor, event.object_type, event.object_id) == (
        admin,
        "need.resultsload",
        str(load.pk),
    )
    assert event.changes["results"] == 14 and event.changes["priorities"] == 4
    assert load.loaded_by == admin


def test_command_loads_and_names_the_administrator(store, use_fixture_geography):
    admin = make_user("administrator", username="boss")
    out = StringIO()
    call_command("load_results", results=str(store.root), icb="E54000001", by="boss", stdout=out)
    assert f"Loaded results {store.version} for E54000001" in out.getvalue()
    assert "14 results" in out.getvalue()
    assert AuditEvent.objects.get(action=Action.IMPORT).actor == admin


def test_command_refuses_users_without_import_permission_and_bad_stores(
    store, tmp_path, use_fixture_geography
):
    make_user("analyst", username="numbers")
    with pytest.raises(CommandError, match="'numbers' is not a user with the import_data"):
        call_command("load_results", results=str(store.root), by="numbers")
    with pytest.raises(CommandError, match="holds no published results"):
        call_command("load_results", results=str(tmp_path / "empty"))
    assert not ResultsLoad.objects.exists()
