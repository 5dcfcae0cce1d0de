"""DuckDB: the default engine (in process, in memory)."""

from __future__ import annotations

from tests.backends.base import BackendTest


class TestConf(BackendTest):
    name = "duckdb"
    float_tolerance = 1e-12
    session_scope = True
