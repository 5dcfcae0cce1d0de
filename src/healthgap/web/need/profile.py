"""What the neighbourhood (area) profile shows: each indicator against the ICB and England, the
inequality gaps, and the area's priorities, as the viewer may see them.

Comparison with the ICB and England: Fingertips' rule, in `healthgap.stats.compare` (the 95%
confidence interval against the benchmark's value, with the indicator's polarity). No
comparison is made for a suppressed or missing value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from healthgap.stats import compare_with_benchmark
from healthgap.stats.compare import POLARITIES
from healthgap.web.need.cache import per_load_and_policy
from healthgap.web.need.charts import Chart, dot_whisker
from healthgap.web.need.figures import Figure, figure, number
from healthgap.web.need.models import (
    Area,
    AreaType,
    Indicator,
    Inequality,
    Priority,
    Result,
    ResultsLoad,
)
from healthgap.web.need.models.area import ENGLAND_CODE
from healthgap.web.need.priority_list import columns_for, visible

DIMENSIONS = {
    "imd_decile": "IMD 2025 decile",
    "imd_quintile": "IMD 2025 quintile",
    "core20": "Core20 or not",
    "ethnicity5": "Ethnic group (5 groups)",
    "ethnicity19": "Ethnic group (19 groups)",
    "sex": "Sex",
}


@dataclass(frozen=True)
class IndicatorProfile:
    indicator: Indicator
    period: str
    method: str
    area: Figure | None
    icb: Figure | None
    england: Figure | None
    vs_icb: str
    vs_england: str
    chart: Chart | None

    @property
    def verdict(self) -> str:
        """What the area's row says about it, naming each comparator: "Worse than the ICB
        (95% CI); Similar to England (95% CI)" (Fingertips' rule, `compare`)."""
        parts = [verdict(self.vs_icb, "the ICB")] if self.icb is not None else []
        parts += [verdict(self.vs_england, "England")] if self.england is not None else []
        return "; ".join(parts)


def verdict(comparison: str, comparator: str) -> str:
    """ "Worse than the ICB (95% CI)", "Similar to England (95% CI)" or "Not compared with
    England" for a `compare` result against `comparator`."""
    if comparison == "Not compared":
        return f"Not compared with {comparator}"
    if comparison == "Similar":
        return f"Similar to {comparator} (95% CI)"
    return f"{comparison} than {comparator} (95% CI)"


@dataclass(frozen=True)
class Gap:
    indicator: Indicator
    period: str
    dimension: str
    measure: str
    text: str
    interval: str
    method: str
    reason: str


def icb_area() -> Area | None:
    """The ICB of the current load (None before any load)."""
    load = ResultsLoad.current()
    return load.icb if load is not None else None


@per_load_and_policy("indicator_profiles", key=lambda area: area.code)
def indicator_profiles(area: Area, user: Any) -> list[IndicatorProfile]:
    """One entry per indicator with a whole-population figure for `area`, in its latest period,
    with the ICB's and England's figures for the same period."""
    icb = icb_area()
    codes = {area.code, ENGLAND_CODE} | ({icb.code} if icb else set())
    rows = Result.objects.filter(area_id__in=codes, category_type="all").select_related("indicator")
    by_key: dict[tuple[str, str], dict[str, Result]] = defaultdict(dict)
    for row in rows:
        by_key[(row.indicator_id, row.period)][row.area_id] = row
    latest: dict[str, str] = {}
    for indicator_id, period in by_key:
        if area.code in by_key[(indicator_id, period)]:
            latest[indicator_id] = max(period, latest.get(indicator_id, ""))
    profiles = []
    for indicator_id, period in latest.items():
        found = by_key[(indicator_id, period)]
        indicator = found[area.code].indicator
        unit = indicator.unit
        own = figure(found[area.code], user, unit=unit)
        icb_fig = figure(found.get(icb.code), user, unit=unit) if icb and icb != area else None
        england = (
            figure(found.get(ENGLAND_CODE), user, unit=unit) if area.code != ENGLAND_CODE else None
        )
        chart_rows = [(_short(area), "hg-chart__area", own)]
        chart_rows += [("ICB", "hg-chart__icb", icb_fig)] if icb and icb != area else []
        chart_rows += (
            [("England", "hg-chart__england", england)] if area.code != ENGLAND_CODE else []
        )
        profiles.append(
            IndicatorProfile(
                indicator=indicator,
                period=period,
                method=found[area.code].method,
                area=own,
                icb=icb_fig,
                england=england,
                vs_icb=compare(own, icb_fig, indicator.polarity),
                vs_england=compare(own, england, indicator.polarity),
                chart=dot_whisker(chart_rows, target=indicator.target, unit=unit),
            )
        )
    return sorted(profiles, key=lambda p: p.indicator.name)


def compare(own: Figure | None, benchmark: Figure | None, polarity: str) -> str:
    """ "Better", "Worse", "Similar", "Higher", "Lower" or "Not compared": the figures as the
    viewer may see them, compared by `healthgap.stats.compare_with_benchmark`."""
    if own is None or benchmark is None or not own.available or not benchmark.available:
        return "Not compared"
    known = polarity if polarity in POLARITIES else None  # an unknown polarity: no judgement
    return compare_with_benchmark(own.lowercl, own.uppercl, benchmark.value, known)


@per_load_and_policy("inequality_gaps", key=lambda area: area.code)
def inequality_gaps(area: Area, user: Any) -> list[Gap]:
    """The inequality measures for `area` in each indicator's latest period. A measure is
    withheld from non-analysts when the area's whole-population figure is hidden."""
    rows = list(Inequality.objects.filter(area=area).select_related("indicator"))
    latest: dict[str, str] = {}
    for row in rows:
        latest[row.indicator_id] = max(row.period, latest.get(row.indicator_id, ""))
    totals = {
        (r.indicator_id, r.period): figure(r, user)
        for r in Result.objects.filter(area=area, category_type="all")
    }
    gaps = []
    for row in rows:
        if row.period != latest[row.indicator_id]:
            continue
        total = totals.get((row.indicator_id, row.period))
        hidden = total is not None and total.suppressed
        interval = ""
        if not hidden and row.lowercl is not None and row.uppercl is not None:
            interval = f"{number(row.lowercl)} to {number(row.uppercl)}"
        gaps.append(
            Gap(
                indicator=row.indicator,
                period=row.period,
                dimension=DIMENSIONS.get(row.dimension, row.dimension),
                measure=row.measure_name,
                text="*" if hidden else number(row.value),
                interval=interval,
                method=row.method,
                reason=row.reason,
            )
        )
    return sorted(gaps, key=lambda g: (g.indicator.name, g.dimension, g.measure))


@per_load_and_policy("area_priorities", key=lambda area: area.code)
def area_priorities(area: Area, user: Any) -> list[Priority]:
    """The 20 best-ranked priorities in `area` and, for an MSOA, in its LSOAs, as `user` may
    see them (published rows and the public ranking unless analyst: docs/priorities.md),
    annotated with `shown_rank` (the rank within the indicator)."""
    codes = {area.code}
    if area.area_type == AreaType.MSOA:
        codes |= set(area.children.values_list("code", flat=True))
    cols = columns_for(user)
    rows = visible(user).filter(area_id__in=codes).annotate(shown_rank=F(cols.rank))
    return list(rows.order_by(cols.rank, cols.group_rank, "indicator_id", "area_id")[:20])


def _short(area: Area) -> str:
    return {AreaType.LSOA: "This LSOA", AreaType.MSOA: "This MSOA"}.get(area.area_type, "This area")
