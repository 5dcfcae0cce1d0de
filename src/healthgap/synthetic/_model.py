"""The synthetic population's outcome model: `Effects` (defaults, file overrides) and the linear
predictor shared by every outcome.

Each modelled outcome (an indicator's numerator, or a condition a cohort requires or excludes)
is one of three kinds, each with its own `Gradient` of effects:

- "uptake" (a proportion where higher is better: vaccination, screening, health checks):
  logistic, P(event) = expit(eta);
- "condition" (a register or another proportion that is not higher-is-better: prevalence):
  logistic;
- "rate" (a rate or DSR counting events: admissions): log-linear, events ~ Poisson(exp(eta)
  per person-year x years in the window).

eta = link(baseline) + imd_per_decile * (decile - 5.5) + age_per_decade * (age - ref_age) / 10
      + male * [male] + ethnicity[group] + practice effect + per_year * (t - reference) / 365.25,

where link is logit (uptake, condition) or log (rate), decile is the national IMD 2025 decile of
the person's LSOA (1 = most deprived), age is the age on the reference date, ref_age the middle
of the outcome's cohort ages (its maximum capped at 90), group one of the five NHS broad groups
(White is the reference) and the practice effect is a random intercept of the person's GP
practice, N(0, practice_sd^2). So `baseline` is the probability (or yearly rate) for a White
woman of the cohort's middle age, in a middle-deprivation area, at a typical practice, on the
reference date. `per_year` is a secular trend: t is the date of an uptake round or the middle of
a rate's window, so periods before the reference date differ from the baseline by per_year for
each year back (conditions are drawn once and persist, so they have no trend). `persistence` is
the share of a person's uptake rounds decided by their own habitual propensity (the same uniform
every round); the rest are decided afresh, so attendance is correlated but not fixed over rounds.

The defaults imitate the direction and rough size of published gaps (docs/synthetic_population.md
gives the sources); they are illustrative, not estimates.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import yaml

from healthgap.errors import ArgumentError
from healthgap.synthetic._programmes import ProgrammeEffect, parse_programmes

KINDS = ("uptake", "condition", "rate")
ETHNIC_GROUPS = ("white", "mixed", "asian", "black", "other")
MID_DECILE = 5.5
MAX_REF_AGE = 90
DAYS_PER_YEAR = 365.25


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Gradient:
    """Effects on one kind of outcome, on its link scale (log-odds; log-rate for rates).

    imd_per_decile: change per IMD decile towards the less deprived end (decile 1 -> 10).
    age_per_decade: change per 10 years of age. male: men compared with women.
    ethnicity: NHS broad group -> shift compared with White (missing groups are 0).
    per_year: change per calendar year (a secular trend; later dates get per_year more per year).
    """

    imd_per_decile: float = 0.0
    age_per_decade: float = 0.0
    male: float = 0.0
    ethnicity: Mapping[str, float] = field(default_factory=dict)
    per_year: float = 0.0

    def __post_init__(self) -> None:
        _check_numbers(self, ("imd_per_decile", "age_per_decade", "male", "per_year"))
        _check_groups(self.ethnicity, "ethnicity")
        object.__setattr__(self, "ethnicity", _frozen(self.ethnicity))


@dataclass(frozen=True)
class OutcomeEffects:
    """One outcome's baseline (a probability 0-1, or events per person-year for a rate) and any
    effects that replace its kind's `Gradient` (None = use the kind's; ethnicity entries are
    merged over the kind's)."""

    baseline: float
    imd_per_decile: float | None = None
    age_per_decade: float | None = None
    male: float | None = None
    ethnicity: Mapping[str, float] | None = None
    per_year: float | None = None

    def __post_init__(self) -> None:
        names = ("imd_per_decile", "age_per_decade", "male", "per_year")
        _check_numbers(self, ("baseline", *(n for n in names if getattr(self, n) is not None)))
        if self.ethnicity is not None:
            _check_groups(self.ethnicity, "ethnicity")
            object.__setattr__(self, "ethnicity", _frozen(self.ethnicity))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)


