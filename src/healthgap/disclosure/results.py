"""Protect the results store table (docs/results.md) under a disclosure policy.

The linked table of one indicator x period x count (numerator or denominator) has a cell per
result row, and these published sums between them:

* area hierarchy: a parent area's row = the sum of the rows whose `parent_code` it is (LSOA ->
  MSOA -> LAD -> ICB ...), for every breakdown category;
* breakdowns: the `All` row of an area = the sum of the categories of each breakdown (sexes vs
  persons, age bands vs all ages, IMD deciles and quintiles, Core20, ethnic groups);
* nested breakdowns: IMD quintile q = deciles 2q-1 and 2q; `Core20` = quintile 1 and
  `Not Core20` = quintiles 2-5.

Published statistics must not undo the rounding: proportions and crude rates of visible rows
are recomputed from the rounded counts (NHS Digital computes percentages from the rounded
numerator and denominator). A DSR's Dobson limits would reveal its event count exactly, so
published limits use the rounded count (`_dsr_public_limits`); they still reveal a lower bound
on the count, which the protection gives the intruder. Every value of a row with a hidden count
is hidden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.disclosure.links import Links, build_links
from healthgap.disclosure.policy import Policy, get_policy
from healthgap.disclosure.protect import protect_cells
from healthgap.disclosure.suppress import PRIMARY, SECONDARY, VISIBLE, Cells

COUNTS = ("numerator", "denominator")
VALUES = ("value", "lowercl", "uppercl", "lower99_8cl", "upper99_8cl")
TABLE = ["indicator_id", "period"]
LEVEL_COST = {"lsoa21": 1.0, "msoa21": 2.0, "lad24": 6.0, "sicbl24": 12.0, "icb24": 20.0}
# Public notes do not say why a row is hidden: "small number" on an area and on its parts
# would tell an intruder that they are all 1..7, which bounds the parts (6 = 1 + 1 + 2 + 2
# leaves each part at most 4). The `suppression` column keeps the reason for analysts and the
# information-loss report; outputs show `disclosure_notes`.
HIDDEN_NOTE = "suppressed: small number, or to protect one"
NOTES = {"": "rounded to nearest 5", "none": "not disclosure-controlled"}
NESTED = [("imd_quintile", str(q), "imd_decile", [str(2 * q - 1), str(2 * q)]) for q in range(1, 6)]
NESTED += [("core20", "Core20", "imd_quintile", ["1"]),
           ("core20", "Not Core20", "imd_quintile", ["2", "3", "4", "5"])]  # fmt: skip


def result_links(results: pd.DataFrame) -> Links:
    """The additive relations of a results table; cells 0..n-1 are numerators, n..2n-1
    denominators (row order)."""
    n = len(results)
    rows = results[[*TABLE, "area_code", "parent_code", "category_type", "category"]].reset_index(
        drop=True
    )
    rows["row"] = np.arange(n)
    groups: list[pd.DataFrame] = []
    # Area hierarchy: relation keyed by the parent row.
    key = [*TABLE, "category_type", "category"]
    parents = rows[[*key, "area_code", "row"]].rename(
        columns={"area_code": "parent_code", "row": "total"}
    )
    kids = rows.merge(parents, on=[*key, "parent_code"])
    groups.append(pd.DataFrame({"key": "h" + kids["total"].astype(str), "part": kids["row"],
                                "total": kids["total"]}))  # fmt: skip
    # Breakdowns against the All row of the same area.
    alls = rows[rows["category_type"] == "all"][[*TABLE, "area_code", "row"]]
    alls = alls.rename(columns={"row": "total"})
    cats = rows[rows["category_type"] != "all"].merge(alls, on=[*TABLE, "area_code"])
    groups.append(pd.DataFrame({
        "key": "b" + cats["total"].astype(str) + cats["category_type"].astype(str),
        "part": cats["row"], "total": cats["total"],
    }))  # fmt: skip
    # Nested breakdowns.
    index = rows.set_index([*TABLE, "area_code", "category_type", "category"])["row"]
    for total_type, total_cat, part_type, part_cats in NESTED:
        tot = rows[(rows["category_type"] == total_type) & (rows["category"] == total_cat)]
        for cat in part_cats:
            keys = pd.MultiIndex.from_frame(
                tot[[*TABLE, "area_code"]].assign(category_type=part_type, category=cat)
            )
            part = index.reindex(keys).to_numpy()
            ok = ~np.isnan(part)
            groups.append(pd.DataFrame({
                "key": "n" + tot["row"].astype(str).to_numpy()[ok],
                "part": part[ok].astype(np.int64), "total": tot["row"].to_numpy()[ok],
            }))  # fmt: skip
    member = pd.concat(groups, ignore_index=True)
    rel = pd.factorize(member["key"])[0]
    totals = member.drop_duplicates("key")
    rel_tot = pd.factorize(totals["key"])[0] if len(totals) else np.zeros(0, dtype=np.int64)
    relations = len(totals)
    frames = []
    for m in range(2):  # numerator cells, then denominator cells
        offset, shift = m * n, m * relations
        frames.append((rel + shift, member["part"].to_numpy() + offset, np.ones(len(member))))
        frames.append((rel_tot + shift, totals["total"].to_numpy() + offset,
                       -np.ones(len(totals))))  # fmt: skip
    r = np.concatenate([f[0] for f in frames])
    c = np.concatenate([f[1] for f in frames])
    s = np.concatenate([f[2] for f in frames])
    values = np.concatenate([results["numerator"].to_numpy(float),
                             results["denominator"].to_numpy(float)])  # fmt: skip
    return build_links(r, c, s, values)


def result_cells(results: pd.DataFrame, policy: Policy) -> tuple[Cells, Links]:
    """Protect the counts of a results table; returns the cells (2n: numerators then
    denominators) and the relations they were protected under."""
    links = result_links(results)
    num = results["numerator"].to_numpy(float)
    den = results["denominator"].to_numpy(float)
    values = np.concatenate([num, den])
    level = results["area_type"].map(LEVEL_COST).fillna(40.0).to_numpy(float)
    headline = np.where(results["category_type"].to_numpy() == "all", 2.0, 1.0)
    other_small = np.concatenate([policy.primary(den), policy.primary(num)])
    cost = np.tile(level * headline, 2) * (1 + np.log1p(np.nan_to_num(values)))
    cost = np.where(other_small, cost / 4, cost)
    floor = np.concatenate([_dsr_floor(results, policy), np.full(len(results), np.nan)])
    return protect_cells(values, links, policy, cost=cost, floor=floor), links


def protect_results(results: pd.DataFrame, policy: str | Policy = "public") -> pd.DataFrame:
    """The results table as the policy lets it be published.

    Counts (numerator, denominator) are rounded to the policy's base; every hidden count is NaN
    and so is every value derived from it (value and limits). Adds `suppressed` (bool: the row's
    value is hidden) and `suppression`: "" (shown), "primary" (a count of the row is a small
    number), "secondary" (its numerator is hidden as a complement), "derived" (its numerator is
    shown but its denominator is hidden as a complement). Policy `none` returns the table
    unchanged plus those two columns (all shown).
    """
    policy = get_policy(policy)
    out = results.reset_index(drop=True).copy()
    if not policy.suppress:
        return out.assign(suppressed=False, suppression="")
    n = len(out)
    cells, _ = result_cells(out, policy)
    num_status, den_status = cells.status[:n], cells.status[n:]
    suppression = np.full(n, "", dtype=object)
    suppression[den_status == SECONDARY] = "derived"
    suppression[num_status == SECONDARY] = "secondary"
    suppression[(num_status == PRIMARY) | (den_status == PRIMARY)] = "primary"
    hidden = suppression != ""
    _dsr_public_limits(out, ~hidden, policy)
    for column, status in zip(COUNTS, (num_status, den_status), strict=True):
        out[column] = np.where(status != VISIBLE, np.nan, policy.round(out[column].to_numpy(float)))
    _recompute(out, ~hidden)
    for column in VALUES:
        if column in out:
            out.loc[hidden, column] = np.nan
    if "reason" in out:
        out.loc[hidden, "reason"] = "hidden to protect small numbers (disclosure control)"
    return out.assign(suppressed=hidden, suppression=suppression)


def _dsr_scale(frame: pd.DataFrame, shown: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of shown DSRs, their event count O and k = sqrt(var/O) in the value's units
    (the Dobson factor: lower 95% limit = value + k·(Byar_lower(O) − O))."""
    from healthgap.stats.intervals import byars_lower

    dsr = frame["statistic"].astype(str).str.startswith("dsr per").to_numpy()
    rows = np.flatnonzero(shown & dsr & frame["lowercl"].notna().to_numpy())
    count = frame["numerator"].to_numpy(float)[rows]
    value = frame["value"].to_numpy(float)[rows]
    k = (value - frame["lowercl"].to_numpy(float)[rows]) / (count - byars_lower(count, 0.95))
    return rows, count, k


