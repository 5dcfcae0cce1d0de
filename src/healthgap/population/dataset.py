"""Person-level dataset folders, written all at once or not at all (the importer and `synthetic`).

A dataset is `OUT/people.parquet`, `OUT/events.parquet` (when there are events) and
`OUT/manifest.json`. `OUT` is a symbolic link to a version folder beside it,
`.OUT.versions/<version>/`, and a new dataset replaces an old one by swapping that link with
one `os.replace` (`healthgap.publish`, as the results store swaps its `CURRENT` file):

    with writing_dataset(out, overwrite=False) as staging:
        ...write people.parquet, events.parquet, manifest.json into staging...
    # here `out` holds the new dataset; on an exception it still holds the old one

Readers open `OUT/people.parquet` as before. A crash at any step leaves the previous dataset
readable at `OUT`; the staging folder (mode 0700) is removed on any exception. An `OUT` written
before datasets were versioned (a real folder) is moved into `.OUT.versions/` by the first
overwrite: that one move and the link swap are two steps.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from healthgap.errors import ArgumentError
from healthgap.publish import PublishError, commit, lock, new_version, point_link, prune, stage

__all__ = ["MANIFEST", "check_target", "versions_folder", "writing_dataset"]

MANIFEST = "manifest.json"


def versions_folder(out: Path) -> Path:
    """Where the versions of the dataset `out` live: `.OUT.versions` beside it."""
    return out.parent / f".{out.name}.versions"


def check_target(out: Path, overwrite: bool) -> None:
    """`ArgumentError` unless `out` is absent, an empty folder, or (with `overwrite`) a dataset.

    A dataset is recognised by its `manifest.json`; anything else is never replaced.
    """
    if not out.exists():
        return
    if not out.is_dir():
        raise ArgumentError(f"The output {out} exists and is not a folder.")
    if not any(out.iterdir()):
        return
    if not overwrite:
        raise ArgumentError(
            f"The output folder {out} already exists; choose another, or replace it with "
            "overwrite=True (--overwrite on the command line)."
        )
    if not (out / MANIFEST).is_file():
        raise ArgumentError(
            f"The output folder {out} is not empty and holds no {MANIFEST}, so it is not an "
            "earlier import; it will not be replaced."
        )


@contextmanager
def writing_dataset(out: Path, *, overwrite: bool) -> Iterator[Path]:
    """Check `out` (`check_target`), yield an empty private staging folder, then publish it.

    On normal exit the staging folder becomes the live version of `out` and older versions are
    removed; on an exception it is deleted and `out` is untouched. A second writer to the same
    `out` meanwhile raises `PublishLockedError` (the lock file `.<out name>.lock` beside `out`);
    an `OSError` (full disk, read-only folder) becomes a `PublishError` naming `out`.
    """
    out = Path(out)
    try:
        with lock(out.with_name(f".{out.name}.lock"), out):
            yield from _write_dataset(out, overwrite=overwrite)
    except PublishError:
        raise
    except OSError as error:  # a full disk or read-only folder: nothing went live
        raise PublishError.from_os_error(out, error) from error


def _write_dataset(out: Path, *, overwrite: bool) -> Iterator[Path]:
    """The body of `writing_dataset`, run while holding the dataset's publish lock."""
    check_target(out, overwrite)
    versions = versions_folder(out)
    created = not versions.exists()
    staging, version = stage(versions)
    final: Path | None = None
    try:
        yield staging
        final = commit(staging)
        _make_room(out, versions)
        point_link(out, final)
    except BaseException:
        shutil.rmtree(final or staging, ignore_errors=True)  # the new version never went live
        if created:
            with suppress(OSError):
                versions.rmdir()  # only when empty: no earlier version lives there
        raise
    prune(versions, keep=0, live=version)  # no older versions are kept: datasets are large


def _make_room(out: Path, versions: Path) -> None:
    """Clear the way for the link: remove an empty real folder; move an unversioned dataset in."""
    if out.is_symlink() or not out.exists():
        return
    if any(out.iterdir()):
        out.rename(versions / new_version())  # checked by check_target: an earlier dataset
    else:
        out.rmdir()
