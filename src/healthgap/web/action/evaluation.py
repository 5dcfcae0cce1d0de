"""A programme's monitoring, evaluation and equity impact, for its page and its report
(docs/evaluation.md, "In the app").

The figures come from `healthgap.reports.programme` on the results store the app has loaded
(`need.ResultsLoad.current().source`: its live `series` and `inequalities` tables, aggregates
only), under the viewer's disclosure policy (`web.disclosure.policy_for`: public, or none for
analysts). The target indicator is the first of the programme's target indicators with a
published series; the comparator pool is every other published area of the same type outside
all programmes' target areas. IMD scores and the area hierarchy come from the loaded areas
(`need.Area`), so no open-data mirror is needed at request time. An evaluation is computed
once per results version, programme definition and policy (an in-process cache).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
from django.utils.safestring import mark_safe

from healthgap.errors import HealthgapError
from healthgap.indicators.store import open_results
from healthgap.reports.programme import (
    ProgrammeEvaluation,
    ProgrammeSpec,
    programme_evaluation,
    series_indicators,
)
from healthgap.web.action.models import Programme
from healthgap.web.need.models import Area, ResultsLoad

LEVELS = ("lsoa21", "msoa21", "lad24", "icb24")


def results_root() -> Path | None:
    """The results store of the figures the app shows, or None before any load."""
    current = ResultsLoad.current()
    if current is None or not current.source:
        return None
    return Path(current.source)


def spec_for(programme: Programme, root: Path | None) -> ProgrammeSpec:
    """The programme as the evaluation sees it (module docstring)."""
    published = _published(root)
    indicator = next((i for i in programme.target_indicators if i in published), None)
    if indicator is None and programme.target_indicators:
        indicator = programme.target_indicators[0]
    others = {
        code
        for areas in Programme.objects.exclude(pk=programme.pk).values_list(
            "target_areas", flat=True
        )
        for code in areas or []
    }
    pool = _pool(root, indicator, set(programme.target_areas) | others)
    return ProgrammeSpec(
        name=programme.name,
        indicator_id=indicator,
        areas=tuple(programme.target_areas),
        start=programme.start_date,
        comparator_pool=pool,
    )


def evaluation_for(programme: Programme, policy: str) -> ProgrammeEvaluation:
    """The programme's evaluation under `policy`; `messages` explain anything missing."""
    root = results_root()
    spec = spec_for(programme, root)
    if root is None:
        message = "No results are loaded in the app yet, so there is nothing to monitor."
        return ProgrammeEvaluation(spec, policy=policy, messages=(message,))
    try:
        return _evaluate(str(root), open_results(root).version, spec, policy)
    except HealthgapError as error:
        return ProgrammeEvaluation(spec, policy=policy, messages=(str(error),))


def evaluation_context(programme: Programme, policy: str) -> dict[str, object]:
    """Template context for the programme page's section: `evaluation` and `charts` (the SVGs,
    built by healthgap's chart code with every text escaped, marked safe)."""
    found = evaluation_for(programme, policy)
    charts = {
        "monitoring": found.monitoring_svg,
        "event_study": found.event_study_svg,
        "its": found.its_svg,
    }
    return {
        "evaluation": found,
        "charts": {k: mark_safe(v) for k, v in charts.items() if v},  # our SVG, text escaped
    }


@lru_cache(maxsize=64)
def _evaluate(root: str, version: str, spec: ProgrammeSpec, policy: str) -> ProgrammeEvaluation:
    """Cached on the store, its live version, the programme's definition and the policy."""
    return programme_evaluation(root, spec, policy=policy, areas=areas_frame())


def areas_frame() -> pd.DataFrame:
    """One row per loaded LSOA: `lsoa21`, `msoa21`, `lad24`, `icb24` (its ancestors) and
    `imd_score`, from `need.Area` (the shape of `indicators.run.areas_table()`)."""
    rows = list(Area.objects.values_list("code", "area_type", "parent_id", "imd_score"))
    kind = {code: area_type for code, area_type, _, _ in rows}
    parent = {code: up for code, _, up, _ in rows}
    out = []
    for code, area_type, _, score in rows:
        if area_type != "lsoa21":
            continue
        record = {"lsoa21": code, "imd_score": score}
        up = parent.get(code)
        while up is not None:
            if kind.get(up) in LEVELS:
                record[kind[up]] = up
            up = parent.get(up)
        out.append(record)
    return pd.DataFrame(out, columns=[*LEVELS, "imd_score"])


def _published(root: Path | None) -> set[str]:
    if root is None:
        return set()
    try:
        return series_indicators(root)
    except HealthgapError:
        return set()


def _pool(root: Path | None, indicator: str | None, excluded: set[str]) -> tuple[str, ...]:
    """Published series areas of `indicator` outside `excluded` (every programme's areas)."""
    if root is None or indicator is None:
        return ()
    try:
        live = open_results(root)
        table = live.table("series", columns=["indicator_id", "area_code"])
    except HealthgapError:
        return ()
    codes = set(table.loc[table["indicator_id"] == indicator, "area_code"]) - excluded
    return tuple(sorted(codes))
