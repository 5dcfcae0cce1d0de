"""Fixtures for the action tests."""

from __future__ import annotations

import pytest

from healthgap.errors import DataSourceError
from healthgap.geography import hierarchy


@pytest.fixture(scope="session")
def area_lookups():
    """England's LSOA hierarchy from the open-data mirror; skips (saying why) without it."""
    try:
        return hierarchy()
    except DataSourceError as error:
        pytest.skip(f"needs the open-data mirror (HEALTHGAP_DATA_DIR or ../shared/data): {error}")
