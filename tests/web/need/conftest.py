"""Fixtures for the need tests: the geography fixture mirror and hand-made results stores."""

from __future__ import annotations

import pytest

from healthgap.geography import DataConfig
from healthgap.web.need import actions
from tests.geography.mirror_fixture import write_mirror
from tests.web.factories import TEST_JOB
from tests.web.need.stores import write_store


@pytest.fixture(scope="session")
def geo_config(tmp_path_factory) -> DataConfig:
    """The geography fixture mirror (checksums off: its files are not the registry's)."""
    root = tmp_path_factory.mktemp("need-geo")
    return DataConfig(mirror=write_mirror(root / "mirror"), var=root / "var", verify=False)


@pytest.fixture
def use_fixture_geography(monkeypatch, geo_config):
    """Make `DataConfig.from_env()` (used when no config is passed) return the fixture."""
    monkeypatch.setattr(DataConfig, "from_env", classmethod(lambda cls, **kw: geo_config))
    return geo_config


@pytest.fixture
def store(tmp_path):
    return write_store(tmp_path / "results")


@pytest.fixture
def loaded(db, store, geo_config):
    """The hand-made store loaded into the database (by the system)."""
    return actions.load_results(by=TEST_JOB, root=store.root, config=geo_config)
