"""The equity profile of an EHIA, built from indicator results (docs/results.md).

The caller passes the results table (the `results.parquet` frame; equality does not read the
store itself) and picks the indicators. The profile holds:

- `imd_quintile` and `ethnicity`: each indicator's value and limits by IMD quintile
  (`category_type` "imd_quintile") and by ethnic group ("ethnicity5");
- `imd_by_ethnicity`: the two-way table, where the results carry it (`category_type`
  "imd_quintile×ethnicity5", `category` "<quintile>×<group>", e.g. "1×Asian"); otherwise a
  note says it is absent;
- `core20`: each indicator for Core20 areas against the rest ("core20"), with the gap and
  whether Core20 fares worse given the indicator's polarity;
- `need_vs_uptake`: for a need indicator (e.g. prevalence) and an uptake indicator, each
  group's share of need and of uptake (numerators over their totals) and uptake share / need
  share, below 1 where a group gets less than its share (the health equity audit comparison of
  need with provision).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError

CROSS_TYPE = "imd_quintile×ethnicity5"
PROFILE_COLUMNS = [
    "indicator_id", "period", "area_code", "category", "numerator", "denominator", "value",
    "lowercl", "uppercl",
]  # fmt: skip
REQUIRED = ["indicator_id", "period", "area_code", "category_type", "category", "numerator",
            "denominator", "value", "lowercl", "uppercl"]  # fmt: skip


@dataclass(frozen=True)
class EquityProfile:
    """Tables of the equity profile (see the module docstring) and notes on what is missing."""

    imd_quintile: pd.DataFrame
    ethnicity: pd.DataFrame
    imd_by_ethnicity: pd.DataFrame
    core20: pd.DataFrame
    need_vs_uptake: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        """Plain data: each table as a list of records, plus the notes."""

        def records(frame: pd.DataFrame) -> list[dict]:
            return frame.replace({np.nan: None}).to_dict("records")

        return {
            "imd_quintile": records(self.imd_quintile),
            "ethnicity": records(self.ethnicity),
            "imd_by_ethnicity": records(self.imd_by_ethnicity),
            "core20": records(self.core20),
            "need_vs_uptake": records(self.need_vs_uptake),
            "notes": list(self.notes),
        }


def _select(results: pd.DataFrame, kind: str) -> pd.DataFrame:
    part = results[results["category_type"] == kind]
    return part[PROFILE_COLUMNS].reset_index(drop=True)


def _core20(results: pd.DataFrame) -> pd.DataFrame:
    part = results[results["category_type"] == "core20"]
    rows = []
    for (ind, period, area), cell in part.groupby(
        ["indicator_id", "period", "area_code"], sort=True
    ):
        core = cell[cell["category"] == "Core20"]
        rest = cell[cell["category"] != "Core20"]
        if core.empty or rest.empty:
            continue
        polarity = str(cell["polarity"].iloc[0]) if "polarity" in cell else "no_judgement"
        core_value, rest_value = float(core["value"].iloc[0]), float(rest["value"].iloc[0])
        gap = core_value - rest_value
        worse = {"higher_is_better": gap < 0, "lower_is_better": gap > 0}.get(polarity)
        rows.append(
            {"indicator_id": ind, "period": period, "area_code": area,
             "core20_value": core_value, "rest_value": rest_value,
             "gap": gap, "polarity": polarity, "core20_worse": worse}
        )  # fmt: skip
    columns = ["indicator_id", "period", "area_code", "core20_value", "rest_value", "gap",
               "polarity", "core20_worse"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def need_vs_uptake(
    results: pd.DataFrame, need: str, uptake: str, category_type: str = "imd_quintile"
) -> pd.DataFrame:
    """Each group's share of need and of uptake for one breakdown, per period and area.

    need_share = need numerator of the group / total need numerator; uptake_share likewise;
    ratio = uptake_share / need_share (below 1: the group gets less than its share).
    """
    cols = ["period", "area_code", "category"]
    frames = []
    for indicator, name in ((need, "need"), (uptake, "uptake")):
        part = results[
            (results["indicator_id"] == indicator) & (results["category_type"] == category_type)
        ]
        part = part[[*cols, "numerator"]].rename(columns={"numerator": name})
        total = part.groupby(["period", "area_code"])[name].transform("sum")
        part[f"{name}_share"] = part[name] / total
        frames.append(part)
    merged = frames[0].merge(frames[1], on=cols, how="inner")
    merged["ratio"] = merged["uptake_share"] / merged["need_share"]
    merged.insert(0, "category_type", category_type)
    return merged.reset_index(drop=True)


def equity_profile(
    results: pd.DataFrame,
    indicators: Sequence[str] | None = None,
    *,
    area_code: str | None = None,
    period: str | None = None,
    need: str | None = None,
    uptake: str | None = None,
) -> EquityProfile:
    """The equity profile of `indicators` (default: all) in one area and period (default: all).

    `need` and `uptake` name the indicator pair for the need-versus-uptake table (by IMD
    quintile and by ethnic group). Raises `ArgumentError` when a required column is missing or
    a named indicator is not in the results.
    """
    missing = [c for c in REQUIRED if c not in results.columns]
    if missing:
        raise ArgumentError(
            f"The results table lacks the column(s) {', '.join(missing)} (see docs/results.md)."
        )
    wanted = list(indicators or []) + [i for i in (need, uptake) if i]
    absent = sorted(set(wanted) - set(results["indicator_id"]))
    if absent:
        raise ArgumentError(f"The results table has no indicator {', '.join(absent)}.")
    frame = results
    if area_code is not None:
        frame = frame[frame["area_code"] == area_code]
    if period is not None:
        frame = frame[frame["period"] == period]
    pair = frame
    if indicators:
        frame = frame[frame["indicator_id"].isin(list(indicators))]
    notes = []
    cross = _select(frame, CROSS_TYPE)
    if cross.empty:
        notes.append(
            "The results carry no IMD quintile × ethnicity breakdown; "
            "the two are shown one way each."
        )
    tables = {
        "imd_quintile": _select(frame, "imd_quintile"),
        "ethnicity": _select(frame, "ethnicity5"),
    }
    for name, table in tables.items():
        if table.empty:
            notes.append(
                f"No {name.replace('_', ' ')} breakdown in the results for these indicators."
            )
    if need and uptake:
        nvu = pd.concat(
            [need_vs_uptake(pair, need, uptake, kind) for kind in ("imd_quintile", "ethnicity5")],
            ignore_index=True,
        )
    else:
        nvu = pd.DataFrame()
        notes.append(
            "No need and uptake indicators were named, so need against uptake is not shown."
        )
    return EquityProfile(
        tables["imd_quintile"], tables["ethnicity"], cross, _core20(frame), nvu, tuple(notes)
    )