def _dsr_public_limits(out: pd.DataFrame, shown: np.ndarray, policy: Policy) -> None:
    """Limits of shown DSRs from the rounded count (in place, before the counts are rounded).

    Dobson's limits, value + √(var/O)·(B(O) − O) with B Byar's limit of the count, give away
    the event count O: the ratio of the upper to the lower half-width depends on O alone.
    Published limits use the rounded count O' with the same variance: each half-width is
    scaled by √(O/O')·(B(O') − O')/(B(O) − O), Dobson's half-width at O' over that at O
    (1 when O' = O), at 95% and 99.8%; for the O ≥ 10 that a DSR needs (PHE) the interval
    moves by a small part of its width. What they still reveal is the effective count
    m = value²/var ≤ O (Cauchy-Schwarz), a lower bound the intruder is given (`_dsr_floor`)."""
    from healthgap.stats.intervals import byars_lower, byars_upper

    rows, count, _ = _dsr_scale(out, shown)
    rounded = policy.round(count)
    value = out["value"].to_numpy(float)[rows]
    index = out.index[rows]
    levels = ((0.95, "lowercl", "uppercl"), (0.998, "lower99_8cl", "upper99_8cl"))
    with np.errstate(divide="ignore", invalid="ignore"):
        for level, low, high in levels:
            if low not in out:
                continue
            for column, limit in ((low, byars_lower), (high, byars_upper)):
                ratio = np.sqrt(count / rounded) * (limit(rounded, level) - rounded)
                ratio /= limit(count, level) - count
                half = out[column].to_numpy(float)[rows] - value
                out.loc[index, column] = value + half * np.where(rounded == count, 1.0, ratio)


