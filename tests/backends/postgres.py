"""PostgreSQL through ibis.postgres: a server at $HEALTHGAP_PG_URL (default 127.0.0.1:5432).

Tables are loaded as temporary tables, private to the test session's connection. JIT is
switched off per connection (`backends.connect`): LLVM spent ~100 s compiling the indicator
query's CASE expressions on PostgreSQL 15.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

from healthgap.indicators.backends import DEFAULT_PG_URL
from tests.backends.base import BackendTest


class TestConf(BackendTest):
    name = "postgres"
    xdist_group = "postgres"
    marks = ("postgres",)

    def unavailable(self) -> str | None:
        url = urlparse(os.environ.get("HEALTHGAP_PG_URL", DEFAULT_PG_URL))
        host, port = url.hostname or "127.0.0.1", url.port or 5432
        try:
            with socket.create_connection((host, port), timeout=1):
                return None
        except OSError as exc:
            return (
                f"PostgreSQL NOT TESTED: nothing is listening on {host}:{port} ({exc}); start it "
                "(scripts/services.sh) or set HEALTHGAP_PG_URL"
            )
