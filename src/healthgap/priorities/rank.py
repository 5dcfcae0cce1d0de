"""`prioritise`: rank indicator × area × group rows by their potential to benefit.

Pipeline (docs/priorities.md):
1. rows of the chosen area level (default lsoa21), latest period of each indicator;
2. each area's *pool*: the same indicator, period and group in its parent area (the nearest
   ancestor above neighbourhood level, found by following `parent_code` through the results,
   or the `within` level);
3. empirical-Bayes stabilisation within each pool (`smoothing.py`);
4. the benchmark: the catalogue target, else the best IMD quintile of the nearest ancestor (the
   pool's area first, then upwards to England) that has IMD rows (`headroom.py`);
5. headroom on the stabilised value, with MOVER limits;
6. Core20, PLUS and Core20PLUS5 flags (`segments.py`), a sentence per row (`explain.py`);
7. ranked (docs/priorities.md, "Ranking"): by default within each indicator, since
   indicators count different things (people reached, events avoided); `view="combined"`
   ranks across indicators on a unit-free score, the headroom's share of the indicator's
   total headroom at that level × a user weight. An area is ranked by its "Everyone" row (or,
   without one, its largest group) and its groups are nested under it (`group_rank`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError, InputDataError
from healthgap.indicators import Indicator, load_catalogue
from healthgap.indicators.store import Results
from healthgap.priorities.explain import explain, group_label
from healthgap.priorities.headroom import (
    KEYS,
    best_quintile,
    ceiling,
    exposure,
    headroom,
    imd_quintiles,
)
from healthgap.priorities.segments import (
    CLINICAL_AREAS,
    clinical_area,
    core20_flags,
    plus_group_flags,
)
from healthgap.priorities.smoothing import (
    MIN_AREAS,
    beta_binomial_prior,
    beta_posterior,
    gamma_posterior,
    poisson_gamma_prior,
)
from healthgap.stats.inputs import require_columns

NEIGHBOURHOODS = ("lsoa21", "msoa21")
AREA_CATEGORY_TYPES = ("imd_decile", "imd_quintile", "core20")
"""Breakdowns that only restate a neighbourhood's own deprivation; left out at those levels."""
REQUIRED = (
    "indicator_id", "period", "area_type", "area_code", "area_name", "parent_code",
    "category_type", "category", "numerator", "denominator", "value", "lowercl", "uppercl",
)  # fmt: skip
COLUMNS = [
    "rank", "group_rank", "indicator_id", "indicator_name", "period", "area_type", "area_code",
    "area_name", "parent_code", "category_type", "category", "group", "numerator",
    "denominator", "value", "lowercl", "uppercl", "smoothed_value", "smoothed_lowercl",
    "smoothed_uppercl", "benchmark_value", "benchmark_source", "headroom", "headroom_lowercl",
    "headroom_uppercl", "unit", "share", "weight", "score", "core20", "plus_group",
    "core20plus5", "explanation",
]  # fmt: skip
"""The `priorities.parquet` columns (docs/results.md)."""
_GROUP = ["indicator_id", "period", "category_type", "category"]
VIEWS = ("indicator", "combined")
"""Ranking views: within each indicator (default), or across indicators on a weighted share."""
UNITS = {"proportion": "people", "rate": "events", "dsr": "events"}
MAX_DEPTH = 16
"""Ancestors followed at most (England's hierarchy has 7 levels; guards against cycles)."""


