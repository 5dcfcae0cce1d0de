"""Turn aggregated counts into the tidy results table (docs/results.md): each indicator's
statistic with 95% and 99.8% limits from `healthgap.stats`, plus area names and parents.

Columnar from counts to limits, so an England run (28 million counts, 15 million results)
holds no Python object per row: key columns are integer codes (pandas categoricals, as
`aggregate.Rollup.counts(categorical=True)` returns them, or factorised here), the statistics
are `healthgap.stats.arrays` over NumPy columns with a multiplier per row, and strings appear
only as the categories (one per distinct value) until the store writes them
(`store.publish`, in batches).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from healthgap.errors import InputDataError
from healthgap.indicators.definitions import Indicator
from healthgap.stats.arrays import SMALL_COUNT, dsr_arrays, fmt_number, rate_arrays, wilson_arrays

KEYS = ["indicator_id", "period", "area_type", "area_code", "category_type", "category"]
LEVELS = (0.95, 0.998)
LIMITS = ["lowercl", "uppercl", "lower99_8cl", "upper99_8cl"]
COLUMNS = [
    "indicator_id", "indicator_name", "period", "area_type", "area_code", "area_name",
    "parent_code", "category_type", "category", "numerator", "denominator", "value", "lowercl",
    "uppercl", "lower99_8cl", "upper99_8cl", "statistic", "method", "reason", "multiplier",
    "polarity", "target",
]  # fmt: skip
METHODS = ("proportion", "rate", "dsr")
MISSING, ZERO = "numerator or denominator missing", "denominator is zero"
NO_STD = "standard population is zero"


class _Labels:
    """Text columns built as integer codes into a list of labels (one string per label)."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def code(self, label: str) -> int:
        if label not in self.labels:
            self.labels.append(label)
        return self.labels.index(label)

    def column(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=pd.Index(self.labels, dtype=object))


def statistics(counts: pd.DataFrame, indicators: Mapping[str, Indicator]) -> pd.DataFrame:
    """One row per KEYS with value and limits, computed by each indicator's method.

    `counts` has KEYS, `age_band`, `numerator` and `denominator`. Proportions use Wilson
    limits, crude rates Byar/exact Poisson, DSRs Dobson with the indicator's standard
    population (its age bands are summed here, so `age_band` goes: a band with no population
    keeps its weight in W but adds no events or population; a band not in the standard is left
    out). Rows of an indicator not in `indicators` are dropped. The value and limits are
    `healthgap.stats.arrays` on whole columns (every indicator at once, with a multiplier per
    row), so they equal the frame functions' (`proportion`, `rate`, `dsr`) to the last bit.

    Text columns come back as categoricals when `counts`' KEYS are categoricals (the large
    runs), else as plain strings. Rows are ordered by method (proportions, rates, DSRs), then
    as in `counts` (DSR groups in sorted code order).
    """
    codes, cats = {}, {}
    for column in [*KEYS, "age_band"]:
        codes[column], cats[column] = _codes(counts[column])
    known = [indicators.get(ident) for ident in cats["indicator_id"]]
    method_of = np.array([-1 if i is None else METHODS.index(i.method) for i in known] + [-1])
    mult_of = np.array([np.nan if i is None else float(i.multiplier) for i in known] + [np.nan])
    ind = codes["indicator_id"]
    method = method_of[ind]  # code -1 (a missing id) picks the trailing -1
    x = counts["numerator"].to_numpy()
    n = counts["denominator"].to_numpy()
    _check(x, n, method, counts, cats["indicator_id"])

    statistic, reason, method_label = _Labels(), _Labels(), _Labels()
    parts = []
    for which, arrays in ((0, wilson_arrays), (1, rate_arrays)):
        rows = np.flatnonzero(method == which)
        if not len(rows):
            continue
        mult = mult_of[ind[rows]]
        est = arrays(x[rows], n[rows], LEVELS, mult)
        per_ind = np.full(len(mult_of), -1)
        for i in np.unique(ind[rows]):
            per_ind[i] = statistic.code(_label(which, mult_of[i]))
        if which == 0:
            methods = np.full(len(rows), method_label.code("Wilson"))
        else:
            exact, byars = method_label.code("Exact"), method_label.code("Byars")
            methods = np.where(x[rows] < 10, exact, byars)
        why = np.where(est.missing, reason.code(MISSING), np.where(est.zero, reason.code(ZERO), -1))
        parts.append({
            **{c: codes[c][rows] for c in KEYS}, "numerator": x[rows], "denominator": n[rows],
            "value": est.value, **_limits(est), "statistic": per_ind[ind[rows]],
            "method": methods, "reason": why,
        })  # fmt: skip
    dsr_rows = np.flatnonzero(method == 2)
    if len(dsr_rows):
        parts.append(_dsr(dsr_rows, codes, cats, x, n, indicators, statistic, reason, method_label))
    return _frame(parts, cats, known, statistic, reason, method_label, plain=not _is_cat(counts))


