"""One plain-English sentence per priority row: which indicator, the gap, people, confidence.

    Flu vaccination coverage, people aged 65 and over in Walsall 001A (Black ethnic group),
    2025/26: 58.1% (95% CI 52.0–63.9) vs the 75.0% target; about 10 (95% CI 7–14) more people
    would be reached if it matched; Core20; PLUS group; Core20PLUS5: Chronic respiratory
    disease: COVID-19 and flu vaccination (adults).

A value moved by stabilisation adds "; stabilised X" inside the brackets; a lower-is-better
indicator says "fewer events would occur"; an interval reaching 0 adds "though the gap could
be chance".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.indicators.rollup import NOT_KNOWN_GROUP


def format_value(value: float, multiplier: float) -> str:
    """A value in its indicator's units: 58.1% (× 100), 1,234.5 per 100,000, 0.123 (× 1)."""
    if not np.isfinite(value):
        return "NA"
    if multiplier == 100:
        return f"{value:.1f}%"
    if multiplier == 1:
        return f"{value:.3f}"
    return f"{value:,.1f} per {multiplier:,.0f}"


def _limits(lower: pd.Series, upper: pd.Series, multiplier: pd.Series) -> pd.Series:
    """Limits as `95% CI 52.0–63.9` (without the units, which the value carries)."""
    return "95% CI " + lower.combine(multiplier, _bare) + "–" + upper.combine(multiplier, _bare)


def _bare(value: float, multiplier: float) -> str:
    if multiplier == 1:
        return "NA" if not np.isfinite(value) else f"{value:.3f}"
    return "NA" if not np.isfinite(value) else f"{value:,.1f}"


def group_label(category_type: pd.Series, category: pd.Series) -> pd.Series:
    """The group in brackets: ` (Black ethnic group)`, ` (aged 65-69)`, ` (Female)`; empty for
    everyone."""
    cat = category.astype(str)
    label = np.select(
        [
            category_type.eq("all").to_numpy(),
            category.eq(NOT_KNOWN_GROUP).to_numpy(),
            category_type.isin(["ethnicity5", "ethnicity19"]).to_numpy(),
            category_type.eq("age_band").to_numpy(),
            category_type.isin(["imd_decile", "imd_quintile"]).to_numpy(),
            category_type.isin(["sex", "core20"]).to_numpy(),
        ],
        [
            "",
            " (ethnic group not stated or not known)",
            " (" + cat + " ethnic group)",
            " (aged " + cat + ")",
            " (IMD " + category_type.str.removeprefix("imd_") + " " + cat + ")",
            " (" + cat + ")",
        ],
        " (" + category_type.astype(str) + " " + cat + ")",
    )
    return pd.Series(label, index=category.index, dtype=object)


def explain(frame: pd.DataFrame) -> pd.Series:
    """The explanation sentence of each row of a priorities frame (before ranking).

    Needs: indicator_name, area_name, category_type, category, period, value, lowercl, uppercl,
    smoothed_value, smoothed (bool: was the value stabilised), multiplier, polarity,
    benchmark_value, benchmark_source, headroom and its limits, core20, plus_group, core20plus5.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    k = frame["multiplier"]
    value = frame["value"].combine(k, format_value)
    stabilised = np.where(
        frame["smoothed"], "; stabilised " + frame["smoothed_value"].combine(k, format_value), ""
    )
    bench = frame["benchmark_value"].combine(k, format_value)
    is_target = frame["benchmark_source"].eq("target")
    versus = np.where(
        is_target, "the " + bench + " target", bench + " in the " + frame["benchmark_source"]
    )
    people = frame[["headroom", "headroom_lowercl", "headroom_uppercl"]].map(lambda h: f"{h:,.0f}")
    higher = frame["polarity"].eq("higher_is_better")
    outcome = np.where(higher, "more people would be reached", "fewer events would occur")
    chance = np.where(frame["headroom_lowercl"] <= 0, ", though the gap could be chance", "")
    flags = (
        np.where(frame["core20"].fillna(False).astype(bool), "; Core20", "")
        + np.where(frame["plus_group"].astype(bool), "; PLUS group", "")
        + frame["core20plus5"].map(lambda a: "" if a is None else f"; Core20PLUS5: {a}")
    )
    sentence = (
        frame["indicator_name"].astype(str)
        + " in "
        + frame["area_name"].astype(str)
        + group_label(frame["category_type"], frame["category"])
        + ", "
        + frame["period"].astype(str)
        + ": "
        + value
        + " ("
        + _limits(frame["lowercl"], frame["uppercl"], k)
        + stabilised
        + ") vs "
        + versus
        + "; about "
        + people["headroom"]
        + " (95% CI "
        + people["headroom_lowercl"]
        + "–"
        + people["headroom_uppercl"]
        + ") "
        + outcome
        + " if it matched"
        + chance
        + flags
        + "."
    )
    return sentence.astype(object)
