"""Fixtures for the population tests: a fixed key, and no real key or var folder touched."""

from __future__ import annotations

import pytest

from healthgap.disclosure.pseudonymise import KEY_ENV, VAR_DIR_ENV, PseudonymKey
from tests.population._helpers import SECRET


@pytest.fixture
def key() -> PseudonymKey:
    return PseudonymKey(SECRET, "tests")


@pytest.fixture(autouse=True)
def _private_var(monkeypatch, tmp_path) -> None:
    """No key from the environment; any default key file goes under tmp_path/var."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv(VAR_DIR_ENV, str(tmp_path / "var"))
