"""WHO HEAT / HEAT Plus summary measures of health inequality (WHO `healthequal` 1.0.1).

`inequality_summary` takes one row per subgroup (quintile, region, sex …) with its estimate and
returns, per group, one row per summary measure: D, R, ACI, RCI, SII, RII, PAF, PAR, BGV, BGSD,
COV, IDISU, IDISW, MDBU, MDBW, MDMU, MDMW, MDRU, MDRW, MLD, TI (HEAT's codes). The formulas live
in `_heat_measures` and `_heat_regression`; docs/methods.md (WHO HEAT section) has the table
of measures, the healthequal quirks reproduced and how HEAT's SII differs from PHE's.

References
----------
Hosseinpoor AR et al. (2016). Health Equity Assessment Toolkit (HEAT): software for exploring and
comparing health inequalities in countries. BMC Med Res Methodol 16:155. Hosseinpoor AR et al.
(2018). HEAT Plus: the Health Equity Assessment Toolkit Plus. Int J Equity Health (PMC6041818).
Schlotheuber A, Hosseinpoor AR (2022). Summary measures of health inequality: a review of existing
measures and their application. Int J Environ Res Public Health 19(6):3697. WHO (2024). *Health
inequality monitoring: harnessing data to advance health equity*, Annex 11.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError, InputDataError
from healthgap.stats._frame import Frame, as_pandas, finish, float_array, normalise_group_by
from healthgap.stats._heat_measures import (
    SIMULATED,
    Result,
    Subgroups,
    attributable,
    between_group_variance,
    difference_and_ratio,
    simulated,
    theil_and_mld,
)
from healthgap.stats._heat_regression import concentration, slope_indices
from healthgap.stats._validate import (
    Confidence,
    parse_confidence,
    reject_groups,
    reject_rows,
    require_columns,
    require_numeric,
)

FN = "inequality_summary"


@dataclass(frozen=True)
class Measure:
    """A HEAT summary measure: its code, name (the `statistic` column) and data requirements.

    `dimension` is "any", "ordered" or "non-ordered" (HEAT Plus's applicability rules);
    `population` is "none", "required" (weighted) or "or setting average" (needs μ only).
    """

    code: str
    name: str
    dimension: str
    population: str
    min_subgroups: int = 3


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("d", "difference", "any", "none", 2),
        Measure("r", "ratio", "any", "none", 2),
        Measure("aci", "absolute concentration index", "ordered", "required"),
        Measure("rci", "relative concentration index", "ordered", "required"),
        Measure("sii", "slope index of inequality", "ordered", "required"),
        Measure("rii", "relative index of inequality", "ordered", "required"),
        Measure("paf", "population attributable fraction (%)", "any", "or setting average"),
        Measure("par", "population attributable risk", "any", "or setting average"),
        Measure("bgv", "between-group variance", "non-ordered", "required"),
        Measure("bgsd", "between-group standard deviation", "non-ordered", "required"),
        Measure("cov", "coefficient of variation (%)", "non-ordered", "required"),
        Measure("idisu", "index of disparity, unweighted (%)", "non-ordered", "or setting average"),
        Measure("idisw", "index of disparity, weighted (%)", "non-ordered", "required"),
        Measure("mdbu", "mean difference from best, unweighted", "non-ordered", "none"),
        Measure("mdbw", "mean difference from best, weighted", "non-ordered", "required"),
        Measure(
            "mdmu", "mean difference from mean, unweighted", "non-ordered", "or setting average"
        ),
        Measure("mdmw", "mean difference from mean, weighted", "non-ordered", "required"),
        Measure("mdru", "mean difference from reference, unweighted", "non-ordered", "none"),
        Measure("mdrw", "mean difference from reference, weighted", "non-ordered", "required"),
        Measure("mld", "mean log deviation (x1000)", "non-ordered", "required"),
        Measure("ti", "Theil index (x1000)", "non-ordered", "required"),
    )
}
_NEEDS_REFERENCE = ("mdru", "mdrw")


def inequality_summary(
    data: Frame,
    subgroup: str,
    estimate: str,
    population: str | None,
    *,
    se: str | None = None,
    ordered: bool = False,
    order: str | None = None,
    reference_subgroup: object = None,
    favourable: bool | str = True,
    scale: float | str = 100,
    setting_average: float | str | None = None,
    measures: str | Sequence[str] | None = None,
    group_by: str | Sequence[str] | None = None,
    confidence: float | Sequence[float] = 0.95,
    simulations: int = 100,
    seed: int = 123456,
    sii_model: str = "logistic",
    bounds: tuple[float, float] | None = None,
    rci_correction: str | None = None,
) -> Frame:
    """HEAT summary measures of inequality across subgroups, per `group_by` group, long format.

    One input row per subgroup (and group): `estimate` in indicator units (a percentage when
    `scale` is 100), optional `se` (same units) and `population` (people in the subgroup).
    Dimensions are non-ordered (regions, sex) unless `ordered=True`, when `order` names the
    column ranking subgroups from 1 = most disadvantaged. `reference_subgroup` is a *value of
    the subgroup column* (e.g. "London"), used in every group, for D/R and MDRU/MDRW of
    non-ordered dimensions. `favourable` (True: higher is better), `scale` (100 for %, 1000 for
    per 1000 …) and `setting_average` (μ, e.g. the national average; default Σ pⱼyⱼ) are numbers
    or columns constant within each group.

    `measures=None` gives every measure that applies to the dimension (HEAT Plus's rules:
    ordered: d r aci rci sii rii paf par; non-ordered: d r paf par bgv bgsd cov idisu idisw
    mdbu mdbw mdmu mdmw [mdru mdrw with a reference subgroup] mld ti). Asking for one that does
    not apply raises `ArgumentError`. A measure that applies but lacks its data (population,
    standard errors, enough subgroups) is NA with a `reason`.

    Confidence limits follow healthequal: analytic for d, r, aci, rci, sii, rii, paf, par, bgv,
    mld, ti; simulation for the rest (`simulations` draws, seeded with `seed`). SII/RII use a
    `sii_model` "logistic" (healthequal's default) or "linear" regression with HC1 robust SEs.
    `bounds` (lmin, lmax) rescale ACI/RCI for bounded indicators; `rci_correction` "wagstaff"
    or "erreygers" needs them.

    Returns the group columns, `measure` (code), `value`, `se`, the CI columns, `confidence`,
    `statistic` (the measure's name), `method` and `reason`. Quirks kept from healthequal: the
    SE of SII is on the 0-1 scale, of R and RII on the log scale, of PAF on the fraction scale
    (so PAF's limits are PAF ∓ z·SE with PAF in %), and of TI/MLD not ×1000.

    Example: three regions with estimates 60, 70, 90 (%), populations 100, 300, 600, favourable:
    D = 90 − 60 = 30, R = 90/60 = 1.5, BGV = 0.1·(60−81)² + 0.3·(70−81)² + 0.6·(90−81)² = 129.
    """
    df, back = as_pandas(data, FN)
    groups = normalise_group_by(group_by)
    conf = parse_confidence(confidence, FN)
    _check_arguments(ordered, order, simulations, seed, sii_model, bounds, rci_correction)
    columns = [subgroup, estimate, population, se, order, *groups]
    columns += [v for v in (favourable, scale, setting_average) if isinstance(v, str)]
    require_columns(df, columns, FN)
    if subgroup in groups:
        raise ArgumentError(f"{FN}: the subgroup column {subgroup!r} cannot also be in group_by")
    require_numeric(df, [estimate, population, se, order], FN)
    if reference_subgroup is not None and not (df[subgroup] == reference_subgroup).any():
        raise ArgumentError(
            f"{FN}: reference_subgroup {reference_subgroup!r} is not a value of column {subgroup!r}"
        )
    codes = _select(measures, ordered, reference_subgroup is not None)
    if len(df) == 0:
        raise InputDataError(f"{FN}: data has no rows")

    layout = _Layout(df, groups, subgroup, order if ordered else None)
    fav = layout.constant(favourable, "favourable")
    scales = layout.constant(scale, "scale")
    average = layout.constant(
        np.nan if setting_average is None else setting_average, "setting_average"
    )
    _check_values(layout, fav, scales, estimate, population, se, bounds)
    y = float_array(df[estimate])
    sub = Subgroups(
        estimate=layout.pad(y),
        se=layout.pad(_optional(df, se)),
        population=layout.pad(_optional(df, population)),
        valid=layout.pad(~np.isnan(y)),
        reference=layout.pad((df[subgroup] == reference_subgroup).to_numpy()),
        favourable=fav == 1,
        scale=scales,
        setting_average=average,
        ordered=ordered,
        levels=conf.levels,
    )
    results = _compute(sub, codes, simulations, seed, sii_model, bounds, rci_correction)
    missing = layout.pad(np.isnan(y)).sum(axis=1)
    rows = layout.pad(np.ones(len(df), dtype=bool)).sum(axis=1)
    rules = _group_rules(sub, missing, rows, population is None)
    return back(_assemble(layout, codes, results, rules, conf))


def _check_arguments(
    ordered: bool,
    order: str | None,
    simulations: int,
    seed: int,
    sii_model: str,
    bounds: tuple[float, float] | None,
    rci_correction: str | None,
) -> None:
    if ordered and order is None:
        raise ArgumentError(
            f"{FN}: an ordered dimension needs `order`, the column giving each subgroup's order"
            " (1 = most disadvantaged)"
        )
    if order is not None and not ordered:
        raise ArgumentError(f"{FN}: `order` is only used for ordered dimensions (ordered=True)")
    for name, value, low in (("simulations", simulations, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise ArgumentError(f"{FN}: {name} must be an integer of at least {low}")
    if sii_model not in ("logistic", "linear"):
        raise ArgumentError(f"{FN}: sii_model must be 'logistic' or 'linear', not {sii_model!r}")
    if bounds is not None and (len(bounds) != 2 or not bounds[0] < bounds[1]):
        raise ArgumentError(f"{FN}: bounds must be (lmin, lmax) with lmin < lmax")
    if rci_correction not in (None, "wagstaff", "erreygers"):
        raise ArgumentError(f"{FN}: rci_correction must be None, 'wagstaff' or 'erreygers'")
    if rci_correction is not None and bounds is None:
        raise ArgumentError(f"{FN}: rci_correction needs the indicator's bounds (lmin, lmax)")


def _select(measures: str | Sequence[str] | None, ordered: bool, has_reference: bool) -> list[str]:
    """The measure codes to compute, in the order asked (default: all that apply, HEAT order)."""
    dimension = "ordered" if ordered else "non-ordered"
    if measures is None:
        return [
            code
            for code, m in MEASURES.items()
            if m.dimension in ("any", dimension) and (has_reference or code not in _NEEDS_REFERENCE)
        ]
    asked = [measures] if isinstance(measures, str) else list(measures)
    codes = list(dict.fromkeys(str(code).lower() for code in asked))
    unknown = [code for code in codes if code not in MEASURES]
    if unknown or not codes:
        raise ArgumentError(
            f"{FN}: unknown measure code(s) {', '.join(map(repr, unknown))}; valid codes are"
            f" {', '.join(MEASURES)}"
        )
    for code in codes:
        m = MEASURES[code]
        if m.dimension not in ("any", dimension):
            raise ArgumentError(
                f"{FN}: {code} ({m.name}) applies only to {m.dimension} dimensions, and this"
                f" dimension is {dimension} (ordered={ordered})"
            )
        if code in _NEEDS_REFERENCE and not has_reference:
            raise ArgumentError(
                f"{FN}: {code} ({m.name}) needs a reference subgroup: give reference_subgroup"
            )
    return codes


def _optional(df: pd.DataFrame, column: str | None) -> np.ndarray:
    return np.full(len(df), np.nan) if column is None else float_array(df[column])


class _Layout:
    """Rows placed in a (groups × subgroups) grid, subgroups in `order` (else input) order."""

    def __init__(self, df: pd.DataFrame, groups: list[str], subgroup: str, order: str | None):
        if groups:
            grouped = df.groupby(groups, sort=True, dropna=False, observed=True)
            self.gid = grouped.ngroup().to_numpy()
            self.keys = grouped.size().index.to_frame(index=False)
        else:
            self.gid = np.zeros(len(df), dtype=np.int64)
            self.keys = pd.DataFrame(index=range(1))
        self.df, self.groups = df, groups
        reject_rows(
            df.duplicated([*groups, subgroup], keep=False).to_numpy(),
            df,
            f"{FN}: each subgroup must appear once per group",
        )
        within = np.arange(len(df)) if order is None else self._order(float_array(df[order]))
        perm = np.lexsort((within, self.gid))
        counts = np.bincount(self.gid, minlength=len(self.keys))
        starts = np.cumsum(counts) - counts
        self.cell = (self.gid[perm], np.arange(len(df)) - starts[self.gid[perm]])
        self.perm, self.shape = perm, (len(self.keys), int(counts.max()))

    def _order(self, values: np.ndarray) -> np.ndarray:
        reject_rows(
            np.isnan(values) | (values % 1 != 0),
            self.df,
            f"{FN}: the order column must hold whole numbers (1 = most disadvantaged) in every row",
        )
        clash = pd.DataFrame({"g": self.gid, "o": values}).duplicated(keep=False).to_numpy()
        reject_rows(clash, self.df, f"{FN}: two subgroups share an order value in one group")
        return values

    def pad(self, values: np.ndarray) -> np.ndarray:
        """A row-aligned array as (G, K), padded with NaN (False for booleans)."""
        values = np.asarray(values)
        boolean = values.dtype == bool
        out = np.full(self.shape, False if boolean else np.nan, dtype=bool if boolean else float)
        out[self.cell] = values[self.perm]
        return out

    def constant(self, value: object, name: str) -> np.ndarray:
        """A per-group parameter: a number, or a column that must be constant within groups."""
        if not isinstance(value, str):
            if isinstance(value, bool | np.bool_):
                value = float(value)
            if not isinstance(value, int | float | np.number):
                raise ArgumentError(f"{FN}: {name} must be a number or a column name")
            return np.full(self.shape[0], float(value))
        column = self.df[value]
        if column.dtype == bool:
            column = column.astype(float)
        values = float_array(column)
        frame = pd.DataFrame({"g": self.gid, "v": values})
        varies = frame.groupby("g")["v"].nunique(dropna=False).to_numpy() > 1
        reject_groups(varies, self.keys, f"{FN}: {name} column {value!r} varies within a group")
        per_group = np.full(self.shape[0], np.nan)
        per_group[self.gid] = values
        return per_group


def _check_values(
    layout: _Layout,
    favourable: np.ndarray,
    scale: np.ndarray,
    estimate: str,
    population: str | None,
    se: str | None,
    bounds: tuple[float, float] | None,
) -> None:
    df = layout.df
    for column, text in ((population, "population"), (se, "standard errors")):
        if column is not None:
            values = float_array(df[column])
            reject_rows(values < 0, df, f"{FN}: {text} must be greater than or equal to zero")
    if bounds is not None:
        y = float_array(df[estimate])
        reject_rows(
            (y < bounds[0]) | (y > bounds[1]),
            df,
            f"{FN}: estimates must lie within bounds {bounds} for the bounded ACI/RCI",
        )
    bad = ~np.isin(favourable, (0.0, 1.0))
    reject_groups(bad, layout.keys, f"{FN}: favourable must be 1/True or 0/False in every group")
    reject_groups(
        ~(scale > 0), layout.keys, f"{FN}: scale must be a positive number in every group"
    )


def _compute(
    sub: Subgroups,
    codes: list[str],
    simulations: int,
    seed: int,
    sii_model: str,
    bounds: tuple[float, float] | None,
    rci_correction: str | None,
) -> dict[str, Result]:
    wanted, out = set(codes), {}
    if wanted & {"d", "r"}:
        out.update(difference_and_ratio(sub))
    if wanted & {"aci", "rci"}:
        out.update(concentration(sub, bounds, rci_correction))
    if wanted & {"sii", "rii"}:
        out.update(slope_indices(sub, sii_model))
    if wanted & {"paf", "par"}:
        out.update(attributable(sub))
    if "bgv" in wanted:
        out["bgv"] = between_group_variance(sub)
    if wanted & {"ti", "mld"}:
        out.update(theil_and_mld(sub))
    if sims := [code for code in codes if code in SIMULATED]:
        out.update(simulated(sub, sims, simulations, seed))
    return out


def _group_rules(
    sub: Subgroups, missing: np.ndarray, rows: np.ndarray, no_population: bool
) -> dict[str, list[tuple[np.ndarray, str]]]:
    """Per measure, the group-level reasons that make it NA (checked before its own reasons)."""
    why = "not given" if no_population else "missing for some subgroups, or all zero"
    out = {}
    for code, m in MEASURES.items():
        rules = []
        if sub.ordered:
            rules.append((missing > 0, "estimates are missing for some subgroups (ordered)"))
        elif code not in ("d", "r"):
            rules.append(
                (missing > 0.15 * rows, "estimates are missing in more than 15% of subgroups")
            )
        rules.append(
            (
                sub.count < m.min_subgroups,
                f"needs at least {m.min_subgroups} subgroups with estimates",
            )
        )
        if m.population == "required":
            rules.append((~sub.has_population, f"needs population ({why})"))
        elif m.population == "or setting average":
            no_mean = ~sub.has_population & np.isnan(sub.setting_average)
            rules.append((no_mean, f"needs population ({why}) or a setting_average"))
        out[code] = rules
    return out


def _assemble(
    layout: _Layout,
    codes: list[str],
    results: dict[str, Result],
    rules: dict[str, list[tuple[np.ndarray, str]]],
    conf: Confidence,
) -> pd.DataFrame:
    """Long format: for each group (sorted) one row per measure, in `codes` order."""
    n_groups, n_codes = layout.shape[0], len(codes)
    gi, mi = np.repeat(np.arange(n_groups), n_codes), np.tile(np.arange(n_codes), n_groups)
    columns: dict[str, list[np.ndarray]] = {
        k: [] for k in ("value", "se", "lower", "upper", "reason")
    }
    for code in codes:
        res = results[code]
        blocked = np.zeros(n_groups, dtype=bool)
        reason = np.full(n_groups, None, dtype=object)
        for mask, text in reversed(rules[code]):  # the first rule that applies wins
            reason[mask] = text
            blocked |= mask
        reason = np.where(blocked, reason, res.reason)
        value = np.where(blocked | ~np.isfinite(res.value), np.nan, res.value)
        na = np.isnan(value)
        lower = np.where(na | ~np.isfinite(res.lower), np.nan, res.lower)
        upper = np.where(na | ~np.isfinite(res.upper), np.nan, res.upper)
        se = np.where(na | ~np.isfinite(res.se), np.nan, res.se)
        unexplained = np.equal(reason, None)
        reason[unexplained & na] = "not computable for these estimates"
        reason[unexplained & ~na & np.isnan(lower).any(axis=0)] = (
            "confidence interval not computable for these estimates"
        )
        for key, array in zip(columns, (value, se, lower, upper, reason), strict=True):
            columns[key].append(array)
    out = layout.keys.iloc[gi].reset_index(drop=True) if layout.groups else pd.DataFrame(index=gi)
    out = out.reset_index(drop=True)
    out["measure"] = np.asarray(codes, dtype=object)[mi]
    out["value"] = np.stack(columns["value"])[mi, gi]
    out["se"] = np.stack(columns["se"])[mi, gi]
    lowers, uppers = np.stack(columns["lower"]), np.stack(columns["upper"])  # (M, L, G)
    for level, (low, high) in enumerate(conf.names()):
        out[low], out[high] = lowers[mi, level, gi], uppers[mi, level, gi]
    return finish(
        out,
        confidence=conf.label,
        statistic=np.array([MEASURES[c].name for c in codes], dtype=object)[mi],
        method=np.array([results[c].method for c in codes], dtype=object)[mi],
        reason=np.stack(columns["reason"])[mi, gi],
    )
