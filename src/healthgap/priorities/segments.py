"""Core20PLUS5 segmentation (NHS England; standards.md §2) and partner cold spots.

- **Core20**: an LSOA is Core20 when its national IMD 2025 rank is in the most deprived 20%
  (`healthgap.geography.imd2025`). A wider area (MSOA, LAD, ...) is flagged when at least half
  of its residents live in Core20 LSOAs (`area_table(level).core20_share >= 0.5`).
- **PLUS**: groups the partnership agrees locally. By default, an ethnic minority group (any
  `ethnicity5` / `ethnicity19` group except White / White British and "not known") whose
  value is significantly worse than its own area's overall value: the area's value lies
  outside the group's 95% confidence interval on the worse side. This is the Fingertips
  "compared with benchmark" rule, with the area's overall value as the benchmark (it is far more
  precise than the group's own value, of which it is partly made).
- **5**: the Core20PLUS5 clinical area an indicator serves (`CLINICAL_AREAS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from healthgap.errors import ArgumentError
from healthgap.geography import DataConfig, area_table, imd2025
from healthgap.indicators.rollup import NOT_KNOWN_GROUP

CLINICAL_AREAS: dict[str, str | None] = {
    "bowel_screening_coverage": "Early cancer diagnosis (adults)",
    "breast_screening_coverage": "Early cancer diagnosis (adults)",
    "cervical_screening_25_49": "Early cancer diagnosis (adults)",
    "cervical_screening_50_64": "Early cancer diagnosis (adults)",
    "hypertension_recorded_prevalence": "Hypertension case-finding (adults)",
    "nhs_health_check_uptake": "Hypertension case-finding (adults)",
    "smi_physical_health_checks": "Severe mental illness: annual health checks (adults)",
    "flu_vaccination_65_plus": "Chronic respiratory disease: COVID-19 and flu vaccination (adults)",
    "covid19_autumn_booster_75_plus": (
        "Chronic respiratory disease: COVID-19 and flu vaccination (adults)"
    ),
    "diabetes_recorded_prevalence": None,
    "emergency_admissions_dsr": None,
    "emergency_admissions_acsc_dsr": None,
    "emergency_admissions_falls_65_plus_dsr": None,
    "emergency_admissions_care_home_residents": None,
    "emergency_readmissions_30_days": None,
    "discharge_to_usual_place_of_residence": None,
    "mmr2_by_age_5": None,
}
"""Catalogue indicator -> Core20PLUS5 clinical area (None: serves none of the ten).

