"""Fixtures for the geography tests: a tiny mirror written per test, the real mirror, and fake
publishers for the official fetchers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from healthgap.config import DataConfig
from healthgap.geography.sources import SOURCES, Source
from tests.geography.fake_publishers import Publishers, serve
from tests.geography.mirror_fixture import write_mirror


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """A fresh fixture mirror (see mirror_fixture.py for its contents)."""
    return write_mirror(tmp_path / "mirror")


@pytest.fixture
def config(mirror: Path, tmp_path: Path) -> DataConfig:
    """Loaders pointed at the fixture mirror; checksums off (the fixture files are not the
    registered ones)."""
    return DataConfig(mirror=mirror, var=tmp_path / "var", verify=False)


@pytest.fixture(scope="session")
def real_config(tmp_path_factory: pytest.TempPathFactory) -> DataConfig:
    """Loaders pointed at the real open-data mirror, with caches in a temporary folder.

    Skips (with the reason) when the mirror is absent: set HEALTHGAP_DATA_DIR or place the
    mirror at ../shared/data beside the project.
    """
    found = DataConfig.from_env()
    if not found.mirror_available:
        pytest.skip(f"open-data mirror not available: {found.describe_mirror()}")
    return DataConfig(mirror=found.mirror, var=tmp_path_factory.mktemp("var"), verify=True)


@pytest.fixture
def publishers() -> Iterator[Publishers]:
    """Fake ONS ArcGIS, Nomis, GOV.UK and GitHub servers on 127.0.0.1 (see fake_publishers.py)."""
    with serve() as state:
        yield state


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Source]:
    """`registry(name, rows=..., sha256=...)` changes a registered source for one test (the fake
    publishers' files are tiny, so their row counts and checksums are not the registry's)."""

    def change(name: str, **fields: object) -> Source:
        source = replace(SOURCES[name], **fields)
        monkeypatch.setitem(SOURCES, name, source)
        return source

    return change
