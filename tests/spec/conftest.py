"""The `backend` fixture every spec test uses: the reference engine, DuckDB, PostgreSQL, Spark.

It is module-scoped, so a spec module runs its whole inline data set once per backend (one
query; Spark queries cost seconds) and its tests read the result. Connections are
session-scoped and made only when a test needs them (`request.getfixturevalue`). A backend
that cannot run here is skipped with a loud, specific reason (tests/backends/*.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest

from healthgap.indicators import load_catalogue
from healthgap.indicators.backends import connect, execute_finest
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.reference import reference_finest
from tests.backends import duckdb, postgres, spark
from tests.backends.base import BackendTest

CONFS: dict[str, BackendTest] = {
    c.name: c for c in (duckdb.TestConf(), postgres.TestConf(), spark.TestConf())
}


@dataclass
class Engine:
    """Runs indicators on one backend and returns the canonical fine table."""

    name: str
    conf: BackendTest | None = None
    con: Any = None
    queries: list[tuple[str, ...]] = field(default_factory=list)

    def run(
        self,
        indicators: Sequence[str] | Mapping[str, Indicator],
        people: pd.DataFrame,
        events: pd.DataFrame,
    ) -> pd.DataFrame:
        chosen = indicators if isinstance(indicators, Mapping) else load_catalogue(ids=indicators)
        self.queries.append(tuple(chosen))
        if self.con is None:
            return reference_finest(chosen, people, events)
        return execute_finest(self.con, chosen, people, events)


@pytest.fixture(scope="session")
def duckdb_connection() -> Any:
    return connect("duckdb")


@pytest.fixture(scope="session")
def postgres_connection() -> Iterator[Any]:
    con = connect("postgres")
    yield con
    con.disconnect()


@pytest.fixture(scope="session")
def spark_connection() -> Any:
    return connect("spark")


def _engine(request: pytest.FixtureRequest) -> Engine:
    if request.param == "reference":
        return Engine("reference")
    conf = CONFS[request.param]
    reason = conf.unavailable()
    if reason is not None:
        pytest.skip(reason)
    engine = Engine(conf.name, conf, request.getfixturevalue(f"{conf.name}_connection"))
    limit = conf.max_queries_per_module
    if limit is not None:

        def check_query_count() -> None:
            assert len(engine.queries) <= limit, (
                f"{request.module.__name__} ran {len(engine.queries)} queries on {conf.name}; "
                f"at most {limit} (put all cases in one query: see tests/backends/{conf.name}.py)"
            )

        request.addfinalizer(check_query_count)
    return engine


@pytest.fixture(
    scope="module",
    params=[pytest.param("reference", id="reference"), *(c.param() for c in CONFS.values())],
)
def backend(request: pytest.FixtureRequest) -> Engine:
    """Every engine, the reference engine included (spec tests: expected values by hand)."""
    return _engine(request)


@pytest.fixture(scope="module", params=[c.param() for c in CONFS.values()])
def sql_backend(request: pytest.FixtureRequest) -> Engine:
    """The SQL engines only (equivalence tests compare them with the reference engine)."""
    return _engine(request)
