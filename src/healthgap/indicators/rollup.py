"""Roll the fine table (indicator × period × lsoa21 × ethnicity × sex × age band) up to coarser
breakdowns: IMD decile, ICB, Census ethnic groups, sex, totals.

Every coarser figure is a sum over the fine table (never a new person-level query), so all
breakdowns of a run add up to the same totals. Area breakdowns come from an `areas` frame keyed
by `lsoa21` (any columns: imd_decile, core20, icb24 ...; `healthgap.geography` builds the real
one); ethnic groups from `healthgap.population.ethnicity`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from healthgap.errors import ArgumentError
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.plan import FINEST_GRAIN
from healthgap.population.ethnicity import ethnic_groups

__all__ = ["NOT_KNOWN_GROUP", "breakdowns", "rollup", "tidy_finest"]

COUNTS = ("numerator", "denominator")
KEYS = ("indicator_id", "period")
NOT_KNOWN_GROUP = "Not stated or not known"
"""Group label for people with no Census ethnic group (NHS codes Z and 99) or no area match."""
_ETHNIC_COLUMNS = {"ethnicity19": "census_2021_group", "ethnicity5": "census_2021_high_level"}


def tidy_finest(frame: pd.DataFrame) -> pd.DataFrame:
    """The fine table in a canonical form: grain columns as Python text objects (missing = None),
    counts as int64, rows sorted by the grain (missing first). Every engine's output goes
    through this before it is compared or rolled up."""
    out = pd.DataFrame(
        {c: frame[c].astype("object").where(frame[c].notna(), None) for c in FINEST_GRAIN}
    )
    for column in COUNTS:
        out[column] = frame[column].to_numpy(dtype="int64")
    return out.sort_values(list(FINEST_GRAIN), na_position="first", ignore_index=True)


def _with_columns(
    finest: pd.DataFrame, wanted: Sequence[str], areas: pd.DataFrame | None
) -> pd.DataFrame:
    frame = finest
    ethnic = [c for c in wanted if c in _ETHNIC_COLUMNS]
    if ethnic:
        groups = ethnic_groups(frame["ethnicity"].fillna("99"))
        frame = frame.assign(
            **{c: groups[_ETHNIC_COLUMNS[c]].fillna(NOT_KNOWN_GROUP) for c in ethnic}
        )
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        if areas is None or "lsoa21" not in areas.columns:
            raise ArgumentError(
                f"Breakdown {missing[0]!r} needs an areas table with lsoa21 and {missing[0]!r}."
            )
        unknown = [c for c in missing if c not in areas.columns]
        if unknown:
            known = ", ".join(c for c in areas.columns if c != "lsoa21")
            raise ArgumentError(f"The areas table has no {unknown[0]!r} column; it has: {known}.")
        lookup = areas.drop_duplicates("lsoa21").set_index("lsoa21")[missing]
        joined = lookup.reindex(frame["lsoa21"].to_numpy())
        frame = frame.assign(**{c: joined[c].to_numpy() for c in missing})
    return frame


def rollup(
    finest: pd.DataFrame,
    by: str | Sequence[str] = (),
    *,
    areas: pd.DataFrame | None = None,
    keep_age_band: bool = False,
) -> pd.DataFrame:
    """Sum numerators and denominators of the fine table by indicator, period and `by`.

    `by` may name fine-table columns (lsoa21, ethnicity, sex, age_band), `ethnicity19` /
    `ethnicity5` (Census 2021 groups from the NHS code; Z and 99 become `NOT_KNOWN_GROUP`), or
    columns of `areas` joined on lsoa21 (imd_decile, icb24 ...; an unmatched LSOA gives a
    missing group, kept). `keep_age_band` keeps age bands apart (what a DSR needs).
    """
    wanted = [by] if isinstance(by, str) else list(by)
    if keep_age_band and "age_band" not in wanted:
        wanted.append("age_band")
    frame = _with_columns(finest, wanted, areas)
    keys = [*KEYS, *wanted]
    summed = frame.groupby(keys, dropna=False, sort=True)[list(COUNTS)].sum().reset_index()
    return summed.astype({c: "int64" for c in COUNTS})


def breakdowns(
    finest: pd.DataFrame,
    indicators: Iterable[Indicator] | Mapping[str, Indicator],
    *,
    areas: pd.DataFrame | None = None,
    within: str | None = None,
) -> pd.DataFrame:
    """Every indicator by each of its declared breakdowns, plus a `total`, as one long table.

    Columns: indicator_id, period, area_type, area_code, breakdown, group, age_band,
    numerator, denominator (and `standard_population` for DSR indicators). `within` (an areas
    column such as "icb24") repeats every breakdown inside each of its areas; without it the
    area is the whole population given (`area_type` "all", `area_code` "all"). DSR rows keep
    their age bands, with every band of the standard population present (zero-filled) so
    `healthgap.stats.dsr` can join the standard weights; other rows have age_band "all".
    """
    items = list(indicators.values() if isinstance(indicators, Mapping) else indicators)
    area = [] if within is None else [within]
    parts = []
    for indicator in items:
        mine = finest[finest["indicator_id"] == indicator.id]
        is_dsr = indicator.method == "dsr"
        for breakdown in ("total", *indicator.breakdowns):
            if is_dsr and breakdown == "age_band":
                by = area  # age_band is kept anyway: the DSR's own bands
            else:
                by = [*area, *([] if breakdown == "total" else [breakdown])]
            table = rollup(mine, by, areas=areas, keep_age_band=is_dsr)
            group = (
                "all"
                if breakdown == "total"
                else "age_band"
                if breakdown == "age_band" and is_dsr
                else breakdown
            )
            table = table.assign(
                area_type="all" if within is None else within,
                area_code="all" if within is None else table[within].astype("object"),
                breakdown=breakdown,
                group=table[group].astype("object").where(table[group].notna(), None)
                if group != "all"
                else "all",
            )
            if not is_dsr:
                table = table.assign(age_band="all")
            else:
                table = _complete_bands(table, indicator)
            parts.append(table)
    columns = [
        "indicator_id",
        "period",
        "area_type",
        "area_code",
        "breakdown",
        "group",
        "age_band",
        *COUNTS,
    ]
    out = pd.concat(
        [p.reindex(columns=[*columns, "standard_population"]) for p in parts], ignore_index=True
    )
    out["group"] = out["group"].map(lambda v: v if v is None else str(v))
    if out["standard_population"].isna().all():
        out = out.drop(columns="standard_population")
    return out.astype({c: "int64" for c in COUNTS})


def _complete_bands(table: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Every standard-population band for each group, zero-filled, with its weight."""
    weights = indicator.standard_weights
    keys = ["indicator_id", "period", "area_type", "area_code", "breakdown", "group"]
    groups = table[keys].drop_duplicates()
    bands = pd.DataFrame({"age_band": [b.label for b in indicator.age_bands]})
    full = groups.merge(bands, how="cross")
    merged = full.merge(table[[*keys, "age_band", *COUNTS]], on=[*keys, "age_band"], how="left")
    merged[list(COUNTS)] = merged[list(COUNTS)].fillna(0)
    return merged.assign(standard_population=merged["age_band"].map(weights))
