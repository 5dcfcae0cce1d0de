"""PySpark in local mode: one session per test process, UI off, 4 shuffle partitions.

Starting the JVM takes ~10 s and the first query ~15 s (code generation warm-up); later
queries take 2-4 s. So every spec module runs all its cases in ONE query, and the Spark tests
run on one xdist worker (`xdist_group("spark")`).
"""

from __future__ import annotations

import shutil

from tests.backends.base import BackendTest


class TestConf(BackendTest):
    name = "spark"
    xdist_group = "spark"
    max_queries_per_module = 1
    marks = ("spark",)

    def unavailable(self) -> str | None:
        if shutil.which("java") is None:
            return "Spark NOT TESTED: no Java runtime on PATH (PySpark needs Java 17+)"
        return None
