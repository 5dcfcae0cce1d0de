"""The results store: versioned result folders published by an atomic pointer swap.

Layout (docs/results.md): `DIR/versions/<UTC timestamp>-<8 hex>/` holds `results.parquet`,
`inequalities.parquet` (and any other tables a run writes) plus `manifest.json`; `DIR/CURRENT`
holds the name of the live version. `publish` writes a complete version folder first and only
then replaces `CURRENT` with `os.replace` (atomic on POSIX), so a reader that resolves
`CURRENT` once never sees half a run.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from healthgap.errors import DataSourceError

POINTER = "CURRENT"
VERSIONS = "versions"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Results:
    """One published version of a results store."""

    root: Path
    version: str

    @property
    def path(self) -> Path:
        return self.root / VERSIONS / self.version

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))

    def table(self, name: str, **read_kwargs: Any) -> pd.DataFrame:
        """Read `<name>.parquet` of this version (DataSourceError naming the store if absent)."""
        file = self.path / f"{name}.parquet"
        if not file.exists():
            have = sorted(p.stem for p in self.path.glob("*.parquet"))
            raise DataSourceError(f"results {self.path} have no {name!r} table (have: {have})")
        return pd.read_parquet(file, **read_kwargs)


def open_results(root: str | Path) -> Results:
    """The live version of the store at `root` (DataSourceError if nothing was published)."""
    root = Path(root)
    pointer = root / POINTER
    if not pointer.is_file():
        raise DataSourceError(
            f"{root} holds no published results (no {POINTER} file); run"
            f" `healthgap indicators run --out {root}` first"
        )
    version = pointer.read_text(encoding="utf-8").strip()
    results = Results(root, version)
    if not (results.path / MANIFEST).is_file():
        raise DataSourceError(f"{root}/{POINTER} names {version!r}, which is incomplete")
    return results


def publish(
    root: str | Path, tables: dict[str, pd.DataFrame], manifest: dict[str, Any], *, keep: int = 5
) -> Results:
    """Write `tables` and `manifest` as a new version under `root`, then point CURRENT at it.

    Older versions beyond the newest `keep` are removed after the swap.
    """
    root = Path(root)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    version = f"{stamp}-{secrets.token_hex(4)}"
    staging = root / VERSIONS / f".{version}.partial"
    staging.mkdir(parents=True)
    try:
        for name, frame in tables.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        body = {"version": version, "created": stamp, **manifest}
        (staging / MANIFEST).write_text(json.dumps(body, indent=2, default=str) + "\n", "utf-8")
        final = root / VERSIONS / version
        staging.rename(final)
        tmp_pointer = root / f".{POINTER}.{version}"
        tmp_pointer.write_text(version + "\n", encoding="utf-8")
        os.replace(tmp_pointer, root / POINTER)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(root, keep=keep, live=version)
    return Results(root, version)


def _prune(root: Path, *, keep: int, live: str) -> None:
    versions = sorted(p.name for p in (root / VERSIONS).iterdir() if not p.name.startswith("."))
    for name in versions[: max(len(versions) - keep, 0)]:
        if name != live:
            shutil.rmtree(root / VERSIONS / name, ignore_errors=True)
