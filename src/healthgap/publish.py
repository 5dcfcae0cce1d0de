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
`prune` removes older versions. `lock` keeps a second writer out while one publishes (an advisory
`fcntl.flock` on a lock file, released by the kernel even when the holder is killed; the file
names the holder's pid for the error message). Every package may import this module (like
`healthgap.config`).
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from healthgap.errors import HealthgapError

__all__ = [
    "PublishError",
    "PublishLockedError",
    "commit",
    "lock",
    "new_version",
    "point_file",
    "point_link",
    "prune",
    "stage",
]

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


class PublishError(HealthgapError, OSError):
    """Raised when a version cannot be written (full disk, read-only folder); nothing went live."""

    @classmethod
    def from_os_error(cls, destination: Path, error: OSError) -> PublishError:
        """The error for an `OSError` met while publishing to `destination`."""
        return cls(
            f"Could not publish to {destination}: {error.strerror or error} "
            f"({error.filename or destination}). Nothing of this run was made live; the last "
            "published version, if any, is unchanged. Free space or fix the folder's "
            "permissions, then run again."
        )


class PublishLockedError(PublishError):
    """Raised when another process holds the publish lock of the same destination."""


@contextmanager
def lock(lock_file: Path, destination: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` while publishing to `destination`.

    A second writer fails at once with `PublishLockedError` naming the holder's pid and start time
    (read from the file). The lock is `fcntl.flock`, so it dies with its process: a writer killed
    mid-publish leaves at most a file naming a finished pid, which the next writer takes over.
    The file is removed on release (a writer that locked a file unlinked meanwhile retries).
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "pid unknown"
            os.close(fd)
            raise PublishLockedError(
                f"Another run is publishing to {destination} ({holder}); wait for it to finish "
                f"and start this one again (the lock is {lock_file})."
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock_file).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed that file as we locked it: lock the new one
    try:
        started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {started}\n".encode(), 0)
        yield
    finally:
        lock_file.unlink(missing_ok=True)
        os.close(fd)  # closing the descriptor releases the flock
