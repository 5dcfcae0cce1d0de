"""The demo's need step: loads var/results/black-country when it exists, else says why not."""

from __future__ import annotations

import dataclasses

import pytest

from healthgap.web.demo.data import load_data
from healthgap.web.demo.runner import ACTOR
from healthgap.web.demo.steps import need
from healthgap.web.need.models import Result, ResultsLoad
from tests.web.need import stores

pytestmark = pytest.mark.django_db


def test_without_a_store_the_demo_prints_a_note(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    lines = need.load(load_data(), ACTOR)
    assert f"no results store at {tmp_path / 'results' / 'black-country'}" in lines[0]
    assert not ResultsLoad.objects.exists()


def test_the_demo_loads_the_store_once(settings, tmp_path, use_fixture_geography):
    settings.VAR_DIR = tmp_path
    data = load_data()
    data = dataclasses.replace(data, area=dataclasses.replace(data.area, icb=stores.ICB))
    store = stores.write_store(tmp_path / "results" / "black-country")
    first, again = need.load(data, ACTOR), need.load(data, ACTOR)
    assert first == [
        f"Need: loaded results {store.version} for {stores.ICB} (14 results, 4 priorities)."
    ]
    assert again == [f"Need: results {store.version} already loaded."]
    assert ResultsLoad.objects.count() == 1 and Result.objects.count() == 14
    assert ResultsLoad.objects.get().loaded_by is None  # loaded by the system, not a user
