"""The results store: versioned result folders published by an atomic pointer swap.

Layout (docs/results.md): `DIR/versions/<UTC timestamp>-<8 hex>/` holds `results.parquet`,
`inequalities.parquet` (and any other tables a run writes) plus `manifest.json`; `DIR/CURRENT`
holds the name of the live version. `publish` writes a complete version folder first and only
then replaces `CURRENT` with `os.replace` (atomic on POSIX; the steps are `healthgap.publish`,
shared with the population datasets), so a reader that resolves `CURRENT` once never sees half
a run.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from healthgap.errors import DataSourceError
from healthgap.publish import PublishError, commit, lock, point_file, prune, stage

POINTER = "CURRENT"
LOCK = ".publish.lock"
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
        frame = pd.read_parquet(file, **read_kwargs)
        if file.is_dir():  # a Spark run's partitioned folder (spark_store): partition columns
            # come back as categoricals, last; as text, in the order the manifest records.
            cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
            order = self.manifest.get("columns", {}).get(name, [])
            frame = frame.astype(dict.fromkeys(cats, "str"))
            frame = frame[[c for c in order if c in frame.columns] or list(frame.columns)]
        return frame


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

    Older versions beyond the newest `keep` are removed after the swap. One writer at a time:
    a second `publish` to the same store while one runs raises `PublishLockedError` naming the
    holder's pid (the lock is `root/.publish.lock`, `healthgap.publish.lock`).
    A full disk or an unwritable folder raises `PublishError` and leaves the live version as it was.
    """
    root = Path(root)
    try:
        with lock(root / LOCK, root):
            version = _write_version(root, tables, manifest)
            prune(root / VERSIONS, keep=keep, live=version)
    except PublishError:
        raise
    except OSError as error:
        raise PublishError.from_os_error(root, error) from error
    return Results(root, version)


def publish_beside(live: Results, name: str, table: pd.DataFrame, info: dict[str, Any]) -> Results:
    """Publish `table` as `<name>.parquet` in a new version that carries every other table and
    the manifest of `live` (plus `manifest[name] = {"from_version": live.version, **info}`), so
    readers see the derived table and the results it came from in one version. Used by
    `healthgap priorities` and `healthgap indicators series --publish`."""
    tables = {path.stem: live.table(path.stem) for path in sorted(live.path.glob("*.parquet"))}
    tables[name] = table
    manifest: dict[str, Any] = {
        key: value for key, value in live.manifest.items() if key not in ("version", "created")
    }
    manifest[name] = {"from_version": live.version, **info}
    return publish(live.root, tables, manifest)


def write_parquet(frame: pd.DataFrame, path: Path, *, rows: int = 1_000_000) -> None:
    """Write `frame` to `path` as Parquet; categorical columns become plain text, converted and
    written `rows` at a time, so readers see the same schema as for a text frame and a large
    results table (15 million rows for England) never exists as strings all at once."""
    text = {c: "str" for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    if not text:
        frame.to_parquet(path, index=False)
        return
    writer = None
    try:
        for start in range(0, max(len(frame), 1), rows):
            part = frame.iloc[start : start + rows].astype(text)
            table = pa.Table.from_pandas(part, preserve_index=False)
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _write_version(root: Path, tables: dict[str, pd.DataFrame], manifest: dict[str, Any]) -> str:
    """Stage, write, commit and point CURRENT at a new version (removed again on any failure)."""
    staging, version = stage(root / VERSIONS)
    final: Path | None = None
    try:
        for name, frame in tables.items():
            write_parquet(frame, staging / f"{name}.parquet")
        body = {"version": version, "created": version.partition("-")[0], **manifest}
        (staging / MANIFEST).write_text(json.dumps(body, indent=2, default=str) + "\n", "utf-8")
        final = commit(staging)
        point_file(root / POINTER, version)
    except BaseException:
        shutil.rmtree(final or staging, ignore_errors=True)
        raise
    return version