def _check_numbers(owner: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(owner, name)
        if not _is_number(value):
            raise ArgumentError(f"{name} must be a finite number, got {value!r}.")


def _check_groups(groups: Mapping[str, float], where: str) -> None:
    if not isinstance(groups, Mapping):
        raise ArgumentError(f"{where} must be a mapping of ethnic group -> effect.")
    unknown = sorted(set(groups) - set(ETHNIC_GROUPS))
    if unknown:
        raise ArgumentError(
            f"{where} has unknown ethnic groups {unknown}; use {', '.join(ETHNIC_GROUPS)}."
        )
    for group, value in groups.items():
        if not _is_number(value):
            raise ArgumentError(f"{where}.{group} must be a finite number, got {value!r}.")


UPTAKE = Gradient(
    imd_per_decile=0.07,
    age_per_decade=0.2,
    male=-0.05,
    ethnicity={"white": 0.0, "mixed": -0.7, "asian": -0.5, "black": -1.1, "other": -0.7},
)
"""Uptake is lower in deprived areas (about 12 percentage points between deciles 1 and 10 at
75%) and markedly lower in Black, Mixed and some Asian groups (UKHSA flu and COVID-19 vaccine
uptake by ethnicity; NHS screening coverage by deprivation)."""
CONDITION = Gradient(
    imd_per_decile=-0.06,
    age_per_decade=0.5,
    male=0.0,
    ethnicity={"white": 0.0, "mixed": 0.0, "asian": 0.3, "black": 0.3, "other": 0.0},
)
"""Recorded conditions are more common in deprived areas (QOF prevalence by IMD decile) and
rise with age."""
RATE = Gradient(
    imd_per_decile=-0.08,
    age_per_decade=0.3,
    male=0.1,
    ethnicity={"white": 0.0, "mixed": 0.0, "asian": 0.0, "black": 0.0, "other": 0.0},
)
"""Emergency admission rates are about twice as high in the most as in the least deprived
decile (exp(9 x 0.08) = 2.05) and rise with age."""

VACCINE_TREND = -0.05
"""Log-odds per year for vaccinations: uptake has fallen a little in recent years (UKHSA seasonal
flu and COVID-19 reports, NHS England childhood vaccination statistics); about 1 percentage
point a year at 80%. Screening, health checks and rates have no trend by default."""

DEFAULT_OUTCOMES: Mapping[str, OutcomeEffects] = _frozen({
    # uptake: published England coverage, for the reference person a little above it
    "flu_vaccination_65_plus": OutcomeEffects(0.80, per_year=VACCINE_TREND),
    "covid19_autumn_booster_75_plus": OutcomeEffects(0.72, per_year=VACCINE_TREND),
    "breast_screening_coverage": OutcomeEffects(0.72),
    "bowel_screening_coverage": OutcomeEffects(0.72),
    "cervical_screening_25_49": OutcomeEffects(0.70),
    "cervical_screening_50_64": OutcomeEffects(0.77),
    "mmr2_by_age_5": OutcomeEffects(0.88, age_per_decade=0.0, per_year=VACCINE_TREND),
    "nhs_health_check_uptake": OutcomeEffects(0.45, imd_per_decile=0.02),
    "smi_physical_health_checks": OutcomeEffects(0.55),
    # recorded prevalence (QOF 2019/20 by IMD decile in the mirror; about 14% and 7%)
    "hypertension_recorded_prevalence": OutcomeEffects(0.065, age_per_decade=0.9),
    "diabetes_recorded_prevalence": OutcomeEffects(
        0.06, imd_per_decile=-0.07, ethnicity={"asian": 0.8, "black": 0.5}
    ),
    # conditions that cohorts require or exclude (key: event_type:first code)
    "diagnosis:58214004": OutcomeEffects(  # severe mental illness register (about 1%)
        0.011, age_per_decade=0.0, imd_per_decile=-0.06, ethnicity={"black": 0.7}
    ),
    "diagnosis:53741008": OutcomeEffects(0.08, age_per_decade=0.6),  # CVD: Health Check exclusion
    "procedure:236886002": OutcomeEffects(  # hysterectomy: cervical screening exclusion
        0.03, age_per_decade=0.6, imd_per_decile=0.0
    ),
    "observation:160734000": OutcomeEffects(  # care home residence, 65+ (Census 2021: ~3%)
        0.025, age_per_decade=1.2, imd_per_decile=0.0
    ),
    # rates (events per person-year)
    "emergency_admissions_dsr": OutcomeEffects(0.08),
    # chronic ACSC (NHS OF 2.3.i, ~800 per 100,000 a year), falls 65+ (Fingertips 22401,
    # ~2,000 per 100,000), care home residents (IAU 2019: 0.70 admissions per resident-year)
    "emergency_admissions_acsc_dsr": OutcomeEffects(0.006, age_per_decade=0.4),
    "emergency_admissions_falls_65_plus_dsr": OutcomeEffects(0.02, age_per_decade=0.6),
    "emergency_admissions_care_home_residents": OutcomeEffects(0.7, imd_per_decile=0.0),
})  # fmt: skip
"""Per-outcome defaults for the shipped catalogue; other outcomes use `default_baselines`."""


@dataclass(frozen=True)
class Effects:
    """Everything the event model and the ethnicity recording can be told (defaults documented).

    uptake, condition, rate: the `Gradient` of each kind. outcomes: per-outcome baselines and
    overrides, keyed by indicator id (its numerator) or, for a condition a cohort requires or
    excludes, "<event_type>:<first code>". default_baselines: the baseline of an outcome not in
    `outcomes`, by kind. practice_sd: standard deviation of the practice random effect.
    persistence: share (0-1) of a person's uptake rounds decided by their habitual propensity
    (1: the same people attend every round, apart from the trend; 0: rounds are independent).
    ethnicity_not_stated / ethnicity_not_known: shares of people recorded as Z / 99 (GP records
    are incomplete; these are recording rates, not effects). programmes: known programme
    effects (`_programmes.ProgrammeEffect`; none by default, the demo has two).
    """

    uptake: Gradient = UPTAKE
    condition: Gradient = CONDITION
    rate: Gradient = RATE
    outcomes: Mapping[str, OutcomeEffects] = field(default_factory=lambda: DEFAULT_OUTCOMES)
    default_baselines: Mapping[str, float] = field(
        default_factory=lambda: {"uptake": 0.6, "condition": 0.05, "rate": 0.05}
    )
    practice_sd: float = 0.15
    persistence: float = 0.5
    ethnicity_not_stated: float = 0.03
    ethnicity_not_known: float = 0.05
    programmes: tuple[ProgrammeEffect, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcomes", _frozen(self.outcomes))
        object.__setattr__(self, "programmes", parse_programmes(self.programmes, "programmes"))
        object.__setattr__(self, "default_baselines", _frozen(self.default_baselines))
        numbers = ("practice_sd", "persistence", "ethnicity_not_stated", "ethnicity_not_known")
        _check_numbers(self, numbers)
        if sorted(self.default_baselines) != sorted(KINDS):
            raise ArgumentError(f"default_baselines needs exactly the kinds {', '.join(KINDS)}.")
        if self.practice_sd < 0:
            raise ArgumentError(f"practice_sd must not be negative, got {self.practice_sd}.")
        if not 0 <= self.persistence <= 1:
            raise ArgumentError(f"persistence must be a share from 0 to 1, got {self.persistence}.")
        _check_no_trend(self.condition.per_year, "condition.per_year")
        shares = (self.ethnicity_not_stated, self.ethnicity_not_known)
        if min(shares) < 0 or sum(shares) > 1:
            raise ArgumentError(
                "ethnicity_not_stated and ethnicity_not_known must be shares from 0 to 1 that "
                f"add up to at most 1, got {shares[0]} and {shares[1]}."
            )

    def resolve(self, key: str, kind: str) -> tuple[float, Gradient]:
        """The baseline and the effective gradient of outcome `key` of `kind`."""
        base: Gradient = getattr(self, kind)
        own = self.outcomes.get(key)
        if own is None:
            return _checked_baseline(self.default_baselines[kind], kind, key), base
        if kind == "condition":
            _check_no_trend(own.per_year or 0.0, f"outcomes.{key}.per_year")
        merged = replace(
            base,
            **{
                f.name: getattr(own, f.name)
                for f in fields(Gradient)
                if f.name != "ethnicity" and getattr(own, f.name) is not None
            },
            ethnicity={**base.ethnicity, **(own.ethnicity or {})},
        )
        return _checked_baseline(own.baseline, kind, key), merged

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for the manifest and for writing an overrides file to edit)."""

        def plain(value: Any) -> Any:
            if isinstance(value, Gradient | OutcomeEffects):
                return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
            if isinstance(value, Mapping):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, tuple) and all(isinstance(v, ProgrammeEffect) for v in value):
                return [v.to_dict() for v in value]
            return value

        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "effects") -> Effects:
        """Defaults overridden by `data` (same layout as `to_dict()`; anything left out keeps its
        default; gradients and outcomes are merged entry by entry)."""
        if not isinstance(data, Mapping):
            raise ArgumentError(f"{source} must be a mapping of settings.")
        _reject_unknown(data, [f.name for f in fields(cls)], source)
        defaults, changes = cls(), {}
        for name, value in data.items():
            if name in KINDS:
                _reject_unknown(value, [f.name for f in fields(Gradient)], f"{source}.{name}")
                old: Gradient = getattr(defaults, name)
                _check_groups(value.get("ethnicity", {}), f"{source}.{name}.ethnicity")
                eth = {**old.ethnicity, **value.get("ethnicity", {})}
                changes[name] = replace(old, **{**value, "ethnicity": eth})
            elif name == "outcomes":
                changes[name] = {**defaults.outcomes, **_outcomes(value, source)}
            elif name == "programmes":
                changes[name] = parse_programmes(value, source)
            elif name == "default_baselines":
                _reject_unknown(value, KINDS, f"{source}.default_baselines")
                changes[name] = {**defaults.default_baselines, **value}
            else:
                changes[name] = value
        try:
            return replace(defaults, **changes)
        except TypeError as exc:
            raise ArgumentError(f"{source}: {exc}") from None

    @classmethod
    def load(cls, path: Path | str) -> Effects:
        """Defaults overridden by a YAML (.yaml/.yml) or JSON (.json) file."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise ArgumentError(f"Cannot read the effects file {path}: {exc}") from None
        return cls.from_mapping(data or {}, source=str(path))


def _outcomes(value: Any, source: str) -> dict[str, OutcomeEffects]:
    if not isinstance(value, Mapping):
        raise ArgumentError(f"{source}.outcomes must be a mapping of outcome -> settings.")
    out = {}
    for key, settings in value.items():
        where = f"{source}.outcomes.{key}"
        if not isinstance(settings, Mapping) or "baseline" not in settings:
            raise ArgumentError(f"{where} must be a mapping with at least a baseline.")
        _reject_unknown(settings, [f.name for f in fields(OutcomeEffects)], where)
        out[str(key)] = OutcomeEffects(**settings)
    return out


def _reject_unknown(data: Any, known: list[str] | tuple[str, ...], where: str) -> None:
    if not isinstance(data, Mapping):
        raise ArgumentError(f"{where} must be a mapping.")
    for key in data:
        if key not in known:
            hint = difflib.get_close_matches(str(key), known, n=1)
            fix = f"; did you mean {hint[0]!r}?" if hint else f"; known: {', '.join(known)}"
            raise ArgumentError(f"{where} has an unknown setting {key!r}{fix}")


def _check_no_trend(per_year: float, where: str) -> None:
    if per_year != 0:
        raise ArgumentError(
            f"{where} must be 0: conditions are drawn once per person and persist over periods, "
            f"so they have no trend; got {per_year}."
        )


def _checked_baseline(value: float, kind: str, key: str) -> float:
    ok = value > 0 if kind == "rate" else 0 < value < 1
    if not ok:
        what = "a positive rate" if kind == "rate" else "a probability strictly between 0 and 1"
        raise ArgumentError(f"The baseline of {key} must be {what}, got {value}.")
    return float(value)


def linear_predictor(
    baseline: float,
    gradient: Gradient,
    kind: str,
    ref_age: float,
    *,
    imd_decile: np.ndarray,
    age: np.ndarray,
    male: np.ndarray,
    group: np.ndarray,
    practice_effect: np.ndarray,
) -> np.ndarray:
    """eta for each person on the reference date (module docstring, without the trend term:
    add `trend`); `group` indexes ETHNIC_GROUPS."""
    link = np.log(baseline) if kind == "rate" else np.log(baseline / (1 - baseline))
    ethnicity = np.array([gradient.ethnicity.get(g, 0.0) for g in ETHNIC_GROUPS])
    return (
        link
        + gradient.imd_per_decile * (imd_decile - MID_DECILE)
        + gradient.age_per_decade * (age - ref_age) / 10
        + gradient.male * male
        + ethnicity[group]
        + practice_effect
    )


def trend(per_year: float, days_from_reference: np.ndarray) -> np.ndarray:
    """The secular-trend term per_year x years from the reference date (negative: earlier)."""
    return per_year * np.asarray(days_from_reference, dtype=float) / DAYS_PER_YEAR


def expit(eta: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-eta)), without overflow warnings for large |eta|."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-eta))


def poisson_inverse(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Poisson(mean) counts by inverting the CDF at `u` (so a draw is a fixed function of u).

    Sums the probabilities P(k) = P(k-1) * mean / k until every u is covered (means here are
    small, so a few steps).
    """
    count = np.zeros(u.shape, dtype=np.int64)
    term = np.exp(-mean)
    cdf = term.copy()
    k = 0
    while True:
        above = (u >= cdf) & (term > 0)  # a term of 0: the CDF has stopped growing (rounding)
        if not above.any():
            return count
        k += 1
        count += above
        term = term * mean / k
        cdf = cdf + term
