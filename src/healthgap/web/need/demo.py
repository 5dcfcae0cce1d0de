"""Demo figures (called by `load_demo`): the results store the `make run` pipeline publishes.

`make run` runs `healthgap indicators run` (and `healthgap priorities`) into
`var/results/black-country` before `load_demo`; this loads that store through the same loader
as `load_results`, for NHS Black Country ICB. Without the store it prints a note and loads
nothing. Loading again is skipped while the store's live version is the one already loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from healthgap.indicators.store import POINTER, open_results
from healthgap.web.need.actions import load_results
from healthgap.web.need.models import ResultsLoad

DEMO_ICB = "E54000062"  # NHS Black Country Integrated Care Board


def store_path() -> Path:
    return Path(settings.VAR_DIR) / "results" / "black-country"


def load(stdout: Any) -> None:
    root = store_path()
    if not (root / POINTER).is_file():
        stdout.write(
            f"Need: no results store at {root}, so no figures were loaded; run "
            f"`healthgap indicators run --out {root}` and then load_demo again."
        )
        return
    version = open_results(root).version
    current = ResultsLoad.current()
    if current is not None and (current.version, current.source) == (version, str(root.resolve())):
        stdout.write(f"Need: results {version} already loaded.")
        return
    loaded = load_results(by=None, root=root, icb=DEMO_ICB)
    stdout.write(
        f"Need: loaded results {loaded.version} for {loaded.icb_code} "
        f"({loaded.counts['results']} results, {loaded.counts['priorities']} priorities)."
    )
