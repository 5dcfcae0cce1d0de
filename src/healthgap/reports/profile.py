"""Build a profile (model.Profile) for one area from a results store, through disclosure control.

Every number comes from the protected WHOLE results table (`reports.published.public_results`,
cached per results version), never from a per-area protection, so that no two reports can be
differenced against each other. Figures shown:

- each indicator's latest period with a figure for the area; the ICB's figure and England's
  (an England run's own, else the published comparator, else "not published");
- comparisons by `healthgap.stats.compare_with_benchmark` (the benchmark outside the area's
  95% CI), only against a benchmark of the same period;
- the spine chart's centre is England's figure when it comes from the same run, else the ICB's;
  the spread is over the areas of the same type in the ICB, or its MSOAs when there are fewer
  than MIN_PEERS of them (an ICB run has one ICB and a handful of local authorities);
- the SII across IMD deciles from inequalities.parquet, for the area (LAD, ICB) or its LAD
  (LSOA, MSOA); hidden when any decile's figure is hidden;
- priorities from priorities.parquet for the area and the areas under it, only where the
  group's figures are published: each indicator's best-ranked group first (in rank order), then
  each one's second, and so on; headroom is rounded to the nearest 5, and shown as "fewer than
  8" below 8 (a published 5 would say "a small number", as rounded counts are never 5).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from healthgap.errors import InputDataError
from healthgap.indicators.store import Results, open_results
from healthgap.reports.charts import DecileBar, Spread
from healthgap.reports.comparators import EnglandFigure, england_figure
from healthgap.reports.model import (
    Area,
    Community,
    Disclosure,
    Figure,
    Gap,
    IndicatorLine,
    PriorityLine,
    Profile,
)
from healthgap.reports.monitoring import area_charts
from healthgap.reports.place import Reference, area_map, key_facts
from healthgap.stats import compare_with_benchmark

if TYPE_CHECKING:
    from healthgap.disclosure.policy import Policy

PROFILE_TYPES = ("lsoa21", "msoa21", "lad24", "icb24")
KEY = ["indicator_id", "period", "area_code", "category_type", "category"]
TOP_PRIORITIES = 10
SMALL_HEADROOM = 8  # headroom (people) below this is shown as "fewer than 8", never as a number
MIN_PEERS = 10  # fewer areas of the same type than this: the spine's spread uses MSOAs
GROUP_LABELS = {
    "all": "Everyone",
    "imd_decile": "IMD decile {}",
    "imd_quintile": "IMD quintile {}",
    "age_band": "Aged {}",
}
NOT_COMPARED = "Not compared"


def published_table(results_dir: str | Path, policy: str) -> pd.DataFrame:
    """The whole results table as `policy` publishes it (E's boundary, cached per version)."""
    from healthgap.reports.published import public_results

    return public_results(results_dir, policy=policy)


def build_profile(
    results_dir: str | Path,
    area_code: str,
    *,
    policy: str = "public",
    reference: Reference | None = None,
    community: Community | None = None,
    today: date | None = None,
) -> Profile:
    """The profile of `area_code` (an LSOA, MSOA, LAD or ICB in the results) under `policy`.

    `reference` supplies key facts and the map (default: the open-data mirror, or nothing when
    it is absent); `community` is the optional partners/activities/insights section.
    """
    from healthgap.disclosure import get_policy, information_loss

    results = open_results(results_dir)
    table = published_table(results_dir, policy)
    whole = table[table["category_type"] == "all"]
    areas = _area_index(whole)
    area = _find_area(areas, area_code)
    reference = reference if reference is not None else Reference.from_mirror()
    ancestors = {code: _ancestor_codes(areas, code) for code in areas.index}
    icb = area.code if area.area_type == "icb24" else (area.parent("icb24") or (None, None))[1]
    lines = tuple(_indicator_lines(whole, area, icb, ancestors))
    gaps = tuple(_gaps(results, table, area, lines, reference))
    rule = get_policy(policy)
    loss = information_loss(table)
    warnings = ()
    if not rule.suppress:
        warnings = (
            "Disclosure control is OFF (policy 'none'): for analysts only, not for publication.",
        )
    return Profile(
        area=area,
        facts=key_facts(reference, area.area_type, area.code),
        indicators=lines,
        gaps=gaps,
        priorities=tuple(_priorities(results, table, area, ancestors)),
        map_svg=area_map(reference, area.area_type, area.code, area.name),
        community=community,
        disclosure=Disclosure(
            policy=rule.name,
            rule=_rule_text(rule),
            hidden_share=_by_level(dict(zip(loss["area_type"], loss["share_hidden"], strict=True))),
        ),
        run=_run_details(results),
        vintages=reference.sources,
        england_note=_england_note(whole),
        generated=today or date.today(),
        warnings=warnings,
        monitoring=area_charts(results_dir, area.code, policy),
    )


def _area_index(whole: pd.DataFrame) -> pd.DataFrame:
    """One row per area: area_type, area_name, parent_code, indexed by area_code."""
    columns = ["area_code", "area_type", "area_name", "parent_code"]
    return whole[columns].drop_duplicates("area_code").set_index("area_code")


def _ancestor_codes(areas: pd.DataFrame, code: str) -> tuple[str, ...]:
    out: list[str] = []
    parent = areas.at[code, "parent_code"]
    while isinstance(parent, str) and parent in areas.index and parent not in out:
        out.append(parent)
        parent = areas.at[parent, "parent_code"]
    return tuple(out)


def _find_area(areas: pd.DataFrame, code: str) -> Area:
    if code not in areas.index:
        raise InputDataError(
            f"Area {code!r} has no results in this store; profiles cover the LSOAs, MSOAs, local"
            f" authorities and ICBs of the run ({len(areas):,} areas)."
        )
    row = areas.loc[code]
    if row["area_type"] not in PROFILE_TYPES:
        raise InputDataError(
            f"Area {code!r} is a {row['area_type']}; profiles are made for LSOAs, MSOAs, local"
            " authorities (lad24) and ICBs."
        )
    parents = tuple(
        (str(areas.at[c, "area_type"]), c, str(areas.at[c, "area_name"]))
        for c in _ancestor_codes(areas, code)
    )
    return Area(code, str(row["area_name"]), str(row["area_type"]), parents)


def _figure(row: pd.Series | None) -> Figure | None:
    if row is None:
        return None
    return Figure(
        value=float(row["value"]),
        lowercl=float(row["lowercl"]),
        uppercl=float(row["uppercl"]),
        numerator=float(row["numerator"]),
        denominator=float(row["denominator"]),
        suppression=str(row.get("suppression", "") or ""),
        reason=row["reason"] if isinstance(row["reason"], str) else "",
    )


def _indicator_lines(
    whole: pd.DataFrame, area: Area, icb: str | None, ancestors: dict[str, tuple[str, ...]]
) -> Iterable[IndicatorLine]:
    own = whole[whole["area_code"] == area.code]
    for indicator_id, rows in sorted(own.groupby("indicator_id"), key=lambda kv: kv[0]):
        period = max(rows["period"])
        same = whole[(whole["indicator_id"] == indicator_id) & (whole["period"] == period)]
        row = rows[rows["period"] == period].iloc[0]
        figure = _figure(row)
        assert figure is not None
        icb_row = _one(same, icb) if icb and icb != area.code else None
        eng_row = _one(same[same["area_type"] == "england"], None)
        england = england_figure(str(indicator_id), _as_dict(eng_row), str(period))
        icb_fig = _figure(icb_row)
        polarity = str(row["polarity"])
        benchmark, label = _benchmark(england, icb_fig, figure, area)
        same_england = england if england is not None and england.period == period else None
        yield IndicatorLine(
            indicator_id=str(indicator_id),
            name=str(row["indicator_name"]),
            period=str(period),
            multiplier=float(row["multiplier"]),
            polarity=polarity,
            area=figure,
            icb=icb_fig,
            england=england,
            vs_icb=_compare(figure, icb_fig.value if icb_fig else None, polarity),
            vs_england=_compare(figure, same_england.value if same_england else None, polarity),
            benchmark=benchmark,
            benchmark_label=label,
            spread=_spread(same, area, icb, ancestors, polarity),
        )


def _one(rows: pd.DataFrame, code: str | None) -> pd.Series | None:
    found = rows if code is None else rows[rows["area_code"] == code]
    return None if found.empty else found.iloc[0]


def _as_dict(row: pd.Series | None) -> dict[str, float] | None:
    return None if row is None else {k: float(row[k]) for k in ("value", "lowercl", "uppercl")}


def _compare(figure: Figure, benchmark: float | None, polarity: str) -> str:
    if benchmark is None or figure.hidden:
        return NOT_COMPARED
    return compare_with_benchmark(figure.lowercl, figure.uppercl, benchmark, polarity)


def _benchmark(
    england: EnglandFigure | None, icb: Figure | None, own: Figure, area: Area
) -> tuple[float | None, str]:
    if england is not None and england.from_run:
        return england.value, "England"
    if icb is not None and not icb.hidden:
        return icb.value, "ICB"
    if area.area_type == "icb24" and not own.hidden:
        return own.value, "ICB"
    return None, ""


def _spread(
    same: pd.DataFrame,
    area: Area,
    icb: str | None,
    ancestors: dict[str, tuple[str, ...]],
    polarity: str,
) -> Spread | None:
    def peers_of(kind: str) -> pd.DataFrame:
        rows = same[same["area_type"] == kind]
        if icb is None:
            return rows
        return rows[[icb in ancestors.get(c, ()) or c == icb for c in rows["area_code"]]]

    peer_type = area.area_type
    peers = peers_of(peer_type)
    if len(peers) < MIN_PEERS:  # too few areas of its own kind (an ICB, 4 LADs): use MSOAs
        peer_type, peers = "msoa21", peers_of("msoa21")
    values = peers["value"].dropna().to_numpy(float)
    if len(values) < 2:
        return None
    q25, median, q75 = np.percentile(values, [25, 50, 75])
    low, high = float(values.min()), float(values.max())
    worst, best = (high, low) if polarity == "lower_is_better" else (low, high)
    kind = {"lsoa21": "LSOAs", "msoa21": "MSOAs", "lad24": "local authorities"}[peer_type]
    icb_area = (area.area_type, area.code, area.name) if icb == area.code else area.parent("icb24")
    where = f" in {icb_area[2]}" if icb_area else ""
    return Spread(
        worst,
        float(q25),
        float(median),
        float(q75),
        best,
        len(values),
        f"{len(values)} {kind}{where}",
    )


def _gaps(
    results: Results,
    table: pd.DataFrame,
    area: Area,
    lines: tuple[IndicatorLine, ...],
    reference: Reference,
) -> Iterable[Gap]:
    if not (results.path / "inequalities.parquet").is_file():
        return  # a store without inequalities has no gap section
    inequalities = results.table("inequalities")
    if area.area_type in ("lad24", "icb24"):
        measured = (area.code, area.name)
    else:
        parent = area.parent("lad24")
        if parent is None:
            return
        measured = (parent[1], parent[2])
    highlight = None
    if area.area_type in ("lsoa21", "msoa21"):
        facts = key_facts(reference, area.area_type, area.code)
        highlight = facts.imd_decile if facts else None
    sii = inequalities[
        (inequalities["area_code"] == measured[0])
        & (inequalities["dimension"] == "imd_decile")
        & (inequalities["measure"] == "sii")
    ]
    deciles = table[(table["area_code"] == measured[0]) & (table["category_type"] == "imd_decile")]
    for line in lines:
        found = sii[(sii["indicator_id"] == line.indicator_id) & (sii["period"] == line.period)]
        rows = deciles[
            (deciles["indicator_id"] == line.indicator_id) & (deciles["period"] == line.period)
        ]
        if found.empty or rows.empty:
            continue
        bars = tuple(
            DecileBar(
                int(r["category"]), float(r["value"]), float(r["lowercl"]), float(r["uppercl"])
            )
            for _, r in rows.sort_values("category", key=lambda s: s.astype(int)).iterrows()
        )
        one = found.iloc[0]
        hidden = any(math.isnan(b.value) for b in bars)
        nan = math.nan
        yield Gap(
            indicator_id=line.indicator_id,
            name=line.name,
            period=line.period,
            multiplier=line.multiplier,
            measured_in=measured[1],
            sii=nan if hidden else float(one["value"]),
            lowercl=nan if hidden else float(one["lowercl"]),
            uppercl=nan if hidden else float(one["uppercl"]),
            reason=(
                "hidden: a decile's figure is hidden to protect small numbers"
                if hidden
                else (one["reason"] if isinstance(one["reason"], str) else "")
            ),
            bars=bars,
            highlight=highlight,
        )


def _priorities(
    results: Results, table: pd.DataFrame, area: Area, ancestors: dict[str, tuple[str, ...]]
) -> Iterable[PriorityLine]:
    if not (results.path / "priorities.parquet").is_file():
        return
    ranked = results.table("priorities")
    inside = [c == area.code or area.code in ancestors.get(c, ()) for c in ranked["area_code"]]
    ranked = ranked[inside].sort_values("rank")
    shown = table[[*KEY, "value", "lowercl", "uppercl", "multiplier", "suppression"]]
    ranked = ranked.drop(columns=["value", "lowercl", "uppercl", "multiplier"], errors="ignore")
    merged = ranked.merge(shown, on=KEY, how="inner")
    merged = merged[(merged["suppression"] == "") & merged["value"].notna()]
    # Each indicator's best-ranked group first, then each one's second, ...: a board sees the
    # spread of priorities, not ten rows of the indicator with the largest counts.
    merged = merged.assign(turn=merged.groupby("indicator_id").cumcount())
    merged = merged.sort_values(["turn", "rank"], kind="stable")
    for position, (_, row) in enumerate(merged.head(TOP_PRIORITIES).iterrows(), start=1):
        label = GROUP_LABELS.get(str(row["category_type"]), "{}").format(row["category"])
        yield PriorityLine(
            position=position,
            indicator_name=str(row["indicator_name"]),
            area_name=str(row["area_name"]),
            group=label,
            period=str(row["period"]),
            multiplier=float(row["multiplier"]),
            value=float(row["value"]),
            lowercl=float(row["lowercl"]),
            uppercl=float(row["uppercl"]),
            benchmark_value=float(row["benchmark_value"]),
            benchmark_source=str(row["benchmark_source"]),
            headroom=_round5(row["headroom"]),
            headroom_lowercl=_round5(row["headroom_lowercl"]),
            headroom_uppercl=_round5(row["headroom_uppercl"]),
        )


def _by_level(shares: dict[str, float]) -> dict[str, float]:
    """Smallest areas first (LSOA, MSOA, LAD, ICB), then any other level."""
    order = {t: i for i, t in enumerate(PROFILE_TYPES)}
    return dict(sorted(shares.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _round5(value: float) -> float:
    """Headroom for publication: NaN ("fewer than 8") below 8, as the public policy never shows
    a count of 1 to 7; otherwise to the nearest 5, halves up (as the policy rounds counts)."""
    value = float(value)
    if math.isnan(value) or value < SMALL_HEADROOM:
        return math.nan
    return float(math.floor(value / 5 + 0.5) * 5)


def _rule_text(policy: Policy) -> str:
    if not policy.suppress:
        return "No disclosure control: every count is shown as computed."
    return (
        f"Counts of {policy.suppress_from} to {policy.suppress_to} are hidden (*), every other"
        f" count is rounded to the nearest {policy.round_to}, and every value worked out from a"
        " hidden count is hidden with it. Further cells are hidden where a hidden count could"
        " otherwise be worked back from totals (secondary suppression)."
    )


def _run_details(results: Results) -> dict[str, str]:
    manifest = results.manifest
    reviewed = manifest.get("indicators") or {}
    out = {
        "Results version": str(manifest.get("version", results.version)),
        "Computed": str(manifest.get("created", "")),
        "Engine": str(manifest.get("backend", "")),
        "Population": str(manifest.get("population", "")),
    }
    if isinstance(reviewed, dict) and reviewed:
        out["Catalogue reviewed"] = ", ".join(sorted(set(map(str, reviewed.values()))))
    if isinstance(manifest.get("priorities"), dict):
        out["Priorities from version"] = str(manifest["priorities"].get("from_version", ""))
    return out


def _england_note(whole: pd.DataFrame) -> str:
    if (whole["area_type"] == "england").any():
        return "England figures are from this run (the same method and period)."
    return (
        "This run covers part of England only, so England's figures are not computed here."
        " Where a published national figure exists it is shown with its source and period"
        " (and not tested against, when its period differs); otherwise 'England: not published'."
    )