def _dsr_floor(results: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Per numerator, the lower bound on the count that published DSR limits reveal (NaN for
    other rows): floor(m), m = value²/var = value²/(k²·O), capped at O (m ≤ O for independent
    events; the cap keeps a non-independent DSR from claiming more)."""
    out = np.full(len(results), np.nan)
    rows, count, k = _dsr_scale(results.reset_index(drop=True), ~policy.primary(
        results["numerator"].to_numpy(float)))  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        m = results["value"].to_numpy(float)[rows] ** 2 / (k**2 * count)
    out[rows] = np.minimum(np.floor(m + 1e-9), count)
    return out


def _recompute(out: pd.DataFrame, shown: np.ndarray) -> None:
    """Proportions and rates of shown rows from their rounded counts (in place)."""
    from healthgap.stats import proportion, rate

    statistic = out["statistic"].astype(str)
    for kind, function in (("percentage|proportion", proportion), ("rate", rate)):
        rows = shown & statistic.str.match(kind).to_numpy() & (out["denominator"] > 0).to_numpy()
        for multiplier, chunk in out[rows].groupby("multiplier"):
            counts = chunk[list(COUNTS)].rename(columns={"numerator": "x", "denominator": "n"})
            counts["x"] = (
                np.minimum(counts["x"], counts["n"]) if function is proportion else counts["x"]
            )
            stats = function(counts, "x", "n", confidence=(0.95, 0.998), multiplier=multiplier)
            out.loc[chunk.index, "value"] = stats["value"].to_numpy()
            out.loc[chunk.index, "lowercl"] = stats["lower95_0cl"].to_numpy()
            out.loc[chunk.index, "uppercl"] = stats["upper95_0cl"].to_numpy()
            out.loc[chunk.index, "lower99_8cl"] = stats["lower99_8cl"].to_numpy()
            out.loc[chunk.index, "upper99_8cl"] = stats["upper99_8cl"].to_numpy()


def information_loss(protected: pd.DataFrame) -> pd.DataFrame:
    """Share of result rows hidden, by area level: area_type, cells, hidden, share_hidden
    (plus hidden_small and hidden_secondary: why)."""
    frame = protected.assign(
        small=protected["suppression"] == "primary",
        complement=protected["suppression"].isin(["secondary", "derived"]),
    )
    out = frame.groupby("area_type", sort=False).agg(
        cells=("suppressed", "size"), hidden=("suppressed", "sum"),
        hidden_small=("small", "sum"), hidden_secondary=("complement", "sum"),
    ).reset_index()  # fmt: skip
    out["share_hidden"] = out["hidden"] / out["cells"]
    return out[["area_type", "cells", "hidden", "share_hidden", "hidden_small", "hidden_secondary"]]


def disclosure_notes(protected: pd.DataFrame) -> pd.Series:
    """One note per row for public outputs: "rounded to nearest 5" or HIDDEN_NOTE (the same for
    every hidden row, whatever the reason; see NOTES)."""
    return protected["suppression"].map(NOTES).fillna(HIDDEN_NOTE)
