"""Directly standardised rates with Dobson/Byar limits (PHEindicatormethods 2.1.0 `calculate_dsr`).

The standard population is either a column of the data (PHE's `stdpop`) or, when none is given,
the built-in European Standard Population 2013 (`ESP2013`) joined to the data **by age band**,
never by row position (PHEindicatormethods issue #31).

References
----------
Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, vol II: The Design and Analysis
of Cohort Studies*. IARC Scientific Publications 82, p. 69 (Byar's approximation). Dobson AJ,
Kuulasmaa K, Eberle E, Scherer J (1991). Confidence intervals for weighted sums of Poisson
parameters. Stat Med 10:457-462. Eurostat (2013). *Revision of the European Standard Population*,
Methodologies and Working Papers, KS-RA-13-028. OHID *Fingertips Public Health Technical
Guidance*, "Directly standardised rates" (non-independent events).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
from healthgap.stats._intervals import byars_lower, byars_upper
from healthgap.stats._standardise import GroupIndex, require_positive
from healthgap.stats._validate import (
    Confidence,
    parse_confidence,
    reject_rows,
    require_columns,
    require_numeric,
)


class AgeBand(NamedTuple):
    """One band of a standard population: its label, first age in years, and weight."""

    label: str
    start: int
    weight: int


# fmt: off
_ESP2013_WEIGHTS = (5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
                    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000)
# fmt: on

#: European Standard Population 2013: 19 five-year bands 0-4 … 85-89 and 90+, weights summing to
#: 100,000 (Eurostat's 0 and 1-4 merged into 0-4, 90-94 and 95+ merged into 90+), in age order.
ESP2013: tuple[AgeBand, ...] = tuple(
    AgeBand("90+" if start == 90 else f"{start}-{start + 4}", start, weight)
    for start, weight in zip(range(0, 95, 5), _ESP2013_WEIGHTS, strict=True)
)

_WEIGHTS = np.array([band.weight for band in ESP2013], dtype="float64")
_STARTS = {band.start: i for i, band in enumerate(ESP2013)}
_LAST = ESP2013[-1].start


_BAND_FORMS = (  # (pattern, band index from its numbers), tried on the normalised label
    (re.compile(r"(\d+)-(\d+)"), lambda a, b: _STARTS.get(a) if b == a + 4 and a < _LAST else None),
    (
        re.compile(r"(\d+)(?:\+|plus|andover|orover|andolder|orolder)"),
        lambda a: _STARTS[a] if a == _LAST else None,
    ),
    (re.compile(r"(?:<|under)(\d+)"), lambda a: 0 if a == 5 else None),  # "<5" is 0-4
    (re.compile(r"(\d+)"), lambda a: _STARTS.get(a)),  # a start age: "5", "05"
)

NON_INDEPENDENT = "Dobson, with confidence adjusted for non-independent events"
SMALL_COUNT = "dsr NA for total count < 10"


def dsr(
    data: Frame,
    numerator: str,
    denominator: str,
    *,
    group_by: str | Sequence[str] | None = None,
    stdpop: str | None = None,
    ageband: str | None = None,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    independent_events: bool = True,
    eventfreq: str | None = None,
) -> Frame:
    """Directly standardised rate per `multiplier`, one per group, with Dobson-Byar limits.

    Per group, over its age bands i with events xᵢ (missing counts as 0), population nᵢ and
    standard population wᵢ, with O = Σxᵢ and W = Σwᵢ:

    * value = Σ(xᵢ·wᵢ/nᵢ) / W · multiplier (events per 100,000 standard population by default);
    * var = Σ xᵢ·(wᵢ/nᵢ)² / W² (Dobson et al. 1991);
    * limits = value + √(var/O) · (Byar(O) − O) · multiplier, with Byar's lower/upper limit of
      the Poisson count O at every O (never exact limits, as PHE);
    * O < 10 gives NA value and limits, with statistic and reason "dsr NA for total count < 10".

    `stdpop` names a column of standard populations (any age structure, per row). Without it
    the built-in `ESP2013` is joined on the `ageband` column, whose labels may be "0-4", "05-09",
    "0–4" (en dash), "0 to 4", "85-89", "90+", "90 plus", "90 and over", "<5", or start ages
    0, 5, …, 90; each group must then have each of the 19 bands exactly once.

    With `independent_events=False` (people can have more than one event), each row counts
    the *people* with exactly `eventfreq` events in an `ageband`: the value uses the events
    Σ f·x, and the limits use var = Σ_f f²·var_f, where var_f is the Dobson variance of the
    people with f events (PHE's W_f sums w over that frequency's rows). n and the standard
    population must then be the same on every row of a group and age band. `eventfreq` is
    dropped from the output groups if it is also in `group_by`.

    Returns the group columns, `total_count` (O, events), `total_pop` (Σn), `value`, the CI
    columns, `confidence`, `statistic` ("dsr per 100000"), `method` ("Dobson", or "Dobson, with
    confidence adjusted for non-independent events") and `reason`. Bad input raises
    `InputDataError` naming the rows, groups or labels; bad arguments `ArgumentError`.

    Example: bands (x, n, w) = (20, 1000, 600) and (30, 2000, 400) give
    (20·600/1000 + 30·400/2000) / 1000 · 100,000 = 1800 per 100,000.
    """
    fn = "dsr"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    conf = parse_confidence(confidence, fn)
    _check_arguments(fn, stdpop, ageband, multiplier, independent_events, eventfreq)
    require_columns(df, [numerator, denominator, stdpop, ageband, eventfreq, *groups], fn)
    require_numeric(df, [numerator, denominator, stdpop, eventfreq], fn)

    x, n = float_array(df[numerator]), float_array(df[denominator])
    reject_rows(np.isnan(n), df, f"{fn}: field n ({denominator!r}) cannot have missing values")
    if ageband is not None and (stdpop is None or not independent_events):
        reject_rows(df[ageband].isna(), df, f"{fn}: ageband field must not have any missing values")
    reject_rows(x < 0, df, f"{fn}: numerators must all be greater than or equal to zero")
    reject_rows(n <= 0, df, f"{fn}: denominators must all be greater than zero")

    index = GroupIndex.of(df, [g for g in groups if g != eventfreq])
    if stdpop is None:
        band = esp2013_band_index(df[ageband], fn)
        _check_esp2013_bands(index, band, fn, one_row_each=independent_events)
        w = _WEIGHTS[band]
    else:
        w = float_array(df[stdpop])
        reject_rows(np.isnan(w), df, f"{fn}: field stdpop ({stdpop!r}) cannot have missing values")
        reject_rows(w < 0, df, f"{fn}: stdpop must all be greater than or equal to zero")
        band = None if independent_events else pd.factorize(df[ageband])[0]

    xz = np.nan_to_num(x, nan=0.0)
    if independent_events:
        sums = _independent(index.codes, index.count, xz, n, w)
        method = "Dobson"
    else:
        f = float_array(df[eventfreq])
        reject_rows(np.isnan(f), df, f"{fn}: eventfreq field must not have any missing values")
        sums = _non_independent(df[ageband], index, xz, n, w, f, band, fn)
        method = NON_INDEPENDENT
    return back(_finish(index, sums, conf, multiplier, method))


class _Sums(NamedTuple):
    """Per-group totals: events O, population N, Σx·w/n, standard population W, variance."""

    count: np.ndarray
    pop: np.ndarray
    weighted: np.ndarray
    std: np.ndarray
    var: np.ndarray


class DsrEstimates(NamedTuple):
    """DSRs per group of arrays (`dsr_arrays`), on the multiplier's scale.

    `count` is O = Σx (events), `pop` Σn; `value` and its limits `lower[i]`/`upper[i]` at the
    i-th confidence level asked for are NaN where `small` (O < 10); `no_std` marks groups
    whose standard population W is 0.
    """

    count: np.ndarray
    pop: np.ndarray
    value: np.ndarray
    lower: tuple[np.ndarray, ...]
    upper: tuple[np.ndarray, ...]
    small: np.ndarray
    no_std: np.ndarray


def dsr_arrays(
    x: np.ndarray,
    n: np.ndarray,
    w: np.ndarray,
    group: np.ndarray,
    *,
    groups: int | None = None,
    standard_total: np.ndarray | None = None,
    levels: Sequence[float] = (0.95,),
    multiplier: float | np.ndarray = 100_000,
) -> DsrEstimates:
    """`dsr` (independent events) on arrays: the core the frame function calls.

    One row per age band of a group: events `x`, population `n` (> 0), standard population
    `w`, and `group`, the group's number 0..groups−1 (`groups` defaults to max + 1). Per
    group, with O = Σx and W = Σw (or `standard_total`, one W per group, when bands are left
    out of the rows: a band with no events contributes x·w/n = 0 whatever its n, but its
    weight stays in W): value = Σ(x·w/n)/W · multiplier, var = Σx·(w/n)²/W², limits =
    value + √(var/O)·(Byar(O) − O)·multiplier at each level in `levels`; NaN when O < 10.
    `multiplier` is a number or one per group. Sums run in row order (np.bincount), so rows
    in the same order give the same floating-point sums as `dsr`. Inputs are not validated.
    """
    codes = np.asarray(group, dtype=np.intp)
    count = int(codes.max(initial=-1)) + 1 if groups is None else groups
    n = np.asarray(n, dtype="float64")
    sums = _independent(
        codes, count, np.asarray(x, dtype="float64"), n, np.asarray(w, dtype="float64"),
        None if standard_total is None else np.asarray(standard_total, dtype="float64"),
    )  # fmt: skip
    return _estimates(sums, levels, multiplier)


def _independent(
    codes: np.ndarray,
    count: int,
    x: np.ndarray,
    n: np.ndarray,
    w: np.ndarray,
    std: np.ndarray | None = None,
) -> _Sums:
    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=count)

    ratio = w / n
    std = total(w) if std is None else std
    with np.errstate(divide="ignore", invalid="ignore"):
        var = total(x * ratio**2) / std**2
    return _Sums(total(x), total(n), total(x * ratio), std, var)


def _non_independent(
    labels: pd.Series,
    index: GroupIndex,
    x: np.ndarray,
    n: np.ndarray,
    w: np.ndarray,
    f: np.ndarray,
    band: np.ndarray,
    fn: str,
) -> _Sums:
    """PHE's two passes: Dobson variance per (group, frequency), then events per band."""
    ratio = w / n
    # Each (group, age band) cell has one population and one standard population.
    _, first, in_cell = np.unique(
        index.codes * (int(band.max(initial=0)) + 1) + band, return_index=True, return_inverse=True
    )
    differs = (n != n[first][in_cell]) | (w != w[first][in_cell])
    if differs.any():
        bad = first[np.unique(in_cell[differs])]
        raise InputDataError(
            f"{fn}: there are rows with the same grouping variables and ageband but with"
            " different populations (n) or standard populations (stdpop)",
            offenders=[
                (*group, label)
                for group, label in zip(
                    index.names(index.codes[bad]), labels.iloc[bad], strict=True
                )
            ],
        )
    cell_group = index.codes[first]
    pop = np.bincount(cell_group, weights=n[first], minlength=index.count)
    std = np.bincount(cell_group, weights=w[first], minlength=index.count)

    # var = Σ_f f² · Σ x(w/n)² / W_f², W_f summed over the rows of frequency f.
    freq_code, freqs = pd.factorize(f)
    _, in_freq_cell = np.unique(index.codes * len(freqs) + freq_code, return_inverse=True)
    row_of = np.zeros(in_freq_cell.max(initial=-1) + 1, dtype=np.intp)
    row_of[in_freq_cell] = np.arange(len(x))  # any row of the cell: group and f are constant
    with np.errstate(divide="ignore", invalid="ignore"):
        var_f = (
            np.bincount(in_freq_cell, weights=x * ratio**2)
            / np.bincount(in_freq_cell, weights=w) ** 2
        )
    var = np.bincount(index.codes[row_of], weights=f[row_of] ** 2 * var_f, minlength=index.count)
    events = f * x
    return _Sums(index.sum(events), pop, index.sum(events * ratio), std, var)


def _estimates(
    sums: _Sums, levels: Sequence[float], multiplier: float | np.ndarray
) -> DsrEstimates:
    count = sums.count
    small = count < 10
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(small, np.nan, sums.weighted / sums.std * multiplier)
        spread = np.sqrt(sums.var / count) * multiplier
    return DsrEstimates(
        count=count,
        pop=sums.pop,
        value=value,
        lower=tuple(value + spread * (byars_lower(count, lv) - count) for lv in levels),
        upper=tuple(value + spread * (byars_upper(count, lv) - count) for lv in levels),
        small=small,
        no_std=sums.std == 0,
    )


def _finish(
    index: GroupIndex, sums: _Sums, conf: Confidence, multiplier: float, method: str
) -> pd.DataFrame:
    est = _estimates(sums, conf.levels, multiplier)
    out = index.keys.copy()
    out["total_count"] = est.count
    out["total_pop"] = est.pop
    out["value"] = est.value
    for lo, hi, (lower, upper) in zip(est.lower, est.upper, conf.names(), strict=True):
        out[lower] = lo
        out[upper] = hi
    statistic = np.where(est.small, SMALL_COUNT, f"dsr per {fmt_number(multiplier)}")
    return finish(
        out,
        confidence=conf.label,
        statistic=statistic.astype(object),
        method=method,
        reason=reasons((est.small, SMALL_COUNT), (est.no_std, "standard population is zero")),
    )


def _check_arguments(
    fn: str,
    stdpop: object,
    ageband: object,
    multiplier: object,
    independent_events: object,
    eventfreq: object,
) -> None:
    require_positive(multiplier, "multiplier", fn)
    if not isinstance(independent_events, bool | np.bool_):
        raise ArgumentError(f"{fn}: independent_events must be True or False")
    if isinstance(stdpop, list | tuple | np.ndarray | pd.Series):
        raise ArgumentError(
            f"{fn}: stdpop must be the name of a column of data, not a vector; standard"
            " populations are matched by age band, never by row position"
        )
    if stdpop is None and ageband is None:
        raise ArgumentError(
            f"{fn}: give stdpop (a column of standard populations) or ageband (a column of"
            " age bands to join the built-in ESP2013 standard population)"
        )
    if independent_events and eventfreq is not None:
        raise ArgumentError(f"{fn}: eventfreq is only used when independent_events is False")
    if not independent_events:
        for name, value in (("eventfreq", eventfreq), ("ageband", ageband)):
            if value is None:
                raise ArgumentError(
                    f"{fn} requires an {name} column to be specified when independent_events"
                    " is False"
                )


def esp2013_band_index(labels: pd.Series, fn: str = "dsr") -> np.ndarray:
    """Position (0-18) in `ESP2013` of each age-band label; unknown labels raise InputDataError.

    Accepted: "0-4" … "85-89" (also "00-04", "0–4" with an en dash, "0 to 4", "aged 0-4",
    "0-4 years"), "90+" ("90 plus", "90 and over"), "<5" ("under 5") and the start ages
    0, 5, …, 90 as numbers or digit strings. Labels are parsed once per distinct value.
    """
    codes, uniques = pd.factorize(labels)
    parsed = [_band_of(label) for label in uniques]
    unknown = [label for label, i in zip(uniques, parsed, strict=True) if i is None]
    if unknown:
        raise InputDataError(
            f"{fn}: age band labels not recognised as ESP2013 bands (0-4, 5-9, …, 85-89, 90+,"
            " or start ages 0, 5, …, 90)",
            offenders=unknown,
        )
    return np.asarray(parsed, dtype=np.intp)[codes]


def _band_of(label: object) -> int | None:
    if isinstance(label, bool | np.bool_):
        return None
    if isinstance(label, int | np.integer):
        return _STARTS.get(int(label))
    if isinstance(label, float | np.floating):
        return _STARTS.get(int(label)) if float(label).is_integer() else None
    if not isinstance(label, str):
        return None
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", label.lower()).replace(" ", "")
    text = re.sub(r"(\d)to(\d)", r"\1-\2", text)
    text = re.sub(r"^(?:aged|age)|(?:years|year|yrs|yr)$", "", text)
    for pattern, band in _BAND_FORMS:
        match = pattern.fullmatch(text)
        if match:
            return band(*(int(g) for g in match.groups()))
    return None


def _check_esp2013_bands(
    index: GroupIndex, band: np.ndarray, fn: str, *, one_row_each: bool
) -> None:
    """Every group needs all 19 bands (and, for independent events, each band once)."""
    counts = np.bincount(
        index.codes * len(ESP2013) + band, minlength=index.count * len(ESP2013)
    ).reshape(index.count, len(ESP2013))
    if one_row_each and (counts > 1).any():
        raise InputDataError(
            f"{fn}: each group must have one row per ESP2013 age band; aggregate the rows or add"
            " the column that splits them to group_by",
            offenders=_describe(index, counts > 1, "repeats"),
        )
    if (counts == 0).any():
        raise InputDataError(
            f"{fn}: the built-in ESP2013 standard population needs all 19 age bands (0-4 … 90+)"
            " in every group",
            offenders=_describe(index, counts == 0, "lacks"),
        )


def _describe(index: GroupIndex, flags: np.ndarray, verb: str) -> list[tuple[object, ...]]:
    rows = flags.any(axis=1)
    labels = np.array([b.label for b in ESP2013])
    return [
        (*group, f"{verb} {', '.join(labels[row])}")
        for group, row in zip(index.names(rows), flags[rows], strict=True)
    ]
