"""The need demo loader: loads var/results/black-country when it exists, else says why not."""

from __future__ import annotations

from io import StringIO

import pytest

from healthgap.web.need import demo
from healthgap.web.need.models import Result, ResultsLoad
from tests.web.need import stores

pytestmark = pytest.mark.django_db


def test_without_a_store_the_demo_prints_a_note(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    demo.load(out)
    assert f"no results store at {tmp_path / 'results' / 'black-country'}" in out.getvalue()
    assert not ResultsLoad.objects.exists()


def test_the_demo_loads_the_store_once(settings, tmp_path, monkeypatch, use_fixture_geography):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(demo, "DEMO_ICB", stores.ICB)  # the fixture mirror's ICB
    store = stores.write_store(tmp_path / "results" / "black-country")
    out = StringIO()
    demo.load(out)
    demo.load(out)
    assert (
        f"loaded results {store.version} for {stores.ICB} (14 results, 4 priorities)"
        in out.getvalue()
    )
    assert f"results {store.version} already loaded" in out.getvalue()
    assert ResultsLoad.objects.count() == 1 and Result.objects.count() == 14
