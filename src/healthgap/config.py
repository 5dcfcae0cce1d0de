"""Project-wide paths and settings: the `var/` folder, the open-data mirror, environment variables.

Every package may import this module (see ARCHITECTURE.md). Environment variables:
`HEALTHGAP_DATA_DIR` (the mirror), `HEALTHGAP_VAR_DIR` (where healthgap writes) and
`HEALTHGAP_DATA_URL` (where `healthgap data fetch` downloads copies of the mirror's files).

Read order for every source file (see docs/data.md):

1. the **mirror**: `HEALTHGAP_DATA_DIR`, else `../shared/data` next to the project root (the
   folder holding `pyproject.toml`, found by walking up from this package, then from the
   current directory) when that folder exists. The mirror is read-only: nothing is ever written
   there;
2. the **download cache**: `<var>/cache/data/<same relative path>`, filled by
   `healthgap data fetch` from `HEALTHGAP_DATA_URL` (a copy of the mirror served over https or
   `file://`), or by `healthgap data fetch --from official` from the publishers themselves
   (recorded in the lock file `<var>/official-sources.lock.json`).

`<var>` is `HEALTHGAP_VAR_DIR`, else `<project root>/var`, else `./var`. Parquet caches of the
tidy tables live in `<var>/cache/geography/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "HEALTHGAP_DATA_DIR"
ENV_VAR_DIR = "HEALTHGAP_VAR_DIR"
ENV_DATA_URL = "HEALTHGAP_DATA_URL"


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above `start` holding a `pyproject.toml`, or None.

    Without `start`, looks above this package first (an editable install or a checkout) and
    then above the current directory.
    """
    starts = [start] if start is not None else [Path(__file__).resolve().parent, Path.cwd()]
    for origin in starts:
        for folder in (origin, *origin.parents):
            if (folder / "pyproject.toml").is_file():
                return folder
    return None


@dataclass(frozen=True)
class DataConfig:
    """Locations used by the geography loaders.

    mirror: the read-only open-data mirror (None when there is none).
    var: the folder healthgap writes to (download cache, Parquet caches).
    base_url: where `fetch` downloads copies of the mirror's files from (None: no downloads).
    verify: check each source file's sha256 against the registry before using it.
    mirror_origin: how `mirror` was found ("HEALTHGAP_DATA_DIR", "project" or "").
    """

    mirror: Path | None
    var: Path
    base_url: str | None = None
    verify: bool = True
    mirror_origin: str = ""

    @classmethod
    def from_env(cls, *, verify: bool = True) -> DataConfig:
        """Build the configuration from the environment and the project layout."""
        root = project_root()
        mirror: Path | None = None
        origin = ""
        if os.environ.get(ENV_DATA_DIR):
            mirror, origin = Path(os.environ[ENV_DATA_DIR]).expanduser(), ENV_DATA_DIR
        elif root is not None and (root.parent / "shared" / "data").is_dir():
            mirror, origin = (root.parent / "shared" / "data").resolve(), "project"
        if os.environ.get(ENV_VAR_DIR):
            var = Path(os.environ[ENV_VAR_DIR]).expanduser()
        else:
            var = (root if root is not None else Path.cwd()) / "var"
        base_url = os.environ.get(ENV_DATA_URL) or None
        return cls(mirror=mirror, var=var, base_url=base_url, verify=verify, mirror_origin=origin)

    @property
    def mirror_available(self) -> bool:
        """True when the mirror folder exists."""
        return self.mirror is not None and self.mirror.is_dir()

    @property
    def download_cache(self) -> Path:
        """Folder for downloaded copies of source files (same layout as the mirror)."""
        return self.var / "cache" / "data"

    @property
    def lock_file(self) -> Path:
        """The lock file of official downloads (see `healthgap.geography._lock`)."""
        return self.var / "official-sources.lock.json"

    @property
    def table_cache(self) -> Path:
        """Folder for the Parquet caches of the tidy tables."""
        return self.var / "cache" / "geography"

    def describe_mirror(self) -> str:
        """One phrase saying where the mirror is, or why there is none (for messages)."""
        if self.mirror is None:
            return (
                f"no open-data mirror is configured (set {ENV_DATA_DIR}, or place it at "
                "../shared/data beside the project)"
            )
        if not self.mirror.is_dir():
            via = f" ({self.mirror_origin})" if self.mirror_origin else ""
            return f"the open-data mirror {self.mirror}{via} does not exist"
        return f"the open-data mirror {self.mirror}"
