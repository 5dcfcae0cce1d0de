"""A programme's monitoring, evaluation and equity impact, assembled from the published tables.

Input: a `ProgrammeSpec` (name, target indicator, areas, start date, comparator pool) and the
results store's aggregates (`series.parquet`, `inequalities.parquet`; never person-level
data). Output: a `ProgrammeEvaluation` that the programme page and the programme report show
as they are (docs/evaluation.md, "In the app"):

* monitoring: an XmR chart (`evaluation.spc`, MDC style) of the target indicator in the
  programme's areas taken together, month by month, with new limits from the start;
* difference-in-differences (`evaluation.did`) of the programme's areas against comparison
  areas matched (`evaluation.match_comparators`) on deprivation (IMD score) and on the
  baseline level and trend, with the parallel-trends check and the event-study chart;
* interrupted time series (`evaluation.its`) of the programme's areas together: level and
  slope change, with Fourier seasonal terms for monthly series of two years or more;
* equity impact (`programme_equity`, over `evaluation.equity_impact`): the change in the SII
  and RII across IMD deciles and in the Core20-versus-rest gap (HEAT `d`) of the smallest
  published area that holds every programme area, between the last annual period before the
  start and the latest.

Values are numerator ÷ denominator × multiplier from the series' counts, for each area and for
the programme's areas taken together (their summed counts). For a DSR indicator this is the
crude rate: PHE publishes no DSR for fewer than 10 events, which most small-area months have,
and within an area the age structure hardly changes from month to month, so the area fixed
effects of the DiD and the ITS' own baseline absorb it (said so on the chart and the page).

Disclosure (docs/disclosure.md): every count and value shown of the combined series passes
`healthgap.disclosure.protect_results` under `policy` (public unless an analyst asks for
none): months with a small count are hidden, other counts rounded to 5. The models are fitted
on the unprotected aggregates and shown as estimates only when no arm's count in a segment
(programme or comparison areas, before or after the start) is a small number under the policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.disclosure import get_policy
from healthgap.errors import HealthgapError
from healthgap.evaluation import Check, Effect, did, event_study, its, spc
from healthgap.evaluation import baseline as baseline_of
from healthgap.evaluation import match_comparators as match
from healthgap.evaluation.chart import spc_svg
from healthgap.evaluation.effect import number
from healthgap.evaluation.effect_charts import event_study_svg, its_svg
from healthgap.indicators import load_catalogue
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.run import areas_table
from healthgap.indicators.series import AREA_LEVELS
from healthgap.indicators.series_store import TABLE as SERIES
from healthgap.indicators.store import open_results
from healthgap.reports.monitoring import DIRECTIONS, crude_values, protect_series
from healthgap.reports.programme_equity import AREA_COLUMNS, equity_changes
from healthgap.reports.published import public_results

RATE_METHODS = ("rate", "dsr")
# A model that cannot be fitted on these data says why on the page instead of failing it.
MODEL_ERRORS = (HealthgapError, ValueError, ArithmeticError, np.linalg.LinAlgError)
NOTHING_TO_EVALUATE = (
    "This programme has no target indicator, target areas or start date yet, so there is "
    "nothing to monitor or evaluate. Add them on the programme's edit page."
)
PROGRAMME = "programme"  # area code of the programme's areas taken together


@dataclass(frozen=True)
class ProgrammeSpec:
    """What is evaluated: `indicator_id` (catalogue id) in `areas` (LSOA, MSOA or local
    authority codes of one type) from `start`. `comparator_pool`: areas the comparators may be
    chosen from (empty: every other area of the same type with a published series);
    `comparators_per_area`: matched comparison areas per programme area (fewer when the pool
    is small)."""

    name: str
    indicator_id: str | None
    areas: tuple[str, ...]
    start: date | None
    comparator_pool: tuple[str, ...] = ()
    comparators_per_area: int = 3


@dataclass(frozen=True)
class Shown:
    """An estimate as shown: the `effect` (None when it could not be computed or is hidden by
    disclosure control), the `sentence` to show (the effect's, or why there is none), and for
    rates `relative`: the change as a percentage of the level expected without the programme."""

    title: str
    effect: Effect | None
    sentence: str
    relative: str = ""


@dataclass(frozen=True)
class ProgrammeEvaluation:
    """Everything the programme page and report show (module docstring). SVGs are strings;
    `series` is the protected combined series (period_start, numerator, denominator, value,
    suppressed); `messages` say in plain English what could not be shown and why."""

    spec: ProgrammeSpec
    indicator_name: str = ""
    unit: str = ""
    policy: str = "public"
    messages: tuple[str, ...] = ()
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    monitoring_svg: str = ""
    monitoring_sentence: str = ""
    comparators: tuple[str, ...] = ()
    did: Shown | None = None
    parallel_trends: Check | None = None
    event_study_svg: str = ""
    its_level: Shown | None = None
    its_slope: Shown | None = None
    its_svg: str = ""
    equity: tuple[Shown, ...] = ()
    equity_area: str = ""

    @property
    def ready(self) -> bool:
        """True when there is at least a monitoring chart to show."""
        return bool(self.monitoring_svg)


def programme_evaluation(
    results_dir: str | Path,
    spec: ProgrammeSpec,
    *,
    policy: str = "public",
    areas: pd.DataFrame | None = None,
) -> ProgrammeEvaluation:
    """`evaluate_programme` on the live version of the results store at `results_dir` (its
    `series` and `inequalities` tables); `areas` defaults to England's areas table. A
    programme without a target indicator, areas or start date, or a store without a series
    table, gets an evaluation whose `messages` say so."""
    empty = ProgrammeEvaluation(spec, policy=policy)
    if not spec.indicator_id or not spec.areas or spec.start is None:
        return _with(empty, NOTHING_TO_EVALUATE)
    live = open_results(results_dir)
    if not (live.path / f"{SERIES}.parquet").is_file():
        return _with(empty, "No monthly series are published in the results store yet.")
    indicator = load_catalogue(ids=[spec.indicator_id])[spec.indicator_id]
    has = (live.path / "inequalities.parquet").is_file()
    suppress = get_policy(policy).suppress
    return evaluate_programme(
        spec,
        live.table(SERIES),
        indicator,
        areas_table() if areas is None else areas,
        inequalities=live.table("inequalities") if has else None,
        policy=policy,
        published=public_results(results_dir, policy) if has and suppress else None,
    )


def series_indicators(results_dir: str | Path) -> set[str]:
    """Indicator ids with a published series in the live version (empty when none)."""
    live = open_results(results_dir)
    if not (live.path / f"{SERIES}.parquet").is_file():
        return set()
    return set(live.table(SERIES, columns=["indicator_id"])["indicator_id"])


def evaluate_programme(
    spec: ProgrammeSpec,
    series: pd.DataFrame,
    indicator: Indicator,
    areas: pd.DataFrame,
    *,
    inequalities: pd.DataFrame | None = None,
    policy: str = "public",
    published: pd.DataFrame | None = None,
) -> ProgrammeEvaluation:
    """Assemble the programme's evaluation from the published `series` table (docs/results.md)
    and `inequalities` table; `areas` is one row per LSOA with the IMD score and the area
    columns (`indicators.run.areas_table()`). Never raises for data that are too thin: each
    part that cannot be shown says why in `messages`. When the programme's areas nest (a local
    authority and its LSOAs), the finest type with a published series is evaluated, and the
    result's `spec.areas` lists those areas. `published`: the results table as `policy`
    publishes it (`published.public_results`); as on profiles, a gap is shown only when no
    figure it is computed from (the area's rows of its breakdown in either period) is hidden."""
    rows = series[series["indicator_id"] == indicator.id]
    if "category_type" in rows:
        rows = rows[rows["category_type"] == "all"]
    rows = _crude(rows.assign(period_start=pd.to_datetime(rows["period_start"])), indicator)
    steps = pd.Series(rows["period_start"].unique()).sort_values().diff().dt.days.median()
    unit = _unit(indicator, "month" if not steps > 40 else "quarter")
    base = ProgrammeEvaluation(spec, indicator.name, unit, get_policy(policy).name)
    mine = rows[rows["area_code"].isin(spec.areas)]
    if not mine.empty:  # e.g. a local authority and its LSOAs: evaluate the finest published
        finest = min(mine["area_type"].unique(), key=list(AREA_LEVELS).index)
        mine = mine[mine["area_type"] == finest]
        spec = replace(spec, areas=tuple(sorted(set(mine["area_code"]))))
        base = replace(base, spec=spec)
    if mine.empty:
        return _with(
            base,
            f"No monthly series of {indicator.name} is published for this "
            "programme's areas yet (healthgap indicators series --publish).",
        )
    messages: list[str] = []
    combined = _combine(mine, indicator)
    shown = _protect(mine, combined, indicator, policy)
    hidden = int(shown["suppressed"].sum())
    if hidden:
        messages.append(
            f"{hidden} of {len(shown)} points are hidden to protect small numbers (left out of "
            "the monitoring chart, so its points are not evenly spaced in time)."
        )
    svg, sentence = _monitoring(shown, spec, indicator, unit)
    out = _with(base, *messages, series=shown, monitoring_svg=svg, monitoring_sentence=sentence)
    before = int((combined["period_start"] < pd.Timestamp(spec.start)).sum())
    after = len(combined) - before
    if before < 3 or after < 1:
        return _with(
            out,
            f"The evaluation needs at least 3 points before the start and 1 after"
            f" ({before} before and {after} after are published).",
        )
    out = _did(out, rows, spec, indicator, areas, policy)
    out = _its(out, combined, spec, indicator, policy)
    if inequalities is not None:
        out = _equity(out, inequalities, spec, indicator, areas, published)
    return out


def _with(result: ProgrammeEvaluation, *messages: str, **changes: object) -> ProgrammeEvaluation:
    return replace(result, messages=(*result.messages, *messages), **changes)


def _unit(indicator: Indicator, step: str) -> str:
    """The value's unit in sentences: "per 100,000 people a month" (a monthly rate counts the
    month's events per person registered at its end) or "percentage points"."""
    if indicator.method in RATE_METHODS:
        return f"per {indicator.multiplier:,.0f} people a {step}"
    return "percentage points" if indicator.multiplier == 100 else ""


def _crude(rows: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """`value` as numerator ÷ denominator × multiplier (`monitoring.crude_values`)."""
    return rows.assign(value=crude_values(rows, indicator.multiplier))


def _combine(rows: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """The areas taken together, one row per period: summed counts and their crude value."""
    out = rows.groupby("period_start")[["numerator", "denominator"]].sum().reset_index()
    return _crude(out, indicator)


def _protect(mine: pd.DataFrame, combined: pd.DataFrame, indicator: Indicator, policy: str):
    """The combined series as `monitoring.protect_series` publishes it, protected together
    with the programme's areas as its parts (so no hidden area count can be worked back from
    the total and the others)."""
    total = combined.assign(indicator_id=indicator.id, area_type="programme",
                            area_code=PROGRAMME, method=indicator.method,
                            multiplier=float(indicator.multiplier))  # fmt: skip
    parts = mine[[*total.columns]]
    rows = pd.concat([total, parts], ignore_index=True)
    protected = protect_series(rows, policy, dict.fromkeys(parts["area_code"], PROGRAMME))
    protected = protected[protected["area_code"] == PROGRAMME]
    return protected[["period_start", "numerator", "denominator", "value", "suppressed"]]


def _monitoring(
    shown: pd.DataFrame, spec: ProgrammeSpec, indicator: Indicator, unit: str
) -> tuple[str, str]:
    """The XmR chart of the shown points, rebased at the first point on or after the start."""
    points = shown[~shown["suppressed"] & shown["value"].notna()].reset_index(drop=True)
    if len(points) < 2:
        return "", "Too few points can be shown for a monitoring chart."
    start = pd.Timestamp(spec.start) if spec.start else None
    after = points[points["period_start"] >= start] if start is not None else points.iloc[:0]
    rebase = after["period_start"].iloc[0] if 2 <= len(after) <= len(points) - 2 else None
    chart = spc(
        points,
        "value",
        "period_start",
        rebase=rebase,
        improvement_direction=DIRECTIONS.get(indicator.polarity, "neutral"),
    )
    title = f"{indicator.name[:70]}{'…' if len(indicator.name) > 70 else ''}"
    svg = spc_svg(chart, title=title, width=720)
    means = chart.drop_duplicates("rebase_group")["mean_col"].tolist()
    how = "crude rate: a DSR needs 10 events" if indicator.method == "dsr" else ""
    sentence = f"Mean {number(means[0])} {unit}".rstrip()
    if len(means) > 1:
        sentence = (
            f"Before the start the mean was {number(means[0])}; since the start it is "
            f"{number(means[-1])} ({unit})"
        )
    last = str(chart["point_type"].iloc[-1]).replace("_", " ")
    sentence += f". The latest point shows {last}"
    return svg, sentence + (f" ({how})." if how else ".")


def _small(policy: str, counts: Sequence[float]) -> bool:
    """True when any count is a small number the policy hides."""
    return bool(get_policy(policy).primary(np.asarray(counts, dtype=float)).any())


def relative_change(effect: Effect, level_after: float) -> tuple[float, float, float]:
    """A rate's change as a fraction of the level expected without the programme: (estimate,
    lower, upper) = (β, lower, upper) ÷ (level_after − β), with `level_after` the programme
    areas' mean after the start (the expected level's own uncertainty is ignored). NaN when the
    expected level is not positive."""
    expected = level_after - effect.estimate
    if not expected > 0:
        return (float("nan"),) * 3
    return tuple(float(v / expected) for v in (effect.estimate, effect.lowercl, effect.uppercl))


def _relative(effect: Effect, level_after: float) -> str:
    est, lo, hi = (100 * v for v in relative_change(effect, level_after))
    if np.isnan(est):
        return ""
    word = "lower" if est < 0 else "higher"
    return (
        f"That is {number(abs(est), 0)}% {word} than expected without the programme "
        f"(95% CI {number(lo, 0)}% to {number(hi, 0)}%)."
    )


def _did(
    out: ProgrammeEvaluation,
    rows: pd.DataFrame,
    spec: ProgrammeSpec,
    indicator: Indicator,
    areas: pd.DataFrame,
    policy: str,
) -> ProgrammeEvaluation:
    """DiD against matched comparison areas, with the parallel-trends check and event study."""
    title = "Compared with matched areas (difference-in-differences)"
    types = rows.loc[rows["area_code"].isin(spec.areas), "area_type"].unique()
    pool = rows[rows["area_type"].isin(types) & ~rows["area_code"].isin(spec.areas)]
    if spec.comparator_pool:
        pool = pool[pool["area_code"].isin(spec.comparator_pool)]
    panel = pd.concat([rows[rows["area_code"].isin(spec.areas)], pool], ignore_index=True)
    panel = panel.dropna(subset=["value"]).assign(
        treated=lambda d: d["area_code"].isin(spec.areas),
        post=lambda d: d["period_start"] >= pd.Timestamp(spec.start),
    )
    n_treated = panel.loc[panel["treated"], "area_code"].nunique()
    n_pool = panel.loc[~panel["treated"], "area_code"].nunique()
    k = min(spec.comparators_per_area, n_pool // max(n_treated, 1))
    if k < 1:
        return _with(
            out,
            did=Shown(
                title,
                None,
                f"No comparison areas are published ({n_pool} "
                f"in the pool for {n_treated} programme areas).",
            ),
        )
    units = baseline_of(panel, "value", "area_code", "period_start", "post")
    units = units.merge(panel.drop_duplicates("area_code")[["area_code", "treated"]])
    units["imd_score"] = units["area_code"].map(_imd_scores(areas, units["area_code"]))
    on = ["imd_score", "baseline_level", "baseline_trend"]
    if units["imd_score"].isna().any():
        on = on[1:]
    units = units.dropna(subset=on)
    pairs = match(units, "area_code", "treated", on, k=k)
    chosen = panel[panel["area_code"].isin([*pairs["treated_unit"], *pairs["comparator"]])]
    comparators = tuple(sorted(pairs["comparator"]))
    segments = chosen.groupby(["treated", "post"])["numerator"].sum()
    if _small(policy, segments.to_numpy()):
        return _with(
            out,
            comparators=comparators,
            did=Shown(
                title,
                None,
                "Hidden: too few events in an arm before or after the start to publish.",
            ),
        )
    rate = indicator.method in RATE_METHODS
    try:
        effect = did(
            chosen,
            "value",
            "area_code",
            "period_start",
            "treated",
            "post",
            what="the rate" if rate else "the percentage",
            units=out.unit,
            comparison="the matched comparison areas",
        )
        es = event_study(chosen, "value", "area_code", "period_start", "treated", "post")
    except MODEL_ERRORS as error:
        return _with(out, comparators=comparators, did=Shown(title, None, str(error)))
    after = chosen[chosen["treated"] & chosen["post"]]["value"].mean()
    relative = _relative(effect, after) if rate else ""
    chart = event_study_svg(
        es.assign(time=pd.to_datetime(es["time"])),
        width=720,
        title="Event study: programme minus matched areas",
    )
    return _with(
        out,
        comparators=comparators,
        did=Shown(title, effect, effect.sentence + ".", relative),
        parallel_trends=effect.checks[0],
        event_study_svg=chart,
    )


def _imd_scores(areas: pd.DataFrame, codes: pd.Series) -> dict[str, float]:
    """IMD score per area code: the LSOA's own, or the mean over a wider area's LSOAs."""
    scores: dict[str, float] = {}
    for column in AREA_COLUMNS:
        if column in areas.columns and "imd_score" in areas.columns:
            found = areas[areas[column].isin(codes)].groupby(column)["imd_score"].mean()
            scores.update({c: float(v) for c, v in found.items() if c not in scores})
    return scores


def _its(
    out: ProgrammeEvaluation,
    combined: pd.DataFrame,
    spec: ProgrammeSpec,
    indicator: Indicator,
    policy: str,
) -> ProgrammeEvaluation:
    """Segmented regression of the programme's areas taken together."""
    titles = (
        "Level change at the start (interrupted time series)",
        "Slope change after the start (interrupted time series)",
    )
    data = combined.dropna(subset=["value"])
    post = data["period_start"] >= pd.Timestamp(spec.start)
    monthly = data["period_start"].diff().dt.days.median() < 40
    seasonal = "fourier" if monthly and len(data) >= 24 else None
    if _small(policy, [data.loc[~post, "numerator"].sum(), data.loc[post, "numerator"].sum()]):
        why = "Hidden: too few events before or after the start to publish."
        return _with(
            out, its_level=Shown(titles[0], None, why), its_slope=Shown(titles[1], None, why)
        )
    try:
        result = its(
            data,
            "value",
            "period_start",
            pd.Timestamp(spec.start),
            seasonality=seasonal,
            what="the rate" if indicator.method in RATE_METHODS else "the percentage",
            units=out.unit,
        )
    except MODEL_ERRORS as error:
        return _with(
            out,
            its_level=Shown(titles[0], None, str(error)),
            its_slope=Shown(titles[1], None, str(error)),
        )
    protected = out.series.set_index("period_start")["value"]
    fitted = result.fitted.assign(y=protected.reindex(result.fitted["x"]).to_numpy())
    chart = its_svg(
        replace(result, fitted=fitted), width=720, title="Interrupted time series: programme areas"
    )
    return _with(
        out,
        its_level=Shown(titles[0], result.level_change, result.level_change.sentence + "."),
        its_slope=Shown(titles[1], result.slope_change, result.slope_change.sentence + "."),
        its_svg=chart,
    )


def _equity(
    out: ProgrammeEvaluation,
    inequalities: pd.DataFrame,
    spec: ProgrammeSpec,
    indicator: Indicator,
    areas: pd.DataFrame,
    published: pd.DataFrame | None,
) -> ProgrammeEvaluation:
    """The equity lines (`programme_equity.equity_changes`) as shown estimates."""
    found = equity_changes(inequalities, indicator, spec.areas, spec.start, areas, published)
    if found.message:
        return _with(out, found.message)
    lines = tuple(Shown(title, effect, sentence) for title, effect, sentence in found.lines)
    return _with(out, equity=lines, equity_area=found.area)
