"""Life expectancy from an abridged life table (PHEindicatormethods `phe_life_expectancy`).

Chiang's method II abridged life table over 20 age bands (0, 1-4, 5-9, …, 85-89, 90+), with the
variance of the open-ended last band from Silcocks et al; the same layout and method as ONS and
the PHE/OHID Life Expectancy Calculator. Formulas, quirks and deviations: docs/methods.

References
----------
Chiang CL (1968). The life table and its construction. In *Introduction to Stochastic Processes
in Biostatistics*. Wiley, pp. 189-214. Silcocks PBS, Jenner DA, Reza R (2001). Life expectancy
as a summary of mortality in a population: statistical considerations and suitability for use
by health authorities. J Epidemiol Community Health 55:38-43. Toson B, Baker A (2003). *Life
expectancy at birth: methodological options for small populations*. National Statistics
Methodological Series 33 (the 5,000 minimum population). Eayres DP, Williams ES (2004).
Evaluation of methodologies for small area life expectancy estimation. J Epidemiol Community
Health 58:243-249.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
from healthgap.stats._validate import (
    parse_confidence,
    reject_groups,
    reject_rows,
    require_columns,
    require_numeric,
    z_value,
)

AGE_CONTENTS: tuple[int, ...] = (0, 1, *range(5, 95, 5))
"""Start ages of the 20 standard bands: 0, 1-4, 5-9, …, 85-89, 90+."""

METHOD = "Chiang, using Silcocks et al for confidence limits"
RADIX = 100_000.0
MIN_TOTAL_POPULATION = 5000
MAX_CI_HALF_WIDTH = 10.0  # years: the value is suppressed when the 95% CI is wider than 20 years

# Group-level rules in PHE's order: the first that applies names the reason, and groups that
# break one are appended, all NA, after the computed groups (in this order, then by group).
_GROUP_RULES = (
    "an age band has negative deaths",
    "an age band has a zero or negative population",
    "the group does not have exactly {n_bands} age bands",
    "an age band has more deaths than population",
    "the total population is 5,000 or less",
)


def life_expectancy(
    data: Frame,
    deaths: str,
    population: str,
    startage: str,
    *,
    group_by: str | Sequence[str] | None = None,
    le_age: str | int | Sequence[str | int] = "all",
    confidence: float | Sequence[float] = 0.95,
    age_contents: Sequence[str | int] = AGE_CONTENTS,
    n_bands: int = 20,
) -> Frame:
    """Life expectancy (years) at the start of each age band, with Silcocks confidence limits.

    Input is one row per group × age band: deaths and population (person-years) in the band,
    and its `startage` label — a number or a text such as "1-4", "85–89" or "90 +", read as its
    first integer. Per group, with bands sorted by start age, nᵢ the band width, aᵢ = 0.1 for
    age 0 and 0.5 otherwise, and Mᵢ = Dᵢ/Pᵢ:

    * qᵢ = nᵢMᵢ / (1 + nᵢMᵢ(1 − aᵢ)), or 1 when Dᵢ > Pᵢ/(nᵢaᵢ); l₁ = 100,000,
      lᵢ₊₁ = lᵢ(1 − qᵢ), dᵢ = lᵢ − lᵢ₊₁;
    * Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ), and L = l/M for the open last band; eᵢ = Σ_{j≥i} Lⱼ / lᵢ;
    * var(qᵢ) = qᵢ²(1 − qᵢ)/Dᵢ, Wᵢ = var(qᵢ)·lᵢ²·((1 − aᵢ)nᵢ + eᵢ₊₁)², and for the last band
      W = (l/2)²·4/(D·M²); SE(eᵢ) = √(Σ_{j≥i} Wⱼ) / lᵢ; limits eᵢ ∓ z·SE.

    `confidence` takes any number of levels (0.95 or 95): one level gives `lowercl`/`uppercl`,
    several give `lower95_0cl`, `upper95_0cl`, `lower99_8cl`, …. `le_age` keeps only the named
    bands ("all" keeps every band).

    NA values, each with a `reason`, follow PHEindicatormethods 2.1.0 in order: a whole group is
    NA, and its rows are placed after the computed groups, when an age band has negative deaths,
    a band has a population ≤ 0, the group does not have exactly `n_bands` bands, a band has more
    deaths than population, or the total population is ≤ 5,000. A value is NA (its limits kept)
    where 1.959964·SE > 10, i.e. the 95% interval is wider than 20 years. A group with a missing
    count, or no deaths in its last band, is NA too.

    `age_contents` lists every band label in ascending order; all start-age values in the data
    must be among them, and each must occur. `n_bands` is the number of bands a group must have:
    PHE fixes it at 20; fewer (e.g. a last band of 85+, PHE issue #96) runs the same method but
    gives figures not comparable with ONS or OHID life expectancy.

    Returns the group columns, `startage`, `value`, the CI columns, `pops_used` and `dths_used`
    (population and deaths from this band upwards), `confidence`, `statistic` ("life expectancy
    at <label>"), `method` and `reason`. Raises `ArgumentError` for bad `age_contents`, `le_age`
    or `confidence`, and `InputDataError` for start ages not in `age_contents`, missing start
    ages or a band given twice in a group.

    Example: with no deaths below 90 and D = 1937, P = 11936 at 90+, life expectancy at 90 is
    1/M = 6.1621 years (95% CI 5.8877 to 6.4365: 1/M ∓ z/(M√D)).
    """
    fn = "life_expectancy"
    df, back = as_pandas(data, fn)
    groups = normalise_group_by(group_by)
    require_columns(df, [deaths, population, startage, *groups], fn)
    require_numeric(df, [deaths, population], fn)
    contents = _parse_age_contents(age_contents, fn)
    if isinstance(n_bands, bool) or not isinstance(n_bands, int | np.integer) or n_bands < 1:
        raise ArgumentError(f"{fn}: n_bands must be a positive whole number, got {n_bands!r}")
    conf = parse_confidence(confidence, fn, any_levels=True)
    wanted = _parse_le_age(le_age, contents, fn)

    reject_rows(df[startage].isna(), df, f"{fn}: the startage field has missing values")
    labels, starts = _read_labels(df[startage], fn)
    _check_labels_match(labels, contents, fn)

    codes = (
        df.groupby(groups, sort=True, dropna=False, observed=True).ngroup().to_numpy()
        if groups
        else np.zeros(len(df), dtype=np.int64)
    )
    order = np.lexsort((starts, codes))
    code, start = codes[order], starts[order]
    d, p = float_array(df[deaths])[order], float_array(df[population])[order]
    _reject_repeated_bands(df, groups, order, code, start, fn)

    rule, reason_of_group = _group_rules(code, d, p, n_bands)
    computed = rule[code] == 0
    value, se = np.full(len(d), np.nan), np.full(len(d), np.nan)
    value[computed], se[computed] = (
        x.ravel() for x in _life_table(*(x[computed].reshape(-1, n_bands) for x in (d, p, start)))
    )

    # Row reasons: group rules first, then (computed groups) missing counts, no deaths in the
    # open band, no survivors, and the CI-width suppression of the value alone.
    missing = np.bincount(code, weights=np.isnan(d) | np.isnan(p), minlength=len(rule)) > 0
    last = np.r_[code[1:] != code[:-1], True]
    no_open_deaths = np.zeros(len(rule), dtype=bool)
    no_open_deaths[code[last & (d == 0)]] = True
    with np.errstate(invalid="ignore"):
        wide = z_value(0.95) * se > MAX_CI_HALF_WIDTH
    row_missing, row_open = computed & missing[code], computed & no_open_deaths[code]
    reason = np.where(
        computed,
        reasons(
            (row_missing, "deaths or population missing"),
            (row_open, "no deaths in the last (open-ended) age band"),
            ((value == 0) & np.isnan(se), "no survivors to this age band (q = 1 earlier)"),
            (wide, "95% confidence interval is wider than 20 years"),
        ),
        np.array(reason_of_group, dtype=object)[code],
    )
    void = row_missing | row_open
    pops_used = _cumulative_from_top(p, code)
    dths_used = _cumulative_from_top(d, code)

    # Computed groups first (by group, then age), then suppressed groups by rule, group and age.
    out_order = np.lexsort((start, code, rule[code]))
    keep = out_order[np.isin(labels[order][out_order], wanted)] if wanted else out_order
    out = df[[*groups, startage]].iloc[order[keep]].reset_index(drop=True)
    out["value"] = np.where(np.isfinite(value) & ~wide & ~void, value, np.nan)[keep]
    for level, (lower, upper) in zip(conf.levels, conf.names(), strict=True):
        z = z_value(level)
        with np.errstate(invalid="ignore"):
            lo, hi = value - z * se, value + z * se
        out[lower] = np.where(np.isfinite(lo) & ~void, lo, np.nan)[keep]
        out[upper] = np.where(np.isfinite(hi) & ~void, hi, np.nan)[keep]
    out["pops_used"] = pops_used[keep]
    out["dths_used"] = dths_used[keep]
    return back(
        finish(
            out,
            confidence=conf.label,
            statistic=np.char.add("life expectancy at ", labels[order][keep].astype(str)),
            method=METHOD,
            reason=reason[keep],
        )
    )


def _life_table(
    deaths: np.ndarray, pops: np.ndarray, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Chiang II life expectancy and its Silcocks standard error for groups × bands arrays."""
    rows = deaths.shape[0]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        m = deaths / pops
        n = np.diff(starts, axis=1)
        a = np.where(starts[:, :-1] == 0, 0.1, 0.5)
        d_, p_, m_ = deaths[:, :-1], pops[:, :-1], m[:, :-1]
        q = np.where(d_ <= p_ / n / a, n * m_ / (1 + n * m_ * (1 - a)), 1.0)
        alive = np.cumprod(np.column_stack([np.full(rows, RADIX), 1 - q]), axis=1)
        alive_next = np.column_stack([alive[:, 1:], np.zeros(rows)])
        dying = alive - alive_next
        years = np.column_stack(
            [n * (alive_next[:, :-1] + a * dying[:, :-1]), alive[:, -1] / m[:, -1]]
        )
        e = np.where(alive == 0, 0.0, _from_top(years) / alive)
        var_q = np.where(dying[:, :-1] == 0, 0.0, q**2 * (1 - q) / d_)
        weights = np.column_stack(
            [
                var_q * alive[:, :-1] ** 2 * ((1 - a) * n + e[:, 1:]) ** 2,
                (alive[:, -1] / 2) ** 2 * 4 / (deaths[:, -1] * m[:, -1] ** 2),
            ]
        )
        se = np.sqrt(_from_top(weights) / alive**2)
    return e, se


def _from_top(x: np.ndarray) -> np.ndarray:
    """Σ_{j≥i} xⱼ along each row."""
    return np.cumsum(x[:, ::-1], axis=1)[:, ::-1]


def _cumulative_from_top(x: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Σ of x over this band and every older band of the group (rows sorted by group, age)."""
    reverse = pd.Series(x[::-1])
    return reverse.groupby(code[::-1]).cumsum(skipna=False).to_numpy()[::-1]


def _reject_repeated_bands(
    df: pd.DataFrame,
    groups: list[str],
    order: np.ndarray,
    code: np.ndarray,
    start: np.ndarray,
    fn: str,
) -> None:
    """Raise InputDataError naming the groups that give a start age twice (sorted rows)."""
    repeated = np.zeros(code[-1] + 1, dtype=bool)
    repeated[code[1:][(code[1:] == code[:-1]) & (start[1:] == start[:-1])]] = True
    message = f"{fn}: an age band appears more than once in a group"
    if groups:
        first_rows = order[np.r_[True, code[1:] != code[:-1]]]
        reject_groups(repeated, df[groups].iloc[first_rows], message)
    elif repeated.any():
        raise InputDataError(message)


def _group_rules(
    code: np.ndarray, d: np.ndarray, p: np.ndarray, n_bands: int
) -> tuple[np.ndarray, list[str | None]]:
    """Per group: the index (1-based, 0 = none) of the first PHE rule it breaks, and its text."""
    size = int(code[-1]) + 1

    def any_in_group(mask: np.ndarray) -> np.ndarray:
        return np.bincount(code, weights=mask, minlength=size) > 0

    with np.errstate(invalid="ignore"):
        broken = np.stack(
            [
                any_in_group(d < 0),
                any_in_group(p <= 0),
                np.bincount(code, minlength=size) != n_bands,
                any_in_group(d > p),
                np.bincount(code, weights=p, minlength=size) <= MIN_TOTAL_POPULATION,
            ]
        )
    rule = np.where(broken.any(axis=0), broken.argmax(axis=0) + 1, 0)
    texts = [None, *(t.format(n_bands=n_bands) for t in _GROUP_RULES)]
    return rule, [texts[r] for r in rule]


def _label(value: object) -> str:
    """A band label as R's `as.character` writes it: 5 and 5.0 give "5"; text is kept."""
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return fmt_number(value)  # type: ignore[arg-type]
    return str(value)


def _start_age(label: str, fn: str) -> int:
    found = re.search(r"\d+", label)
    if found is None:
        raise ArgumentError(f"{fn}: age band {label!r} does not contain a start age")
    return int(found.group())


def _parse_age_contents(age_contents: Sequence[str | int], fn: str) -> list[str]:
    """Labels of `age_contents`, checked to start at 0 and ascend (PHE's messages)."""
    contents = [_label(a) for a in age_contents]
    if not contents:
        raise ArgumentError(f"{fn}: age_contents must list at least one age band")
    starts = np.array([_start_age(a, fn) for a in contents])
    if starts[0] != 0:
        raise ArgumentError(f"{fn}: first age band in age_contents must be 0")
    misplaced = starts != np.sort(starts)
    if misplaced.any():
        raise ArgumentError(
            f"{fn}: age_contents doesn't appear to be in ascending order; the following age"
            f" bands appear out of position: {', '.join(np.array(contents)[misplaced])}"
        )
    return contents


def _parse_le_age(le_age: object, contents: list[str], fn: str) -> list[str]:
    """Labels to keep ([] = all), each of which must be in `age_contents`."""
    if isinstance(le_age, str) and le_age == "all":
        return []
    raw = [le_age] if isinstance(le_age, str) or np.isscalar(le_age) else list(le_age)  # type: ignore[call-overload]
    wanted = [_label(a) for a in raw]
    unknown = [a for a in wanted if a not in contents]
    if unknown or not wanted:
        raise ArgumentError(
            f"{fn}: le_age must be 'all' or age bands from age_contents; not found:"
            f" {', '.join(unknown) or 'none given'}"
        )
    return wanted


def _read_labels(column: pd.Series, fn: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's band label and start age (computed once per distinct label)."""
    index, uniques = pd.factorize(column)
    names = np.array([_label(u) for u in uniques], dtype=object)
    starts = np.array([_start_age(u, fn) for u in names], dtype=np.int64)
    return names[index], starts[index]


def _check_labels_match(labels: np.ndarray, contents: list[str], fn: str) -> None:
    present = set(labels.tolist())
    extra = sorted(present - set(contents))
    absent = [a for a in contents if a not in present]
    if extra or absent:
        raise InputDataError(
            f"{fn}: the contents in the startage field do not match the contents of the"
            " age_contents vector",
            offenders=[f"{a!r} not in age_contents" for a in extra]
            + [f"{a!r} not in the data" for a in absent],
        )
