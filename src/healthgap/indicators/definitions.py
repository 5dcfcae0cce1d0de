"""Indicator definitions: the frozen dataclasses a catalogue YAML file becomes (docs/indicators.md).

An `Indicator` says *what* to count: who is in the cohort (age on a date, sex, GP registration,
prior events such as a disease register), what puts a person in the numerator (events with given
codes in a window relative to the period), the method (proportion, crude rate or directly
standardised rate), and its governance (source, owner, checked_by, reviewed, next_review).
`compile.py` turns indicators into Ibis expressions; `reference.py` computes the same numbers
person by person. Reading files is `loading.py` (`load_indicator`, `load_catalogue`): every
problem in a file raises `IndicatorDefinitionError` naming the file, line and field, with a
suggestion when a field name looks misspelt. `DateRef` (a date relative to the period or to
birth) is the type of every date in a definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from healthgap.indicators._dates import DateRef
from healthgap.indicators._yaml import IndicatorDefinitionError
from healthgap.stats.dsr import ESP2013

__all__ = [
    "AgeBand",
    "AgeRule",
    "Code",
    "Cohort",
    "Criterion",
    "DateRef",
    "FollowedBy",
    "Indicator",
    "IndicatorDefinitionError",
    "Numerator",
    "Period",
    "Registration",
    "Source",
    "Target",
    "Window",
]

METHODS = ("proportion", "rate", "dsr")
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
STANDARD_POPULATIONS = {"ESP2013": ESP2013}
PERSON_BREAKDOWNS = ("lsoa21", "sex", "age_band", "ethnicity", "ethnicity19", "ethnicity5")
"""Breakdowns read from the person table (ethnicity is the NHS code; 19 and 5 are Census groups)."""
AREA_BREAKDOWNS = (
    "imd_decile",
    "imd_quintile",
    "core20",
    "msoa21",
    "lad24",
    "sicbl24",
    "icb24",
    "region24",
)
"""Breakdowns joined from the `areas` table on lsoa21 (healthgap.geography)."""
DEFAULT_BREAKDOWNS = ("lsoa21", "imd_decile", "ethnicity5", "sex", "age_band")
SEXES = {"any": None, "female": ("2",), "male": ("1",)}


@dataclass(frozen=True)
class Code:
    """One clinical code and its description as written in the catalogue."""

    code: str
    description: str


@dataclass(frozen=True)
class Window:
    """Event dates counted: from `start` (inclusive; None = ever) to `end` (inclusive when
    `end_inclusive`, else strictly before)."""

    start: DateRef | None
    end: DateRef
    end_inclusive: bool = True


@dataclass(frozen=True)
class FollowedBy:
    """An event counts only if the same person has an event of `event_type` with one of `codes`
    from `from_days` to `to_days` days after its date, inclusive (1 to 29: the 29 days after a
    discharge; `to_days` 29 is "within 30 days" counting the discharge day as the first)."""

    event_type: str
    codes: tuple[Code, ...]
    codes_from: str
    from_days: int
    to_days: int

    @property
    def code_values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)


@dataclass(frozen=True)
class Criterion:
    """Person has at least `min_count` events of `event_type` with one of `codes` in `window`.

    With `resolved_by`, the latest such event must also be later than the latest resolving code
    (in the same window): the QOF register rule ("latest diagnosis not followed by a resolved
    code"). With `followed_by`, only events followed by another event within the days it gives
    count (an emergency readmission after a discharge).
    """

    event_type: str
    codes: tuple[Code, ...]
    codes_from: str
    window: Window
    min_count: int = 1
    resolved_by: tuple[Code, ...] = ()
    resolved_event_type: str | None = None
    followed_by: FollowedBy | None = None

    @property
    def code_values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    @property
    def resolved_values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.resolved_by)


@dataclass(frozen=True)
class AgeRule:
    """Age in whole years on date `at`, from `minimum` to `maximum` inclusive (None = open)."""

    minimum: int | None
    maximum: int | None
    at: DateRef


@dataclass(frozen=True)
class Registration:
    """Registered with a GP practice on every day from `start` to `end` (a single day if equal)."""

    start: DateRef
    end: DateRef


@dataclass(frozen=True)
class Cohort:
    """The denominator: age, sex codes (None = any), registration (None = not required), events
    every member must have (`require`, all of) and events that remove a person (`exclude`)."""

    age: AgeRule
    sex: tuple[str, ...] | None
    registration: Registration | None
    require: tuple[Criterion, ...] = ()
    exclude: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class Numerator:
    """People in the cohort meeting every criterion (`count="people"`), or the number of
    matching events of the single criterion (`count="events"`, for rates and DSRs)."""

    all_of: tuple[Criterion, ...]
    count: str = "people"


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class AgeBand:
    """Ages `start` to `end` inclusive (end None = and over), labelled like "65-69" or "90+"."""

    label: str
    start: int
    end: int | None


@dataclass(frozen=True)
class Source:
    """Where the definition comes from (the published indicator it follows)."""

    publisher: str
    title: str
    url: str
    indicator_id: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Target:
    value: float
    source: str


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry (see docs/indicators.md for every field)."""

    id: str
    name: str
    source: Source
    owner: str
    checked_by: str
    reviewed: date
    next_review: date
    why_it_matters: str
    method: str
    multiplier: float
    polarity: str
    periods: tuple[Period, ...]
    cohort: Cohort
    numerator: Numerator
    age_bands: tuple[AgeBand, ...]
    breakdowns: tuple[str, ...] = DEFAULT_BREAKDOWNS
    standard_population: str | None = None
    target: Target | None = None
    notes: str | None = None
    file: str = ""
    denominator: Criterion | None = None
    """Counts events, not people: the denominator is the number of cohort members' events that
    meet this criterion (hospital discharges), and only members with one are in the cohort."""

    @property
    def standard_weights(self) -> dict[str, float]:
        """Age-band label -> standard population weight of the indicator's own bands (DSR
        indicators only): a cohort of 65 and over is standardised to the standard's 65-69 ...
        90+ (W = 19,500 of ESP2013's 100,000), as Fingertips does for an age-restricted DSR."""
        if self.standard_population is None:
            return {}
        own = {band.label for band in self.age_bands}
        standard = STANDARD_POPULATIONS[self.standard_population]
        return {b.label: float(b.weight) for b in standard if b.label in own}
