"""What a profile holds: plain dataclasses, filled by `profile.build_profile` and rendered by
`render`. Every figure in them has passed through disclosure control (NaN = hidden).

The community section (`Community`) is optional plain data: the web app fills it from its
database; the CLI leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from healthgap.reports.charts import DecileBar, Spread
from healthgap.reports.comparators import EnglandFigure
from healthgap.reports.monitoring import AreaChart
from healthgap.reports.place import KeyFacts, Vintage

AREA_KINDS = {
    "lsoa21": "Neighbourhood profile (LSOA)",
    "msoa21": "Neighbourhood profile (MSOA)",
    "lad24": "Place profile (local authority)",
    "icb24": "Integrated care board profile",
}


@dataclass(frozen=True)
class Area:
    """The profiled area: GSS code, name, results area type and its ancestors (type, code,
    name), nearest first, as the results table's parent codes give them."""

    code: str
    name: str
    area_type: str
    parents: tuple[tuple[str, str, str], ...] = ()

    @property
    def kind(self) -> str:
        return AREA_KINDS.get(self.area_type, "Area profile")

    def parent(self, area_type: str) -> tuple[str, str, str] | None:
        return next((p for p in self.parents if p[0] == area_type), None)


@dataclass(frozen=True)
class Figure:
    """A published figure: value and 95% limits on the indicator's scale, numerator and
    denominator (counts, rounded by the policy), all NaN when hidden; `suppressed` says why
    ("" shown, "primary", "secondary" or "derived")."""

    value: float
    lowercl: float
    uppercl: float
    numerator: float
    denominator: float
    suppression: str = ""
    reason: str = ""

    @property
    def hidden(self) -> bool:
        return bool(self.suppression)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator in the profile: the area's figure with the ICB's and England's, the
    comparisons (stats.compare rule, 95%), and the spread for the spine chart."""

    indicator_id: str
    name: str
    period: str
    multiplier: float
    polarity: str
    area: Figure
    icb: Figure | None
    england: EnglandFigure | None
    vs_icb: str
    vs_england: str
    benchmark: float | None
    benchmark_label: str
    spread: Spread | None


@dataclass(frozen=True)
class Gap:
    """The inequality gap for one indicator: the SII across IMD deciles of `measured_in` (the
    area itself for a LAD or ICB; its local authority for an LSOA or MSOA) with 95% limits,
    and the decile values behind it; `highlight` is the profiled area's own decile."""

    indicator_id: str
    name: str
    period: str
    multiplier: float
    measured_in: str
    sii: float
    lowercl: float
    uppercl: float
    reason: str
    bars: tuple[DecileBar, ...]
    highlight: int | None


@dataclass(frozen=True)
class PriorityLine:
    """A priority in or under the area, in order of potential to benefit (position 1 first).
    Only priorities whose figures are published are listed; headroom and its limits are rounded
    to 5, and NaN ("fewer than 8") below 8."""

    position: int
    indicator_name: str
    area_name: str
    group: str
    period: str
    multiplier: float
    value: float
    lowercl: float
    uppercl: float
    benchmark_value: float
    benchmark_source: str
    headroom: float
    headroom_lowercl: float
    headroom_uppercl: float


@dataclass(frozen=True)
class Partner:
    """An organisation or Community Champion that works in the area (from the web app)."""

    name: str
    kind: str = ""
    description: str = ""


@dataclass(frozen=True)
class Activity:
    """Something a partner did in the area; reach is deliberately not shown in reports."""

    title: str
    organisation: str = ""
    when: date | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Insight:
    """What a partner or champion heard or learnt (title and summary as recorded)."""

    title: str
    summary: str = ""
    when: date | None = None


@dataclass(frozen=True)
class Community:
    """The optional community section: partners, activities and insights for the area.

    The report prints what it is given, so the caller passes only what the report's reader may
    see (in the web app, single insights are for analysts and recorders; champions only with
    their consent). Counts of people reached are deliberately not part of these records.
    """

    partners: tuple[Partner, ...] = ()
    activities: tuple[Activity, ...] = ()
    insights: tuple[Insight, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    """The disclosure statement: the policy and its rule, and the share of published cells
    hidden by area level (0-1, from the whole protected results table)."""

    policy: str
    rule: str
    hidden_share: dict[str, float]


@dataclass(frozen=True)
class Profile:
    """Everything a profile shows, ready to render."""

    area: Area
    facts: KeyFacts | None
    indicators: tuple[IndicatorLine, ...]
    gaps: tuple[Gap, ...]
    priorities: tuple[PriorityLine, ...]
    map_svg: str | None
    community: Community | None
    disclosure: Disclosure
    run: dict[str, str]
    vintages: tuple[Vintage, ...]
    england_note: str
    generated: date
    warnings: tuple[str, ...] = field(default_factory=tuple)
    monitoring: tuple[AreaChart, ...] = field(default_factory=tuple)
