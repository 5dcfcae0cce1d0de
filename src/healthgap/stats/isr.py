"""Indirectly standardised ratios and rates (PHEindicatormethods 2.1.0 `calculate_ISRatio`,
`calculate_ISRate`).

Observed events O in each group are compared with the events E expected if the group had the
reference population's age-specific rates: E = Σᵢ x_refᵢ / n_refᵢ · nᵢ.

References
----------
Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, vol II: The Design and Analysis
of Cohort Studies*. IARC Scientific Publications 82, p. 69 (Byar's approximation). Armitage P,
Berry G, Matthews JNS (2002). *Statistical Methods in Medical Research*, 4th ed., Blackwell
(exact Poisson limits). Ulm K (1990). Am J Epidemiol 131(2):373-375. PHE (2018) *Technical Guide:
Confidence Intervals*, section 5 (standardised ratios).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats._frame import (
    Frame,
    as_pandas,
    finish,
    float_array,
    fmt_number,
    normalise_group_by,
    reasons,
)
from healthgap.stats._intervals import poisson_limits
from healthgap.stats._standardise import GroupIndex, require_positive
from healthgap.stats._validate import (
    Confidence,
    parse_confidence,
    reject_rows,
    require_columns,
    require_numeric,
)

Reference = str | Sequence[float] | np.ndarray


def isratio(
    data: Frame,
    numerator: str,
    denominator: str,
    ref_numerator: Reference,
    ref_denominator: Reference,
    *,
    group_by: str | Sequence[str] | None = None,
    refpoptype: str = "vector",
    confidence: float | Sequence[float] = 0.95,
    refvalue: float = 1,
    observed_totals: Frame | None = None,
) -> Frame:
    """Indirectly standardised ratio O/E · refvalue per group (an SMR when refvalue is 100).

    E = Σᵢ x_refᵢ/n_refᵢ · nᵢ over the group's rows (a missing x_ref or n counts as 0, so a
    band with population 0 adds nothing); O = Σ xᵢ (missing ignored), or the group's row of
    `observed_totals`. Limits are those of the Poisson count O divided by E, times refvalue:
    exact (χ²) below 10 ("Exact"), Byar's approximation from 10 ("Byars"); no suppression.

    `refpoptype="vector"`: `ref_numerator` and `ref_denominator` are sequences matched to the
    rows of each group **by position** (every group has len(ref) rows, in the same band order).
    `refpoptype="field"`: they name columns of `data`.

    `observed_totals` (a data frame) gives O per group when `data` has populations only; it holds
    the `numerator` column plus the grouping columns it shares with `data`, which it is joined on.
    A group missing from it gets NA with a reason.

    Returns the group columns, `observed`, `expected`, `value`, the CI columns, `confidence`,
    `statistic` ("indirectly standardised ratio x 1"), `method` and `reason`.

    Example: O = 25 with bands (x_ref, n_ref, n) = (10, 1000, 1000), (50, 1000, 200) gives
    E = 10/1000·1000 + 50/1000·200 = 20 and a ratio of 25/20 = 1.25.
    """
    fn = "isratio"
    require_positive(refvalue, "refvalue", fn)
    counts = _observed_expected(
        fn, data, numerator, denominator, ref_numerator, ref_denominator,
        group_by, refpoptype, confidence, observed_totals,
    )  # fmt: skip
    scale = np.full(counts.index.count, float(refvalue))
    statistic = f"indirectly standardised ratio x {fmt_number(refvalue)}"
    return counts.back(_finish(counts, scale, statistic))


def isr(
    data: Frame,
    numerator: str,
    denominator: str,
    ref_numerator: Reference,
    ref_denominator: Reference,
    *,
    group_by: str | Sequence[str] | None = None,
    refpoptype: str = "vector",
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    observed_totals: Frame | None = None,
) -> Frame:
    """Indirectly standardised rate per `multiplier`: O/E times the reference crude rate.

    ref_rate = Σ x_ref / Σ n_ref · multiplier over the group's rows (missing x_ref ignored);
    value = O/E · ref_rate and limits = Poisson limits of O (exact below 10, Byar's from 10)
    / E · ref_rate. O, E, the reference modes and `observed_totals` are as in `isratio`.

    Returns the group columns, `observed`, `expected`, `ref_rate`, `value`, the CI columns,
    `confidence`, `statistic` ("indirectly standardised rate per 100000"), `method` ("Exact" or
    "Byars") and `reason`.

    Example: the `isratio` example with Σ x_ref / Σ n_ref = 60/2000 gives a reference rate of
    3000 per 100,000 and 1.25 · 3000 = 3750 per 100,000.
    """
    fn = "isr"
    require_positive(multiplier, "multiplier", fn)
    counts = _observed_expected(
        fn, data, numerator, denominator, ref_numerator, ref_denominator,
        group_by, refpoptype, confidence, observed_totals,
    )  # fmt: skip
    ref_rate = counts.ref_count / counts.ref_pop * multiplier
    statistic = f"indirectly standardised rate per {fmt_number(multiplier)}"
    return counts.back(_finish(counts, ref_rate, statistic, ref_rate=ref_rate))


class _Counts(NamedTuple):
    """Per-group observed and expected counts and reference totals, plus what `_finish` needs."""

    index: GroupIndex
    observed: np.ndarray
    expected: np.ndarray
    ref_count: np.ndarray
    ref_pop: np.ndarray
    conf: Confidence
    back: Callable[[pd.DataFrame], Frame]


def _observed_expected(
    fn: str,
    data: Frame,
    numerator: str,
    denominator: str,
    ref_numerator: Reference,
    ref_denominator: Reference,
    group_by: str | Sequence[str] | None,
    refpoptype: str,
    confidence: float | Sequence[float],
    observed_totals: Frame | None,
) -> _Counts:
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    conf = parse_confidence(confidence, fn)
    if refpoptype not in ("vector", "field"):
        raise ArgumentError(f"{fn}: valid values for refpoptype are vector and field")
    field = refpoptype == "field"
    own_x = numerator if observed_totals is None else None
    ref_columns = [ref_numerator, ref_denominator] if field else []
    require_columns(df, [own_x, denominator, *ref_columns, *groups], fn)
    require_numeric(df, [own_x, denominator, *ref_columns], fn)

    n = float_array(df[denominator])
    reject_rows(n < 0, df, f"{fn}: denominators must all be greater than or equal to zero")
    index = GroupIndex.of(df, groups)
    if field:
        x_ref, n_ref = float_array(df[ref_numerator]), float_array(df[ref_denominator])
        _check_reference(fn, x_ref, n_ref, "row", df.index)
    else:
        x_ref, n_ref = _by_position(fn, index, ref_numerator, ref_denominator)

    expected = index.sum(np.nan_to_num(x_ref) / n_ref * np.nan_to_num(n))
    if observed_totals is None:
        x = float_array(df[numerator])
        reject_rows(x < 0, df, f"{fn}: numerators must all be greater than or equal to zero")
        observed = index.sum(np.nan_to_num(x))
    else:
        observed = _join_totals(fn, observed_totals, numerator, df, groups, index)
    ref_count = index.sum(np.nan_to_num(x_ref))
    return _Counts(index, observed, expected, ref_count, index.sum(n_ref), conf, back)


def _by_position(
    fn: str, index: GroupIndex, ref_numerator: Reference, ref_denominator: Reference
) -> tuple[np.ndarray, np.ndarray]:
    """Expand reference vectors to rows: row k of each group gets element k."""
    x_ref = _vector(fn, "ref_numerator", ref_numerator)
    n_ref = _vector(fn, "ref_denominator", ref_denominator)
    if len(x_ref) != len(n_ref):
        raise ArgumentError(
            f"{fn}: ref_numerator ({len(x_ref)} values) and ref_denominator ({len(n_ref)}"
            " values) must have the same length"
        )
    _check_reference(fn, x_ref, n_ref, "position", range(len(x_ref)))
    sizes = index.sizes()
    if sizes.size and (sizes != sizes[0]).any():
        wrong = sizes != len(x_ref)
        raise InputDataError(
            f"{fn}: data must contain the same number of rows for each group (one per element"
            f" of the reference vectors, {len(x_ref)})",
            offenders=[
                (*group, f"{size} rows")
                for group, size in zip(index.names(wrong), sizes[wrong], strict=True)
            ],
        )
    if sizes.size and sizes[0] != len(x_ref):
        raise ArgumentError(
            f"{fn}: ref_numerator length must equal number of rows in each group within data"
            f" ({len(x_ref)} reference values; each group has {sizes[0]} rows)"
        )
    order = np.argsort(index.codes, kind="stable")  # rows grouped, in data order within groups
    starts = np.cumsum(sizes) - sizes
    position = np.empty(len(order), dtype=np.intp)
    position[order] = np.arange(len(order)) - starts[index.codes[order]]
    return x_ref[position], n_ref[position]


def _vector(fn: str, name: str, values: Reference) -> np.ndarray:
    if isinstance(values, str):
        raise ArgumentError(
            f"{fn}: with refpoptype='vector', {name} must be a sequence of numbers, one per row"
            f" of each group (use refpoptype='field' for a column name such as {values!r})"
        )
    raw = pd.Series(np.asarray(values, dtype=object))
    coerced = pd.to_numeric(raw, errors="coerce")
    if (coerced.isna() & raw.notna()).any():
        raise ArgumentError(f"{fn}: {name} must contain only numbers")
    return coerced.to_numpy(dtype="float64", na_value=np.nan)


def _check_reference(
    fn: str, x_ref: np.ndarray, n_ref: np.ndarray, word: str, labels: Sequence[object]
) -> None:
    """Reference counts must not be negative; reference populations must be above zero.

    PHE does not check these; a zero or missing reference population would make E infinite or
    NA for every group, so it is rejected here, naming the rows (or vector positions).
    """
    for mask, message in (
        (x_ref < 0, "reference numerators must all be greater than or equal to zero"),
        (~(n_ref > 0), "reference denominators must all be present and greater than zero"),
    ):
        if mask.any():
            raise InputDataError(
                f"{fn}: {message}", offenders=[f"{word} {labels[i]}" for i in np.flatnonzero(mask)]
            )


def _join_totals(
    fn: str,
    observed_totals: Frame,
    numerator: str,
    df: pd.DataFrame,
    groups: list[str],
    index: GroupIndex,
) -> np.ndarray:
    """O per group from `observed_totals`, joined on the grouping columns it shares with data."""
    totals, _ = as_pandas(observed_totals, f"{fn}: observed_totals")
    if numerator not in totals.columns:
        raise ArgumentError(
            f"{fn}: observed_totals is provided but {numerator!r} is not a column of it"
        )
    require_numeric(totals, [numerator], fn)
    x = float_array(totals[numerator])
    reject_rows(x < 0, totals, f"{fn}: numerators must all be greater than or equal to zero")
    on = [c for c in df.columns if c in totals.columns and c != numerator]
    if not groups:
        if len(totals) != 1:
            raise ArgumentError(f"{fn}: without group_by, observed_totals must have one row")
        return x
    if not on or any(c not in groups for c in on):
        raise ArgumentError(
            f"{fn}: observed_totals must be joined on grouping columns; it shares {on} with data"
            f" and the groups are {groups}"
        )
    repeated = totals.duplicated(on, keep=False).to_numpy()
    if repeated.any():
        raise InputDataError(
            f"{fn}: observed_totals has more than one row for a group",
            offenders=sorted({tuple(r) for r in totals.loc[repeated, on].itertuples(index=False)}),
        )
    try:
        joined = index.keys.merge(totals[[*on, numerator]], on=on, how="left")
    except ValueError as error:
        raise ArgumentError(f"{fn}: cannot join observed_totals to data on {on}: {error}") from None
    return float_array(joined[numerator])


def _finish(
    counts: _Counts, scale: np.ndarray, statistic: str, *, ref_rate: np.ndarray | None = None
) -> pd.DataFrame:
    observed, expected = counts.observed, counts.expected
    missing = np.isnan(observed)
    no_expected = ~(expected > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_count = np.where(no_expected, np.nan, scale / expected)
    out = counts.index.keys.copy()
    out["observed"] = observed
    out["expected"] = expected
    if ref_rate is not None:
        out["ref_rate"] = ref_rate
    out["value"] = observed * per_count
    for level, (lower, upper) in zip(counts.conf.levels, counts.conf.names(), strict=True):
        lo, hi = poisson_limits(observed, level)
        out[lower] = lo * per_count
        out[upper] = hi * per_count
    method = np.where(missing, None, np.where(observed < 10, "Exact", "Byars"))
    return finish(
        out,
        confidence=counts.conf.label,
        statistic=statistic,
        method=method,
        reason=reasons(
            (missing, "observed total missing"), (no_expected, "expected count is zero")
        ),
    )