def _dsr(
    rows: np.ndarray,
    codes: dict[str, np.ndarray],
    cats: dict[str, pd.Index],
    x: np.ndarray,
    n: np.ndarray,
    indicators: Mapping[str, Indicator],
    statistic: _Labels,
    reason: _Labels,
    method_label: _Labels,
) -> dict[str, np.ndarray]:
    """DSR per KEYS group: the rows summed over age bands in the standard's band order (the
    order the frame-based `dsr` summed them in), every band's weight in W."""
    ind, band = codes["indicator_id"][rows], codes["age_band"][rows]
    weight = np.full((len(cats["indicator_id"]), len(cats["age_band"]) + 1), np.nan)
    position = np.zeros_like(weight)
    total = np.zeros(len(cats["indicator_id"]))
    band_code = {label: i for i, label in enumerate(cats["age_band"])}
    for i, ident in enumerate(cats["indicator_id"]):
        standard = indicators[ident].standard_weights if ident in indicators else {}
        total[i] = sum(standard.values())
        for place, (label, w) in enumerate(standard.items()):
            if label in band_code:
                weight[i, band_code[label]], position[i, band_code[label]] = w, place
    # One sort by (group key, band position): the groups in key order, each group's bands
    # in the standard's order. Keys are mixed-radix numbers of the KEYS codes (+1: missing).
    key = np.zeros(len(rows), dtype=np.int64)
    for column in KEYS:
        key = key * (len(cats[column]) + 1) + (codes[column][rows].astype(np.int64) + 1)
    place = position[ind, band].astype(np.int64)
    order = np.argsort(key * (int(position.max(initial=0)) + 1) + place)
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    group = np.cumsum(np.r_[True, key[1:] != key[:-1]]) - 1
    first = order[starts]  # a row (of `rows`) of each group
    w = weight[ind, band][order]
    valid = ~np.isnan(w) & (n[rows][order] > 0)
    x_in, n_in = x[rows][order], n[rows][order]
    first_ind = ind[first]
    multipliers = [float(indicators[i].multiplier) for i in cats["indicator_id"]]
    mult = np.array(multipliers)[first_ind]
    est = dsr_arrays(
        np.where(valid, x_in, 0), np.where(valid, n_in, 1), np.where(valid, w, 0), group,
        groups=len(first), standard_total=total[first_ind], levels=LEVELS, multiplier=mult,
    )  # fmt: skip
    pop = np.bincount(group, weights=np.where(valid, n_in, 0), minlength=len(first))
    per_ind = np.full(len(multipliers), -1)
    for i in np.unique(first_ind):
        per_ind[i] = statistic.code(f"dsr per {fmt_number(multipliers[i])}")
    label = per_ind[first_ind]
    return {
        **{c: codes[c][rows[first]] for c in KEYS}, "numerator": est.count, "denominator": pop,
        "value": est.value, **_limits(est),
        "statistic": np.where(est.small, statistic.code(SMALL_COUNT), label),
        "method": np.full(len(first), method_label.code("Dobson")),
        "reason": np.where(
            est.small, reason.code(SMALL_COUNT), np.where(est.no_std, reason.code(NO_STD), -1)
        ),
    }  # fmt: skip


