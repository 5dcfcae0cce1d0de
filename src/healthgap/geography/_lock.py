"""The lock file of official downloads: what each publisher file looked like when first fetched.

Publishers give no checksums, so healthgap trusts the first download (trust on first use) and
records, per source, the address fetched, when, the sha256 of the publisher's bytes, and the
sha256, row count and columns of the file written in the mirror's layout. Later fetches are
compared with this record: a different file is reported as a changed upstream file (vintage
drift) instead of silently replacing the copy. The lock is `<var>/official-sources.lock.json`
(`DataConfig.lock_file`), JSON with sorted keys so that it can be reviewed and committed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from healthgap.config import DataConfig
from healthgap.errors import DataSourceError
from healthgap.geography._files import atomic_output

LOCK_VERSION = 1


@dataclass(frozen=True)
class LockEntry:
    """One locked official download.

    url: the publisher address fetched (the first request; "derived from ..." for files made
    from other sources). fetched: UTC time of the accepted download (ISO 8601).
    upstream_sha256: sha256 of the publisher's bytes, all pages in order (for derived files, of
    the source files used). sha256, rows, columns: the file written in the mirror's layout.
    """

    url: str
    fetched: str
    upstream_sha256: str
    sha256: str
    rows: int
    columns: tuple[str, ...]


def read_lock(config: DataConfig) -> dict[str, LockEntry]:
    """The locked entries by source name (empty when there is no lock file)."""
    path = config.lock_file
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: LockEntry(**{**entry, "columns": tuple(entry["columns"])})
            for name, entry in data["sources"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataSourceError(
            f"The lock file {path} is damaged ({exc}); restore it from version control, or delete"
            " it to lock the next official downloads afresh."
        ) from exc


def record(config: DataConfig, name: str, entry: LockEntry) -> None:
    """Add or replace the entry of `name` in the lock file (rewritten atomically)."""
    entries = read_lock(config)
    entries[name] = entry
    data = {
        "version": LOCK_VERSION,
        "sources": {key: asdict(value) for key, value in sorted(entries.items())},
    }
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    with atomic_output(config.lock_file) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
