"""Atomic publication: write a complete, versioned folder first, then swap one pointer to it.

A reader that resolves the pointer once sees a whole version and never half of one; a crash at
any step leaves the previous version readable. The pointer is replaced with one `os.replace`,
which is atomic on POSIX. Two kinds of pointer:

- a pointer **file** holding the version's name: the results store (`indicators.store`:
  `DIR/CURRENT` names `DIR/versions/<version>/`);
- a symbolic **link** to the version folder: person-level datasets (`population.dataset`:
  `OUT -> .OUT.versions/<version>`), so that `OUT/people.parquet` stays a plain path for every
  reader (DuckDB, Spark, pandas, the `indicators run --population OUT` option).

Steps: `stage` makes `versions/.<version>.partial/` (mode 0700); the caller writes into it;
`commit` renames it to `versions/<version>/`; `point_file` or `point_link` swaps the pointer;
`prune` removes older versions. Every package may import this module (like `healthgap.config`).
"""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["commit", "new_version", "point_file", "point_link", "prune", "stage"]

PARTIAL = ".partial"


def new_version() -> str:
    """A unique version name that sorts by time: `<UTC yyyymmddThhmmss + microseconds>Z-<8 hex>`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(4)}"


def stage(versions: Path, version: str | None = None) -> tuple[Path, str]:
    """Create the private staging folder `versions/.<version>.partial/`; (folder, version)."""
    version = version or new_version()
    versions.mkdir(parents=True, exist_ok=True)
    staging = versions / f".{version}{PARTIAL}"
    staging.mkdir(mode=0o700)
    return staging, version


def commit(staging: Path) -> Path:
    """Rename a finished staging folder to its version's name (one rename); the final folder."""
    name = staging.name
    if not (name.startswith(".") and name.endswith(PARTIAL)):
        raise ValueError(f"{staging} is not a staging folder made by stage().")
    final = staging.with_name(name[1 : -len(PARTIAL)])
    staging.rename(final)
    return final


def point_file(pointer: Path, version: str) -> None:
    """Make the file `pointer` hold `version` (written beside it, then one `os.replace`)."""
    temporary = pointer.with_name(f".{pointer.name}.{version}")
    temporary.write_text(version + "\n", encoding="utf-8")
    os.replace(temporary, pointer)


def point_link(link: Path, target: Path) -> None:
    """Make `link` a symbolic link to `target` (relative to the link's folder) in one step.

    The new link is made beside `link` and moved over it with `os.replace`. `link` must be
    absent or already a symbolic link: a real folder cannot be replaced atomically.
    """
    temporary = link.with_name(f".{link.name}.{secrets.token_hex(4)}.link")
    os.symlink(os.path.relpath(target, link.parent), temporary, target_is_directory=True)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def prune(versions: Path, *, keep: int, live: str) -> None:
    """Remove all but the newest `keep` versions in `versions`, never `live`.

    Staging folders (names starting with ".") are left alone: another writer may be using one.
    """
    names = sorted(p.name for p in versions.iterdir() if not p.name.startswith("."))
    for name in names[: max(len(names) - keep, 0)]:
        if name != live:
            shutil.rmtree(versions / name, ignore_errors=True)