def prioritise(
    results: pd.DataFrame | Results,
    catalogue: Mapping[str, Indicator] | None = None,
    *,
    level: str = "lsoa21",
    top: int | None = None,
    indicators: Sequence[str] | None = None,
    period: str | None = None,
    category_types: Sequence[str] | None = None,
    within: str | None = None,
    core20: pd.DataFrame | None = None,
    plus_groups: Iterable[tuple[str, str]] | None = None,
    clinical_areas: Mapping[str, str | None] = CLINICAL_AREAS,
    min_areas: int = MIN_AREAS,
    view: str = "indicator",
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Indicator × period × area × group rows ranked by potential to benefit.

    results: the `results` table of a store (docs/results.md) or a `Results` version.
    catalogue: id -> Indicator (default: the shipped catalogue); gives name, method,
    multiplier, polarity and target. Indicators with polarity `no_judgement` (recorded
    prevalence) have no direction, so no headroom, and are left out.
    level: the area type ranked (lsoa21, msoa21, or a wider one such as lad24).
    top: keep the first `top` rows. indicators: ids to rank (default: all in the results).
    period: the period label (default: each indicator's latest).
    category_types: breakdowns ranked (default: all present, except at lsoa21/msoa21 the
    ones that restate the area's deprivation: imd_decile, imd_quintile, core20).
    within: area type of the pools and of the first benchmark area (default: each area's
    nearest ancestor above neighbourhood level; the whole run when the results have none).
    core20: frame of area_code, core20 (default: `segments.core20_flags(level)`, IMD 2025).
    plus_groups: locally agreed (category_type, category) PLUS groups (default: the
    significantly-worse ethnic minority rule, `segments.plus_group_flags`).
    clinical_areas: indicator id -> Core20PLUS5 clinical area.
    min_areas: the fewest areas with data a pool needs to be stabilised.
    view: "indicator" (default) ranks areas within each indicator by headroom; "combined"
    ranks all indicators' areas together by score = weight × share, where share is the row's
    headroom over the indicator's total headroom of its "Everyone" rows at this level.
    weights: indicator id -> weight for the combined view (default 1 each; must be >= 0).
    top: keep the first `top` areas (per indicator in the indicator view), with their groups.

    Returns the `priorities.parquet` columns (`COLUMNS`): `rank` is the area's rank (1 =
    greatest potential to benefit, within its indicator unless view="combined"), `group_rank`
    0 for the area's Everyone row and 1, 2, ... for its groups by headroom; `unit` says
    whether headroom counts people or events. Rows without a headroom (no benchmark, no value,
    no_judgement) are left out.
    """
    fn = "prioritise"
    table = results.table("results") if isinstance(results, Results) else results
    require_columns(table, REQUIRED, fn)
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ArgumentError(f"{fn}: top must be a positive whole number, got {top!r}")
    if view not in VIEWS:
        raise ArgumentError(f"{fn}: view must be one of {', '.join(VIEWS)}; got {view!r}.")
    weights = _weights(weights, fn)
    catalogue = load_catalogue() if catalogue is None else catalogue
    rows = _select(table, catalogue, level, indicators, period, category_types)
    meta = _metadata(rows, catalogue)
    rows = rows.assign(**meta)
    types, codes = _ancestors(table, rows["parent_code"])
    pool_depth = _pool_depth(types, len(rows), level, within)
    pool_code = _pick(codes, pool_depth)
    rows = _stabilise(rows, pool_code, min_areas)
    rows = _benchmark(rows, table, catalogue, codes, pool_depth)
    x, n, k = (rows[c].to_numpy(float) for c in ("numerator", "denominator", "multiplier"))
    method, polarity = rows["method"].to_numpy(object), rows["polarity"].to_numpy(object)
    h = headroom(
        *(
            rows[c].to_numpy(float)
            for c in (
                "smoothed_value",
                "smoothed_lowercl",
                "smoothed_uppercl",
                "benchmark_value",
                "benchmark_lowercl",
                "benchmark_uppercl",
            )
        ),
        exposure(method, x, n, rows["value"].to_numpy(float), k),
        k,
        polarity,
        ceiling(x, n, method, polarity),
    )
    rows = rows.assign(headroom=h[0], headroom_lowercl=h[1], headroom_uppercl=h[2])
    rows = rows[rows["headroom"].notna()]
    rows = _segments(rows, table, level, core20, plus_groups, clinical_areas)
    rows = rows.assign(
        explanation=explain(rows),
        unit=rows["method"].map(UNITS).fillna("events"),
        group=_group_names(rows),
    )
    out = _rank(rows, view, weights)[COLUMNS].reset_index(drop=True)
    return out if top is None else out[out["rank"] <= top].reset_index(drop=True)


def _weights(weights: Mapping[str, float] | None, fn: str) -> dict[str, float]:
    checked = dict(weights or {})
    bad = {k: w for k, w in checked.items() if not (isinstance(w, int | float) and w >= 0)}
    if bad or any(np.isnan(float(w)) for w in checked.values() if isinstance(w, int | float)):
        raise ArgumentError(f"{fn}: weights must be numbers >= 0; got {bad or checked!r}.")
    return {k: float(w) for k, w in checked.items()}


def _group_names(rows: pd.DataFrame) -> pd.Series:
    """A readable group: "Everyone", "Black ethnic group", "aged 65-69", "Female"."""
    label = group_label(rows["category_type"], rows["category"])
    label = label.str.removeprefix(" (").str.removesuffix(")")
    return label.where(rows["category_type"].ne("all"), "Everyone")


def _rank(rows: pd.DataFrame, view: str, weights: Mapping[str, float]) -> pd.DataFrame:
    """Areas ranked (within indicator, or combined by score), groups nested under each area.

    share = headroom / T, T = the indicator's total headroom over its Everyone rows at this
    level (over all its rows when none is ranked); score = weight × share. An area's key is its
    Everyone row, else its largest group; ties go to the larger lower limit, then indicator
    and area code, so the order is reproducible."""
    everyone = rows["category_type"].eq("all")
    by_indicator = rows.groupby("indicator_id")["headroom"]
    total = rows["headroom"].where(everyone, 0.0).groupby(rows["indicator_id"]).transform("sum")
    total = total.where(total > 0, by_indicator.transform("sum"))
    share = (rows["headroom"] / total).where(total > 0, 0.0)
    ids = rows["indicator_id"]
    weight = ids.map(pd.Series({i: weights.get(i, 1.0) for i in ids.unique()}, dtype=float))
    weight = weight.astype(float)
    rows = rows.assign(share=share, weight=weight, score=weight * share, _all=everyone)
    key = "headroom" if view == "indicator" else "score"
    area = ["indicator_id", "period", "area_code"]
    lead = rows.sort_values(
        [*area, "_all", key, "headroom_lowercl"], ascending=[True, True, True, False, False, False]
    ).drop_duplicates(area)
    within = ["indicator_id"] if view == "indicator" else []
    lead = lead.sort_values(
        [*within, key, "headroom_lowercl", "indicator_id", "area_code"],
        ascending=[*([True] * len(within)), False, False, True, True],
        kind="stable",
    )
    counter = lead.groupby(within, sort=False).cumcount() if within else np.arange(len(lead))
    ranks = lead[area].assign(rank=np.asarray(counter) + 1)
    rows = rows.merge(ranks, on=area, how="left")
    rows = rows.sort_values(
        [*within, "rank", "_all", "headroom", "headroom_lowercl", "category_type", "category"],
        ascending=[*([True] * len(within)), True, False, False, False, True, True],
        kind="stable",
    )
    group_rank = rows.groupby(area, sort=False).cumcount().to_numpy()
    has_all = rows.groupby(area, sort=False)["_all"].transform("any").to_numpy()
    return rows.assign(group_rank=np.where(has_all, group_rank, group_rank + 1))


def _select(
    table: pd.DataFrame,
    catalogue: Mapping[str, Indicator],
    level: str,
    indicators: Sequence[str] | None,
    period: str | None,
    category_types: Sequence[str] | None,
) -> pd.DataFrame:
    levels = sorted(table["area_type"].dropna().unique())
    if level not in levels:
        raise ArgumentError(
            f"prioritise: the results have no {level!r} rows; area types present: "
            f"{', '.join(levels) or 'none'}."
        )
    rows = table[table["area_type"] == level]
    present = sorted(rows["indicator_id"].unique())
    wanted = present if indicators is None else list(indicators)
    unknown = [i for i in wanted if i not in present]
    if unknown:
        raise ArgumentError(
            f"prioritise: no {level} results for indicator(s) {', '.join(unknown)}; "
            f"the results have: {', '.join(present)}."
        )
    uncatalogued = [i for i in wanted if i not in catalogue]
    if uncatalogued:
        raise ArgumentError(
            f"prioritise: indicator(s) {', '.join(uncatalogued)} are not in the catalogue, so "
            "their polarity and target are unknown."
        )
    rows = rows[rows["indicator_id"].isin(wanted)]
    if period is None:
        latest = rows.groupby("indicator_id")["period"].transform("max")
        rows = rows[rows["period"] == latest]
    else:
        if not (rows["period"] == period).any():
            have = ", ".join(sorted(rows["period"].unique()))
            raise ArgumentError(f"prioritise: no results for period {period!r}; have: {have}.")
        rows = rows[rows["period"] == period]
    if category_types is None:
        skip = AREA_CATEGORY_TYPES if level in NEIGHBOURHOODS else ()
        rows = rows[~rows["category_type"].isin(skip)]
    else:
        rows = rows[rows["category_type"].isin(list(category_types))]
    return rows.reset_index(drop=True)


def _metadata(rows: pd.DataFrame, catalogue: Mapping[str, Indicator]) -> dict[str, pd.Series]:
    ids = rows["indicator_id"]
    get = {
        "indicator_name": lambda i: i.name,
        "method": lambda i: i.method,
        "polarity": lambda i: i.polarity,
        "multiplier": lambda i: float(i.multiplier),
        "target": lambda i: np.nan if i.target is None else float(i.target.value),
    }
    meta = {name: ids.map({k: f(v) for k, v in catalogue.items()}) for name, f in get.items()}
    if "multiplier" in rows.columns:
        clash = rows["multiplier"].notna() & (rows["multiplier"] != meta["multiplier"])
        if clash.any():
            raise InputDataError(
                "prioritise: the results' multiplier differs from the catalogue's; rerun "
                "`healthgap indicators run`",
                offenders=sorted(set(rows.loc[clash, "indicator_id"])),
            )
    return meta


def _ancestors(
    table: pd.DataFrame, parents: pd.Series
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Area type and code of each row's ancestors, nearest first, by following parent_code."""
    areas = table.drop_duplicates("area_code").set_index("area_code")
    types, codes = [], []
    current = parents.astype(object).where(parents.notna(), None)
    for _ in range(MAX_DEPTH):
        kinds = current.map(areas["area_type"])
        if kinds.isna().all():
            break
        types.append(kinds.to_numpy(object))
        codes.append(current.to_numpy(object))
        current = current.map(areas["parent_code"])
        current = current.astype(object).where(current.notna(), None)
    return types, codes


def _pool_depth(types: list[np.ndarray], size: int, level: str, within: str | None) -> np.ndarray:
    """Index of each row's pool ancestor (−1: none, the whole run is the pool)."""
    depth = np.full(size, -1)
    for step, kinds in enumerate(types):
        if within is None:
            fits = pd.notna(kinds) & ~np.isin(kinds, [level, *NEIGHBOURHOODS])
        else:
            fits = kinds == within
        depth = np.where((depth < 0) & fits, step, depth)
    if within is not None and (depth < 0).any():
        found = sorted(pd.Series(np.concatenate(types) if types else []).dropna().unique())
        raise ArgumentError(
            f"prioritise: {(depth < 0).sum()} rows have no {within!r} ancestor in the results "
            f"(following parent_code); ancestor levels found: {', '.join(found) or 'none'}."
        )
    return depth


def _pick(codes: list[np.ndarray], depth: np.ndarray) -> np.ndarray:
    stacked = np.vstack(codes) if codes else np.empty((0, len(depth)), dtype=object)
    out = np.full(len(depth), "", dtype=object)
    has = depth >= 0
    out[has] = stacked[depth[has], np.nonzero(has)[0]]
    return out


def _stabilise(rows: pd.DataFrame, pool_code: np.ndarray, min_areas: int) -> pd.DataFrame:
    """Stabilised value and limits; rows not smoothed keep their observed value and limits.

    Proportions use the beta-binomial model, rates and DSRs the Poisson–gamma model; pools are
    indicator × period × group × pool area, so each pool has one method."""
    x, n = rows["numerator"].to_numpy(float), rows["denominator"].to_numpy(float)
    k, value = rows["multiplier"].to_numpy(float), rows["value"].to_numpy(float)
    method = rows["method"].to_numpy(object)
    keys = rows[_GROUP].assign(_pool=pool_code)
    pool = keys.groupby([*_GROUP, "_pool"], sort=False, dropna=False).ngroup().to_numpy()
    mean, low, high = (np.full(len(rows), np.nan) for _ in range(3))
    prop = method == "proportion"
    if prop.any():
        prior = beta_binomial_prior(x[prop], n[prop], pool[prop], min_areas=min_areas)
        mean[prop], low[prop], high[prop] = beta_posterior(x[prop], n[prop], prior.a, prior.b)
    if (~prop).any():
        e = _exposure(x[~prop], n[~prop], k[~prop], value[~prop], method[~prop], pool[~prop])
        prior = poisson_gamma_prior(x[~prop], e, pool[~prop], min_areas=min_areas)
        mean[~prop], low[~prop], high[~prop] = gamma_posterior(x[~prop], e, prior.a, prior.b)
    smoothed = np.isfinite(mean) & np.isfinite(value)
    return rows.assign(
        smoothed=smoothed,
        smoothed_value=np.where(smoothed, mean * k, value),
        smoothed_lowercl=np.where(smoothed, low * k, rows["lowercl"].to_numpy(float)),
        smoothed_uppercl=np.where(smoothed, high * k, rows["uppercl"].to_numpy(float)),
    )


def _exposure(
    x: np.ndarray, n: np.ndarray, k: np.ndarray, value: np.ndarray, method: np.ndarray,
    pool: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Exposure for the Poisson–gamma model: the population for a crude rate; for a DSR the
    standardised exposure E = x·k/DSR (so x/E·k is the DSR), and for areas with no events
    n × the pool's ΣE/Σn over areas with events."""
    dsr = method == "dsr"
    with np.errstate(divide="ignore", invalid="ignore"):
        standardised = np.where(dsr & (x > 0) & (value > 0), x * k / value, np.nan)
    known = np.isfinite(standardised)
    size = int(pool.max()) + 1 if len(pool) else 0
    total_e = np.bincount(pool, np.where(known, standardised, 0), minlength=size)[pool]
    total_n = np.bincount(pool, np.where(known, n, 0), minlength=size)[pool]
    with np.errstate(divide="ignore", invalid="ignore"):
        filled = np.where(known, standardised, n * total_e / total_n)
    return np.where(dsr, filled, n)


def _benchmark(
    rows: pd.DataFrame,
    table: pd.DataFrame,
    catalogue: Mapping[str, Indicator],
    codes: list[np.ndarray],
    pool_depth: np.ndarray,
) -> pd.DataFrame:
    """The target where the catalogue sets one, else the best IMD quintile of the nearest
    ancestor with IMD rows, starting from the pool's area."""
    methods = {k: v.method for k, v in catalogue.items()}
    polarity = {k: v.polarity for k, v in catalogue.items()}
    best = best_quintile(imd_quintiles(table, methods), polarity).set_index(KEYS)
    found = pd.DataFrame(
        index=rows.index, columns=["value", "lowercl", "uppercl", "source"], dtype=object
    )
    start = np.maximum(pool_depth, 0)
    for step, code in enumerate(codes):
        look = pd.MultiIndex.from_arrays([rows["indicator_id"], rows["period"], code])
        hit = best.reindex(look)
        take = found["value"].isna().to_numpy() & (step >= start) & hit["value"].notna().to_numpy()
        source = "best IMD quintile (" + hit["quintile"].astype("Int64").astype(str) + ") of "
        source = source + hit["area_name"].astype(str)
        for column, values in (("value", hit["value"]), ("lowercl", hit["lowercl"]),
                               ("uppercl", hit["uppercl"]), ("source", source)):  # fmt: skip
            found.loc[take, column] = values.to_numpy(object)[take]
    target = rows["target"].to_numpy(float)
    has_target = np.isfinite(target)
    return rows.assign(
        benchmark_value=np.where(has_target, target, found["value"].to_numpy(float)),
        benchmark_lowercl=np.where(has_target, target, found["lowercl"].to_numpy(float)),
        benchmark_uppercl=np.where(has_target, target, found["uppercl"].to_numpy(float)),
        benchmark_source=np.where(has_target, "target", found["source"].to_numpy(object)),
    )


def _segments(
    rows: pd.DataFrame,
    table: pd.DataFrame,
    level: str,
    core20: pd.DataFrame | None,
    plus_groups: Iterable[tuple[str, str]] | None,
    clinical_areas: Mapping[str, str | None],
) -> pd.DataFrame:
    flags = core20_flags(level) if core20 is None else core20
    require_columns(flags, ["area_code", "core20"], "prioritise (core20)")
    lookup = flags.drop_duplicates("area_code").set_index("area_code")["core20"]
    overall = table[table["category_type"] == "all"].drop_duplicates(KEYS).set_index(KEYS)
    index = pd.MultiIndex.from_frame(rows[KEYS])
    rows = rows.assign(
        core20=rows["area_code"].map(lookup).astype("boolean"),
        overall_value=overall["value"].reindex(index).to_numpy(float),
        core20plus5=clinical_area(rows["indicator_id"], clinical_areas),
    )
    return rows.assign(plus_group=plus_group_flags(rows, plus_groups))
