"""Need step: the figures of the results store that `make run` publishes.

`make run` runs `healthgap indicators run` (and `healthgap priorities`) into
`var/results/black-country` (`area.yaml`'s `results_store`, under VAR_DIR) before `load_demo`;
this loads that store through the same loader as `load_results`, for the demo's ICB. Without
the store it says so and loads nothing. Loading again is skipped while the store's live version
is the one already loaded.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from healthgap.indicators.store import POINTER, open_results
from healthgap.web.audit.record import SystemActor
from healthgap.web.demo import data as records
from healthgap.web.need.actions import load_results
from healthgap.web.need.models import ResultsLoad


def store_path(area: records.Area) -> Path:
    """Where the demo's results store is: `results_store` under the web app's VAR_DIR."""
    return Path(settings.VAR_DIR) / area.results_store


def load(data: records.DemoData, by: SystemActor) -> list[str]:
    """Load the results store for the demo's ICB unless it is missing or already loaded."""
    root = store_path(data.area)
    if not (root / POINTER).is_file():
        return [
            f"Need: no results store at {root}, so no figures were loaded; run "
            f"`healthgap indicators run --out {root}` and then load_demo again."
        ]
    version = open_results(root).version
    current = ResultsLoad.current()
    if current is not None and (current.version, current.source) == (version, str(root.resolve())):
        return [f"Need: results {version} already loaded."]
    loaded = load_results(by=by, root=root, icb=data.area.icb)
    return [
        f"Need: loaded results {loaded.version} for {loaded.icb_code} "
        f"({loaded.counts['results']} results, {loaded.counts['priorities']} priorities)."
    ]
