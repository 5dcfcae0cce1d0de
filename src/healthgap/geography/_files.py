"""Atomic file writes: a temporary file beside the target, renamed into place only on success."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_output(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside `dest`; rename it to `dest` when the block succeeds.

    If the block raises, the temporary file is removed and `dest` is left as it was, so readers
    never see half a file and a failed write never replaces a good one. A block that deletes
    the temporary file keeps `dest` as it was too (nothing to replace it with). The file is made
    readable by everyone (mode 0644; `mkstemp` makes it private): the caches are shareable.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