Screening coverage drives earlier cancer diagnosis; the NHS Health Check includes a blood
pressure check, a main route of hypertension case-finding; COVID-19 and flu vaccination are the
named lever for chronic respiratory disease. Diabetes in adults, all-cause emergency admissions
and MMR are not among the adult or children and young people's five (asthma, diabetes,
epilepsy, oral health, mental health), so they are mapped to none; so are the ACSC, falls and
care home admissions, readmissions and discharge home (hospital avoidance and discharge
outcomes that span several areas, not one of the five's named levers).
"""

ETHNIC_TYPES = ("ethnicity5", "ethnicity19")
MAJORITY_GROUPS = frozenset({"White", "English, Welsh, Scottish, Northern Irish or British"})
"""The groups that are not ethnic minorities: Census 2021 White (5 groups) and White British
(19 groups), as `healthgap.population.ethnicity` labels them."""
CORE20_SHARE = 0.5


def core20_flags(level: str = "lsoa21", config: DataConfig | None = None) -> pd.DataFrame:
    """Core20 flag per area of `level` from IMD 2025: columns `area_code`, `core20`.

    lsoa21: the LSOA's own flag; other levels: at least half the residents in Core20 LSOAs.
    Reads the reference data (`healthgap data fetch`); DataSourceError if it is missing.
    """
    if level == "lsoa21":
        table = imd2025(config)
        return pd.DataFrame({"area_code": table["lsoa21_code"], "core20": table["core20"]})
    table = area_table(level, config)
    code = next(c for c in table.columns if c.endswith("_code"))
    return pd.DataFrame({"area_code": table[code], "core20": table["core20_share"] >= CORE20_SHARE})


def plus_group_flags(
    frame: pd.DataFrame, groups: Iterable[tuple[str, str]] | None = None
) -> np.ndarray:
    """True for rows whose group is a PLUS group.

    `groups`: the locally agreed list of (category_type, category) pairs, e.g.
    [("ethnicity5", "Black")]; those rows are PLUS groups whatever their value. Without it, the
    default rule (module docstring) needs columns category_type, category, polarity, lowercl,
    uppercl and `overall_value` (the same area's value for everyone).
    """
    kinds, labels = frame["category_type"].to_numpy(object), frame["category"].to_numpy(object)
    if groups is not None:
        chosen = {(str(kind), str(label)) for kind, label in groups}
        return np.array([(k, c) in chosen for k, c in zip(kinds, labels, strict=True)], bool)
    minority = np.isin(kinds, ETHNIC_TYPES) & ~np.isin(labels, [*MAJORITY_GROUPS, NOT_KNOWN_GROUP])
    overall = frame["overall_value"].to_numpy(float)
    polarity = frame["polarity"].to_numpy(object)
    worse = np.where(
        polarity == "higher_is_better",
        frame["uppercl"].to_numpy(float) < overall,
        (polarity == "lower_is_better") & (frame["lowercl"].to_numpy(float) > overall),
    )
    return minority & worse


def clinical_area(indicator_ids: pd.Series, areas: Mapping[str, str | None]) -> pd.Series:
    """The Core20PLUS5 clinical area of each indicator id (None where it serves none)."""
    mapped = indicator_ids.map(dict(areas)).astype(object)
    return mapped.where(mapped.notna(), None)


def cold_spots(priorities: pd.DataFrame, partner_coverage: pd.DataFrame) -> pd.DataFrame:
    """Priority neighbourhoods where no partner is active.

    `priorities`: rows from `prioritise` (any subset, e.g. the top 50). `partner_coverage`: one
    row per area code reached by at least one active partner (column `area_code`); when it has a
    `partners` column, areas with partners <= 0 count as uncovered.

    Returns one row per uncovered area, in priority order: area_type, area_code, area_name,
    parent_code, core20, best_rank (its highest-ranked row), priority_rows (how many ranked rows
    it has), top_indicator_id and top_explanation (those of its best row).
    """
    for name, frame, needed in (
        ("priorities", priorities, ("rank", "area_type", "area_code", "area_name")),
        ("partner_coverage", partner_coverage, ("area_code",)),
    ):
        absent = [c for c in needed if c not in frame.columns]
        if absent:
            raise ArgumentError(f"cold_spots: {name} has no column(s) {', '.join(absent)}.")
    covered = partner_coverage
    if "partners" in covered.columns:
        covered = covered[pd.to_numeric(covered["partners"]) > 0]
    uncovered = priorities[~priorities["area_code"].isin(covered["area_code"])]
    ordered = uncovered.sort_values("rank", kind="stable")
    counts = ordered.groupby("area_code", sort=False).size().rename("priority_rows")
    best = ordered.drop_duplicates("area_code").set_index("area_code")
    out = pd.DataFrame({
        "area_type": best["area_type"],
        "area_name": best["area_name"],
        "parent_code": best.get("parent_code"),
        "core20": best.get("core20"),
        "best_rank": best["rank"],
        "priority_rows": counts.reindex(best.index),
        "top_indicator_id": best.get("indicator_id"),
        "top_explanation": best.get("explanation"),
    })  # fmt: skip
    return out.reset_index(names="area_code")[
        ["area_type", "area_code", *out.columns.drop("area_type")]
    ]
