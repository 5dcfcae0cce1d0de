"""Difference-in-differences with unit and time fixed effects and cluster-robust errors.

Model (two-way fixed effects, TWFE): y_it = α_i + γ_t + β · (treated_i × post_it) + ε_it,
fitted by OLS (statsmodels) with standard errors clustered by unit (the CR1 sandwich, with
statsmodels' small-sample correction) and a t distribution on G − 1 degrees of freedom for G
units; β is the effect. References: Angrist & Pischke (2009) *Mostly Harmless Econometrics*
ch. 5; Cameron & Miller (2015) "A practitioner's guide to cluster-robust inference", J Human
Resources 50(2). The checks are the pre-period parallel-trends test (a differential linear
trend in the treated units before the start: `pre_trend`) and the event-study coefficients
(`event_study`). Comparator areas: `baseline` and `match_comparators`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.stats.sandwich_covariance import cov_cluster

from healthgap.errors import ArgumentError, InputDataError
from healthgap.evaluation.effect import Check, Effect, chance_clause, change_phrase, number

MIN_UNITS = 4  # per arm; fewer clusters make cluster-robust errors unreliable


def did(
    df: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated: str,
    post: str,
    *,
    what: str | None = None,
    units: str = "points",
    comparison: str = "the comparison areas",
) -> Effect:
    """The effect of treated × post on `outcome`, in the outcome's units, with checks.

    `treated` and `post` name boolean columns (treated is constant within a unit); `time` is
    sortable (dates or period numbers). `what`, `units` and `comparison` word the sentence
    ("uptake rose 4.1 points (95% CI 2.3 to 5.9) more than in matched areas; …"). Raises
    `InputDataError` when an arm has fewer than 4 units or there is no period before or after
    the start.
    """
    data = _panel(df, outcome, unit, time, treated, post)
    fit = _fit(data, [("effect", (data["treated"] & data["post"]).to_numpy(float))])
    est, se, lo, hi, p = fit.row("effect")
    trend = _pre_trend(data)
    sentence = (
        change_phrase(what or outcome, est, lo, hi, units, "rose", "fell")
        + f" more than in {comparison}"
        + chance_clause(lo, hi)
        + "; "
        + trend.detail
    )
    return Effect(est, lo, hi, p, se, sentence, (trend,))


def pre_trend(
    df: pd.DataFrame, outcome: str, unit: str, time: str, treated: str, post: str
) -> Check:
    """Parallel-trends check: a differential linear trend of the treated units before the start.

    On pre-period rows only, y_it = α_i + γ_t + δ · (treated_i × t) + ε_it with t the period
    number; δ = 0 is tested with the same clustered errors. A small p-value (< 0.05) means the
    treated and comparison areas were already diverging, so the DiD estimate is doubtful. Not
    finding a difference is not proof of parallel trends (the test may lack power).
    """
    return _pre_trend(_panel(df, outcome, unit, time, treated, post))


def _pre_trend(data: pd.DataFrame) -> Check:
    pre = data[~data["post"]].reset_index(drop=True)
    periods = pre["t"].nunique()
    if periods < 3:
        return Check(
            "parallel_trends", None,
            f"the parallel-trends check needs 3 periods before the start ({periods} given)",
        )  # fmt: skip
    slope = (pre["treated"] * pre["t"]).to_numpy(float)
    est, se, _, _, p = _fit(pre, [("trend", slope)]).row("trend")
    stat = est / se if se > 0 else float("nan")
    if p < 0.05:
        detail = (
            "the parallel-trends check found the areas already diverging before the start "
            f"(difference in trend {number(est, 2)} per period, p = {p:.3f}), "
            "so treat this estimate with caution"
        )
    else:
        detail = (
            f"the parallel-trends check did not find a difference before the start (p = {p:.2f})"
        )
    return Check("parallel_trends", p >= 0.05, detail, stat, p)


def event_study(
    df: pd.DataFrame, outcome: str, unit: str, time: str, treated: str, post: str
) -> pd.DataFrame:
    """Treated-minus-comparison difference in every period, relative to the last period before.

    y_it = α_i + γ_t + Σ_{s ≠ s0} θ_s · treated_i · [t = s] + ε_it, with s0 the last period
    before the start. Returns `time`, `relative` (periods from the start; the first post period
    is 0), `estimate`, `lowercl`, `uppercl` (95%, clustered by unit) and `p_value`; the row for
    s0 is 0 by construction. Leads (relative < 0) near zero support parallel trends.
    """
    data = _panel(df, outcome, unit, time, treated, post)
    times = np.sort(data["t"].unique())
    pre_times = np.sort(data.loc[~data["post"], "t"].unique())
    ref = pre_times[-1]
    first_post = int(np.searchsorted(times, ref)) + 1
    terms = [
        (f"t{s}", (data["treated"] & (data["t"] == s)).to_numpy(float)) for s in times if s != ref
    ]
    fit = _fit(data, terms)
    rows = []
    labels = data.drop_duplicates("t").set_index("t")["time"]
    for i, s in enumerate(times):
        if s == ref:
            rows.append((labels[s], i - first_post, 0.0, 0.0, 0.0, 1.0))
            continue
        est, _, lo, hi, p = fit.row(f"t{s}")
        rows.append((labels[s], i - first_post, est, lo, hi, p))
    return pd.DataFrame(rows, columns=["time", "relative", "estimate", "lowercl", "uppercl",
                                       "p_value"])  # fmt: skip


def baseline(df: pd.DataFrame, outcome: str, unit: str, time: str, post: str) -> pd.DataFrame:
    """Per unit: `baseline_level` (mean before the start) and `baseline_trend` (OLS slope per
    period before the start), for matching comparators."""
    _require(df, [outcome, unit, time, post])
    pre = df[~df[post].astype(bool)]
    t = pre[time].rank(method="dense").to_numpy(float)
    frame = pd.DataFrame({"u": pre[unit].to_numpy(), "t": t, "y": pre[outcome].to_numpy(float)})
    g = frame.groupby("u", sort=True)
    tc = frame["t"] - g["t"].transform("mean")
    yc = frame["y"] - g["y"].transform("mean")
    num = (tc * yc).groupby(frame["u"]).sum()
    den = (tc * tc).groupby(frame["u"]).sum()
    return pd.DataFrame(
        {unit: g["y"].mean().index, "baseline_level": g["y"].mean().to_numpy(),
         "baseline_trend": (num / den.where(den > 0)).to_numpy()}
    )  # fmt: skip


def match_comparators(
    units: pd.DataFrame, unit: str, treated: str, on: Sequence[str], k: int = 1
) -> pd.DataFrame:
    """Nearest comparison units for each treated unit, without replacement.

    Distance: Euclidean on the `on` columns (e.g. an IMD score, `baseline_level`,
    `baseline_trend`), each standardised by its SD over all units; treated units are matched
    greedily in the order of their closest available comparator. Returns `treated_unit`,
    `comparator`, `distance` (k rows per treated unit). Raises `InputDataError` when there are
    too few comparison units.
    """
    _require(units, [unit, treated, *on])
    x = units[list(on)].to_numpy(float)
    if np.isnan(x).any():
        raise InputDataError("match_comparators: matching columns have missing values.")
    sd = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    is_t = units[treated].astype(bool).to_numpy()
    t_idx, c_idx = np.flatnonzero(is_t), np.flatnonzero(~is_t)
    if len(c_idx) < k * len(t_idx):
        raise InputDataError(
            f"match_comparators: {len(c_idx)} comparison units cannot give {k} to each of "
            f"{len(t_idx)} treated units."
        )
    dist = np.sqrt(((z[t_idx, None, :] - z[None, c_idx, :]) ** 2).sum(axis=2))
    rows = []
    used = np.zeros(len(c_idx), dtype=bool)
    for _ in range(k):  # each round gives every treated unit one more comparator
        served = np.zeros(len(t_idx), dtype=bool)
        for _ in range(len(t_idx)):
            masked = np.where(served[:, None] | used[None, :], np.inf, dist)
            i, j = np.unravel_index(np.argmin(masked), masked.shape)
            rows.append((units[unit].iloc[t_idx[i]], units[unit].iloc[c_idx[j]], dist[i, j]))
            served[i], used[j] = True, True
    return pd.DataFrame(rows, columns=["treated_unit", "comparator", "distance"])


def _require(df: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ArgumentError("evaluation: df must be a pandas DataFrame.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ArgumentError(f"evaluation: columns not in the data: {missing}.")


def _panel(
    df: pd.DataFrame, outcome: str, unit: str, time: str, treated: str, post: str
) -> pd.DataFrame:
    _require(df, [outcome, unit, time, treated, post])
    for col in (treated, post):
        if not pd.api.types.is_bool_dtype(df[col]):
            raise InputDataError(f"did: {col!r} must be a boolean column (True/False).")
    y = pd.to_numeric(df[outcome], errors="coerce")
    if y.isna().any():
        raise InputDataError(f"did: {outcome!r} is missing or not a number in some rows.",
                             df.index[y.isna()])  # fmt: skip
    data = pd.DataFrame(
        {"y": y.to_numpy(float), "unit": df[unit].to_numpy(), "time": df[time].to_numpy(),
         "treated": df[treated].to_numpy(bool), "post": df[post].to_numpy(bool)}
    )  # fmt: skip
    data["t"] = data["time"].rank(method="dense").astype(int) - 1
    mixed = data.groupby("unit")["treated"].nunique() > 1
    if mixed.any():
        raise InputDataError(f"did: {treated!r} changes within a unit.", list(mixed.index[mixed]))
    arms = data.drop_duplicates("unit")["treated"].value_counts()
    if arms.get(True, 0) < MIN_UNITS or arms.get(False, 0) < MIN_UNITS:
        raise InputDataError(
            f"did: needs at least {MIN_UNITS} treated and {MIN_UNITS} comparison units for "
            f"clustered errors ({arms.get(True, 0)} treated, {arms.get(False, 0)} comparison)."
        )
    if data["post"].all() or not data["post"].any():
        raise InputDataError("did: needs periods both before and after the start.")
    return data


@dataclass(frozen=True)
class _Fit:
    """Coefficients, clustered standard errors and t tests on G − 1 degrees of freedom."""

    names: list[str]
    params: np.ndarray
    bse: np.ndarray
    df: int

    def row(self, name: str) -> tuple[float, float, float, float, float]:
        """(estimate, se, lower95, upper95, p) of one term."""
        k = self.names.index(name)
        est, se = float(self.params[k]), float(self.bse[k])
        q = float(sps.t.ppf(0.975, self.df))
        p = float(2 * sps.t.sf(abs(est / se), self.df)) if se > 0 else float("nan")
        return est, se, est - q * se, est + q * se, p


def _fit(data: pd.DataFrame, terms: list[tuple[str, np.ndarray]]) -> _Fit:
    """OLS of y on the terms with unit and time fixed effects, clustered by unit.

    The fixed effects are absorbed (Frisch–Waugh–Lovell): y and the terms are two-way demeaned
    by alternating projections (exact after one sweep in a balanced panel) and regressed with
    statsmodels. Clustered covariance: statsmodels' `cov_cluster` sandwich times
    G/(G − 1) · (N − 1)/(N − K), with K = terms + time effects + 1 (the unit effects, nested in
    the clusters, are not counted: Stata's `xtreg, fe vce(cluster)`); t tests on G − 1 df.
    """
    cols = [v for _, v in terms]
    names = [n for n, _ in terms]
    if (data.groupby("t")["post"].nunique() > 1).any():  # staggered starts: keep post's own term
        cols.append(data["post"].to_numpy(float))
        names.append("post")
    unit = pd.factorize(data["unit"])[0]
    times = data["t"].to_numpy()
    matrix = np.column_stack([data["y"].to_numpy(float), *cols])
    within = _demean(matrix, unit, times)
    result = sm.OLS(within[:, 0], within[:, 1:]).fit()
    n, g = len(data), int(unit.max()) + 1
    k = len(names) + int(times.max()) + 1
    cov = cov_cluster(result, unit, use_correction=False) * (g / (g - 1)) * ((n - 1) / (n - k))
    return _Fit(names, np.asarray(result.params), np.sqrt(np.diag(cov)), g - 1)


def _demean(matrix: np.ndarray, a: np.ndarray, b: np.ndarray, tol: float = 1e-11) -> np.ndarray:
    """Remove group means of two crossed factors (codes `a`, `b`) by alternating projections."""
    out = matrix.copy()
    counts = [np.bincount(a), np.bincount(b)]
    scale = max(1.0, float(np.abs(matrix).max()))
    for _ in range(10_000):
        before = out.copy()
        for codes, n in zip((a, b), counts, strict=True):
            for j in range(out.shape[1]):
                out[:, j] -= (np.bincount(codes, weights=out[:, j]) / n)[codes]
        if np.abs(out - before).max() <= tol * scale:
            return out
    raise InputDataError("did: the fixed effects did not converge (a very unbalanced panel).")
