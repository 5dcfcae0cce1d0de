"""DuckDB: the default engine (in process, in memory)."""

from __future__ import annotations

from tests.backends.base import BackendTest


class TestConf(BackendTest):
    name = "duckdb"