def _frame(
    parts: list[dict[str, np.ndarray]],
    cats: dict[str, pd.Index],
    known: Sequence[Indicator | None],
    statistic: _Labels,
    reason: _Labels,
    method_label: _Labels,
    *,
    plain: bool,
) -> pd.DataFrame:
    """The results frame from the parts' code and number arrays."""

    def joined(name: str) -> np.ndarray:  # each part's array is freed once it is copied
        return np.concatenate([p.pop(name) for p in parts]) if parts else np.array([], np.int8)

    out = {c: pd.Categorical.from_codes(joined(c), categories=cats[c]) for c in KEYS}
    numbers = ["numerator", "denominator", "value", *LIMITS]
    out.update({c: joined(c) if parts else np.array([], dtype="float64") for c in numbers})
    out["statistic"] = statistic.column(joined("statistic"))
    out["method"] = method_label.column(joined("method"))
    out["reason"] = reason.column(joined("reason"))
    ind = out["indicator_id"].codes
    fields = {
        "multiplier": [np.nan if i is None else float(i.multiplier) for i in known],
        "target": [np.nan if i is None or i.target is None else i.target.value for i in known],
    }
    for column, values in fields.items():
        out[column] = np.asarray([*values, np.nan], dtype="float64")[ind]
    for column, get in (("polarity", "polarity"), ("indicator_name", "name")):
        labels = _Labels()
        per_ind = np.array([labels.code(getattr(i, get)) if i else -1 for i in known] + [-1])
        out[column] = labels.column(per_ind[ind])
    frame = pd.DataFrame(out, copy=False)
    return _plain(frame) if plain else frame


def _limits(est: object) -> dict[str, np.ndarray]:
    lower, upper = est.lower, est.upper  # type: ignore[attr-defined]
    return dict(zip(LIMITS, [lower[0], upper[0], lower[1], upper[1]], strict=True))


def _label(method: int, multiplier: float) -> str:
    """The `statistic` of a proportion (method 0) or a rate (1), as the frame functions say."""
    if method == 1:
        return f"rate per {fmt_number(multiplier)}"
    return "percentage" if multiplier == 100 else f"proportion of {fmt_number(multiplier)}"


def _check(
    x: np.ndarray, n: np.ndarray, method: np.ndarray, counts: pd.DataFrame, ids: pd.Index
) -> None:
    """Negative counts, or a proportion's numerator above its denominator, are input errors."""
    bad = (method >= 0) & ((x < 0) | (n < 0) | ((method == 0) & (x > n)))
    if bad.any():
        rows = counts.iloc[np.flatnonzero(bad)[:5]]
        raise InputDataError(
            "Counts must not be negative, and a proportion's numerator must not exceed its"
            f" denominator; {int(bad.sum())} row(s) break this",
            offenders=[tuple(r) for r in rows[KEYS].itertuples(index=False)],
        )


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and the distinct values they index."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories
    codes, uniques = pd.factorize(column)
    return codes, pd.Index(uniques)


def _is_cat(frame: pd.DataFrame) -> bool:
    return all(isinstance(frame[c].dtype, pd.CategoricalDtype) for c in KEYS)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain text (what small, frame-based callers expect)."""
    cat = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(cat, "str"))


def with_areas(results: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Add `area_name` and `parent_code` (the next level up holding most of the area's LSOAs;
    ties go to the smallest parent code, as `Series.mode` orders them). A categorical
    `area_code` is mapped through its categories (one lookup per area, not per row)."""
    names, parents = {}, {}
    chain = ["lsoa21", "msoa21", "lad24", "icb24", "region24", "england"]
    frame = areas.assign(england="E92000001", england_name="England")
    for level, parent in zip(chain, [*chain[1:], None], strict=True):
        names.update(dict(zip(frame[level], frame[f"{level}_name"], strict=True)))
        if parent is not None:
            sizes = frame.groupby([level, parent]).size().rename("lsoas").reset_index()
            sizes = sizes.sort_values([level, "lsoas", parent], ascending=[True, False, True])
            main = sizes.drop_duplicates(level)
            parents.update(zip(main[level], main[parent], strict=True))
    code = results["area_code"]
    out = results.assign(area_name=_lookup(code, names), parent_code=_lookup(code, parents))
    return out.reindex(columns=COLUMNS)


def _lookup(column: pd.Series, mapping: Mapping[str, str]) -> pd.Series | pd.Categorical:
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.map(mapping)
    mapped = pd.Series(column.cat.categories.map(mapping), dtype=object)
    inner, values = pd.factorize(mapped)
    codes = column.cat.codes.to_numpy()
    outer = np.where(codes >= 0, inner[np.maximum(codes, 0)], -1) if len(inner) else codes
    return pd.Categorical.from_codes(outer, categories=pd.Index(values, dtype=object))
