"""Backup and restore of everything healthgap keeps: the app database and the results stores.

    healthgap backup --out var/backups/2026-12-07
    healthgap restore --from var/backups/2026-12-07

A backup folder holds:
- `app.sqlite3` (SQLite: a consistent online copy through SQLite's backup API) or
  `app.pgdump` (PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`);
- `results/<store>/...`: each results store copied file by file (every version and its
  `CURRENT` pointer);
- `manifest.json`: when and from what it was made, and for checking a restore, every app
  table's row count and digest and every file's SHA-256.

A table's digest is the SHA-256 of its rows in a canonical text form, sorted, so two databases
with the same rows (in any physical order, on either engine) have the same digest. `restore`
verifies the backup's files against the manifest *before* touching anything, then restores,
then recomputes every digest and fails loudly if one differs. Results stores are restored
atomically: copied beside the target, then swapped in by renames, so a reader never sees half a
store. Nothing here reads person-level data: results stores hold aggregates only.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from healthgap.errors import HealthgapError

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(HealthgapError):
    """A backup or restore that cannot be done, or a backup that fails its checks."""


@dataclass(frozen=True)
class TableDigest:
    """Row count and SHA-256 of one table's canonical, sorted rows."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a backup holds and the checks a restore must pass."""

    created: str
    engine: str
    database_file: str
    tables: dict[str, TableDigest]
    files: dict[str, str]
    stores: list[str]
    format: int = FORMAT
    healthgap_version: str = field(default="")

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(f"{folder} is not a healthgap backup: it has no {MANIFEST}.")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            raw["tables"] = {k: TableDigest(**v) for k, v in raw["tables"].items()}
            manifest = cls(**raw)
        except (ValueError, TypeError, KeyError) as exc:
            raise BackupError(f"{path} is not a valid backup manifest ({exc}).") from exc
        if manifest.format != FORMAT:
            raise BackupError(f"{path} has backup format {manifest.format}; expected {FORMAT}.")
        return manifest


def canonical(value: Any) -> str:
    """One value as stable text, the same whichever engine returned it (dates ISO 8601,
    decimals without trailing zeros, bytes as base64, JSON text parsed and re-serialised)."""
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return "b64:" + base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def digest_rows(rows: Iterable[Sequence[Any]]) -> TableDigest:
    """Row count and SHA-256 over the rows' canonical forms, sorted (order-independent)."""
    lines = sorted("\x1f".join(canonical(v) for v in row) for row in rows)
    sha = hashlib.sha256()
    for line in lines:
        sha.update(line.encode("utf-8"))
        sha.update(b"\x1e")
    return TableDigest(rows=len(lines), sha256=sha.hexdigest())


def table_digests(connection: Any) -> dict[str, TableDigest]:
    """Every table of a Django database connection, digested (`digest_rows`)."""
    quote = connection.ops.quote_name
    out: dict[str, TableDigest] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # table names from introspection
            out[table] = digest_rows(cursor.fetchall())
    return out


