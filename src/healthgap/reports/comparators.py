"""England comparators for profiles: from an England run when the results hold one, else the
published national figures in `england_comparators.yaml` (source and period per indicator).

The YAML sits beside this module, not in the indicator catalogue, so the catalogue parser need
not know about it. A published figure from another period than the run's is shown with its
period but never used for a significance comparison or as the spine chart's centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from healthgap.errors import InputDataError

COMPARATORS_FILE = "england_comparators.yaml"
FROM_RUN = "England figures from this run"


@dataclass(frozen=True)
class EnglandFigure:
    """England's figure for one indicator: value and 95% limits on the indicator's scale
    (limits NaN when the source gives none), its period, where it comes from, and whether it
    was computed in the same run (`from_run`), hence comparable with the area's figures."""

    value: float
    lowercl: float
    uppercl: float
    period: str
    source: str
    from_run: bool


@cache
def published_comparators() -> dict[str, EnglandFigure | None]:
    """Indicator id -> the published England figure in england_comparators.yaml (None when
    the file records that none is published)."""
    text = resources.files("healthgap.reports").joinpath(COMPARATORS_FILE).read_text("utf-8")
    return parse_comparators(text)


def parse_comparators(text: str) -> dict[str, EnglandFigure | None]:
    """Parse a comparators YAML (see england_comparators.yaml): InputDataError naming the entry
    when one lacks `value` or `source`, has a value without a `period`, or a non-numeric value."""
    raw = yaml.safe_load(text) or {}
    if not isinstance(raw, dict):
        raise InputDataError(f"{COMPARATORS_FILE} must map indicator ids to entries.")
    out: dict[str, EnglandFigure | None] = {}
    for indicator_id, entry in raw.items():
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise InputDataError(
                f"{COMPARATORS_FILE}: entry {indicator_id!r} needs 'value', 'period' and 'source'."
            )
        if entry["value"] is None:
            out[str(indicator_id)] = None
            continue
        if not entry.get("period"):
            raise InputDataError(f"{COMPARATORS_FILE}: entry {indicator_id!r} has no 'period'.")
        try:
            value = float(entry["value"])
        except (TypeError, ValueError):
            raise InputDataError(
                f"{COMPARATORS_FILE}: entry {indicator_id!r} has value {entry['value']!r},"
                " which is not a number."
            ) from None
        out[str(indicator_id)] = EnglandFigure(
            value=value,
            lowercl=math.nan,
            uppercl=math.nan,
            period=str(entry["period"]),
            source=" ".join(str(entry["source"]).split()),
            from_run=False,
        )
    return out


def england_figure(
    indicator_id: str, run_row: dict[str, float] | None, period: str
) -> EnglandFigure | None:
    """England's figure for `indicator_id`: the run's own England row when given (its `value`,
    `lowercl`, `uppercl`), else the published figure, else None ("not published")."""
    if run_row is not None and not math.isnan(float(run_row["value"])):
        return EnglandFigure(
            value=float(run_row["value"]),
            lowercl=float(run_row["lowercl"]),
            uppercl=float(run_row["uppercl"]),
            period=period,
            source=FROM_RUN,
            from_run=True,
        )
    return published_comparators().get(indicator_id)
