"""The application checks imports with its own copy of the ORUK schemata; it must be the
official files, byte for byte (the tests' copy is the reference, see schemata/PROVENANCE.md)."""

from __future__ import annotations

from pathlib import Path

import healthgap.web.oruk
from tests.web.oruk.schemas import SCHEMATA

APP_SCHEMATA = Path(healthgap.web.oruk.__file__).parent / "schemata"


def test_the_application_uses_the_official_schemata_unchanged():
    official = {p.name: p.read_bytes() for p in SCHEMATA.glob("*.json")}
    used = {p.name: p.read_bytes() for p in APP_SCHEMATA.glob("*.json") if p.name != "openapi.json"}
    assert len(official) == 17
    assert used == official