def file_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root`, by path relative to it (POSIX separators)."""
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
        out[path.relative_to(root).as_posix()] = sha.hexdigest()
    return out


def backup(out: Path, *, stores: Sequence[Path], connection: Any) -> Manifest:
    """Write a backup of the app database behind `connection` and of each results store in
    `stores` to the new folder `out` (refused if it exists and is not empty)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} already exists and is not empty; choose a new folder.")
    missing = [str(s) for s in stores if not (Path(s) / "CURRENT").is_file()]
    if missing:
        raise BackupError(
            f"Not a results store (no CURRENT file): {', '.join(missing)}. A results store is "
            "the --out folder of `healthgap indicators run`."
        )
    names = [Path(s).name for s in stores]
    if len(set(names)) != len(names):
        raise BackupError(f"Two results stores share a folder name: {', '.join(names)}.")
    partial = out.with_name(out.name + f".partial-{uuid.uuid4().hex[:8]}")
    partial.mkdir(parents=True)
    try:
        engine, database_file = _dump_database(connection, partial)
        for store in stores:
            shutil.copytree(store, partial / "results" / Path(store).name)
        files = file_digests(partial)
        manifest = Manifest(
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            engine=engine,
            database_file=database_file,
            tables=table_digests(connection),
            files=files,
            stores=names,
            healthgap_version=_version(),
        )
        (partial / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        if out.exists():
            out.rmdir()
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def verify(source: Path) -> Manifest:
    """Check every file of the backup in `source` against its manifest (nothing missing,
    added or changed); return the manifest."""
    source = Path(source)
    manifest = Manifest.read(source)
    found = {k: v for k, v in file_digests(source).items() if k != MANIFEST}
    problems = [f"missing {k}" for k in sorted(set(manifest.files) - set(found))]
    problems += [f"unexpected {k}" for k in sorted(set(found) - set(manifest.files))]
    problems += [
        f"changed {k}" for k in sorted(set(found) & set(manifest.files))
        if found[k] != manifest.files[k]
    ]  # fmt: skip
    if problems:
        raise BackupError(
            f"The backup in {source} fails its checksums, so nothing was restored: "
            + "; ".join(problems[:10])
            + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
            + "."
        )
    return manifest


def restore(source: Path, *, results_root: Path, connection: Any) -> Manifest:
    """Restore the backup in `source`: the app database behind `connection` (replaced whole)
    and each results store into `results_root/<name>` (swapped in atomically). Verified
    before (files) and after (every table's rows)."""
    source = Path(source)
    manifest = verify(source)
    engine = _engine(connection)
    if engine != manifest.engine:
        raise BackupError(
            f"The backup in {source} is of a {manifest.engine} database, but the app is "
            f"configured for {engine}; set HEALTHGAP_DATABASE_URL to match."
        )
    _load_database(connection, source / manifest.database_file)
    for name in manifest.stores:
        _swap_in(source / "results" / name, Path(results_root) / name)
    got = table_digests(connection)
    differ = sorted(
        t for t in set(got) | set(manifest.tables) if got.get(t) != manifest.tables.get(t)
    )
    if differ:
        raise BackupError(
            "The restored database does not match the backup in these tables: "
            + ", ".join(differ)
            + "."
        )
    return manifest


def _engine(connection: Any) -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _dump_database(connection: Any, folder: Path) -> tuple[str, str]:
    engine = _engine(connection)
    connection.ensure_connection()
    if engine == "sqlite":
        target = sqlite3.connect(folder / "app.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return engine, "app.sqlite3"
    path = folder / "app.pgdump"
    name = str(connection.settings_dict["NAME"])
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), name], connection)
    return engine, "app.pgdump"


def _load_database(connection: Any, path: Path) -> None:
    connection.ensure_connection()
    if _engine(connection) == "sqlite":
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore --clean drops tables this session may hold locks on
    name = str(connection.settings_dict["NAME"])
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--dbname", name, str(path)], connection)  # fmt: skip


def _run(command: list[str], connection: Any) -> None:
    """Run a PostgreSQL client tool with the connection's server and user (libpq variables)."""
    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": str(settings.get("HOST") or ""),
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": str(settings.get("USER") or ""),
        "PGPASSWORD": str(settings.get("PASSWORD") or ""),
    }
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed (exit {done.returncode}): {last}")


def _swap_in(source: Path, target: Path) -> None:
    """Copy `source` beside `target`, then swap it in by renames (the old copy is removed
    only after the new one is in place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    incoming = target.with_name(f".{target.name}.restoring-{token}")
    shutil.copytree(source, incoming)
    old = target.with_name(f".{target.name}.replaced-{token}")
    if target.exists():
        target.rename(old)
    incoming.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("healthgap")
    except PackageNotFoundError:
        return ""


def default_stores(results_root: Path) -> list[Path]:
    """Every results store (a folder with a CURRENT file) directly under `results_root`."""
    if not results_root.is_dir():
        return []
    return sorted(p for p in results_root.iterdir() if (p / "CURRENT").is_file())


def _django_connection() -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.web.settings")
    import django

    django.setup()
    from django.db import connection

    return connection


def run_backup(out: Path, stores: Sequence[Path] | None = None) -> Manifest:
    """`healthgap backup`: the configured app database and the given results stores (default:
    every store under `<var>/results`), written to `out`; the backup is audit-logged."""
    from healthgap.web.config import var_dir

    connection = _django_connection()
    chosen = default_stores(var_dir() / "results") if stores is None else list(stores)
    manifest = backup(out, stores=chosen, connection=connection)
    _audit("backup", out, manifest)
    return manifest


def run_restore(source: Path, results_root: Path | None = None) -> Manifest:
    """`healthgap restore`: the backup in `source` into the configured app database and
    `results_root` (default `<var>/results`); audit-logged in the restored database."""
    from healthgap.web.config import var_dir

    connection = _django_connection()
    root = var_dir() / "results" if results_root is None else results_root
    manifest = restore(source, results_root=root, connection=connection)
    _audit("restore", source, manifest)
    return manifest


def _audit(what: str, folder: Path, manifest: Manifest) -> None:
    """Record the backup or restore as an audit event by the system job that made it."""
    from healthgap.web.audit.models import Action
    from healthgap.web.audit.record import SystemActor, record

    action = Action.EXPORT if what == "backup" else Action.IMPORT
    record(
        by=SystemActor(f"healthgap {what}"),
        action=action,
        object_type="backup",
        object_id=str(folder),
        summary=f"{what}: {len(manifest.tables)} tables, {len(manifest.stores)} results stores",
    )
