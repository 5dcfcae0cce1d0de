"""Inequality summaries per indicator × period × area from the tidy results (docs/results.md):

* IMD deciles (ordered): PHE's slope and relative index of inequality (`healthgap.stats.sii`:
  weighted linear regression on the decile's mid-point rank, Monte-Carlo limits) and WHO HEAT's
  difference, ratio, PAF and PAR;
* Core20 vs the rest: HEAT difference and ratio with "Not Core20" as the reference;
* ethnic groups (Census 2021 high-level, non-ordered, "not known" left out): HEAT difference,
  ratio, between-group variance and weighted index of disparity.

Standard errors for HEAT come from the 95% limits: se = (upper − lower) / (2 × 1.959964).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.errors import InputDataError
from healthgap.stats import inequality_summary, sii

AREA_TYPES = ("england", "region24", "icb24", "lad24")
GROUP = ["indicator_id", "period", "area_type", "area_code"]
COLUMNS = [*GROUP, "dimension", "measure", "value", "se", "lowercl", "uppercl", "method", "reason"]
Z95 = 1.959964
NOT_KNOWN = "Not stated or not known"


def summarise(results: pd.DataFrame, *, repetitions: int = 100_000, seed: int = 1) -> pd.DataFrame:
    """The inequalities table for every area at `AREA_TYPES` levels present in `results`."""
    rows = results[results["area_type"].isin(AREA_TYPES)]
    # Categorical text (a large run's results) as plain text: sorting must be by value.
    text = [c for c in rows.columns if isinstance(rows[c].dtype, pd.CategoricalDtype)]
    rows = rows.astype(dict.fromkeys(text, "str"))
    # A fixed row order: engines return rows in any order, and simulated limits (IDISW) depend
    # on the order in which subgroups are drawn.
    rows = rows.sort_values([*GROUP, "category_type", "category"], kind="stable")
    parts = [
        _phe_sii(rows[rows["category_type"] == "imd_decile"], repetitions, seed),
        _heat(rows[rows["category_type"] == "imd_decile"], "imd_decile", ordered=True),
        _heat(rows[rows["category_type"] == "core20"], "core20", reference="Not Core20"),
        _heat(
            rows[(rows["category_type"] == "ethnicity5") & (rows["category"] != NOT_KNOWN)],
            "ethnicity5",
        ),
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True).reindex(columns=COLUMNS)


def _usable(frame: pd.DataFrame, needed: int) -> pd.DataFrame:
    """Groups whose every row has a value and limits, with at least `needed` rows."""
    frame = frame[frame["category"].notna() & (frame["category"] != "Not known")]
    ok = frame[["value", "lowercl", "uppercl"]].notna().all(axis=1) & (frame["value"] > 0)
    complete = ok.groupby([frame[c] for c in GROUP]).transform("all")
    sizes = frame.groupby(GROUP)["value"].transform("size")
    return frame[complete & (sizes >= needed)]


def _phe_sii(deciles: pd.DataFrame, repetitions: int, seed: int) -> pd.DataFrame:
    data = _usable(deciles, needed=10).assign(decile=lambda d: d["category"].astype(int))
    parts = []
    for is_proportion, chunk in data.groupby(data["statistic"].str.startswith("p")):
        scale = chunk["multiplier"] if is_proportion else 1.0
        frame = chunk.assign(
            v=chunk["value"] / scale, lo=chunk["lowercl"] / scale, hi=chunk["uppercl"] / scale
        )
        try:
            out = sii(
                frame, "decile", "denominator", group_by=GROUP, value="v",
                value_type=2 if is_proportion else 1, lower_cl="lo", upper_cl="hi",
                multiplier=float(chunk["multiplier"].iloc[0]) if is_proportion else 1.0,
                repetitions=repetitions, rii=True, seed=seed,
            )  # fmt: skip
        except InputDataError as error:  # e.g. fewer than 5 deciles present: say so
            groups = frame[GROUP].drop_duplicates()
            parts += [
                groups.assign(dimension="imd_decile", measure=m, value=np.nan, se=np.nan,
                              lowercl=np.nan, uppercl=np.nan, method="PHE SII", reason=str(error))
                for m in ("sii", "rii")
            ]  # fmt: skip
            continue
        for measure in ("sii", "rii"):
            parts.append(
                out[GROUP].assign(
                    dimension="imd_decile",
                    measure=measure,
                    value=out[measure],
                    se=np.nan,
                    lowercl=out[f"{measure}_lower95_0cl"],
                    uppercl=out[f"{measure}_upper95_0cl"],
                    method=f"PHE {measure.upper()}: weighted linear regression on decile rank,"
                    f" {out['CI_method'].iloc[0] if len(out) else 'simulation'}",
                    reason=out.get("reason"),
                )
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)


def _heat(
    frame: pd.DataFrame, dimension: str, *, ordered: bool = False, reference: str | None = None
) -> pd.DataFrame:
    data = _usable(frame, needed=2)
    if data.empty:
        return pd.DataFrame(columns=COLUMNS)
    data = data.assign(se=(data["uppercl"] - data["lowercl"]) / (2 * Z95))
    if ordered:
        data = data.assign(order=data["category"].astype(int))
        measures = ["d", "r", "paf", "par"]
    elif reference is not None:
        measures = ["d", "r"]
    else:
        measures = ["d", "r", "bgv", "idisw"]
    parts = []
    for (polarity, scale), chunk in data.groupby(["polarity", "multiplier"]):
        if polarity == "no_judgement":
            wanted = [m for m in measures if m not in ("paf", "par")]
        else:
            wanted = measures
        out = inequality_summary(
            chunk, "category", "value", "denominator", se="se", ordered=ordered,
            order="order" if ordered else None, reference_subgroup=reference,
            favourable=polarity != "lower_is_better", scale=float(scale), measures=wanted,
            group_by=GROUP,
        )  # fmt: skip
        parts.append(out.assign(dimension=dimension))
    return pd.concat(parts, ignore_index=True)
