"""Helpers shared by the synthetic population tests (test_generate.py, test_periods.py)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from healthgap.config import DataConfig
from healthgap.geography.ethnicity import GROUP_COLUMNS
from healthgap.synthetic.generate import Effects, SynthAreas
from tests.geography.mirror_fixture import write_mirror

REF = date(2025, 3, 31)
"""A reference date that covers the 2024/25 periods only (2025/26 ends later)."""
GROUPS = ["white", "mixed", "asian", "black", "other"]


def mirror_config(tmp_path: Path) -> DataConfig:
    """The fixture mirror (checksums off: its files are not the registered ones)."""
    return DataConfig(mirror=write_mirror(tmp_path / "mirror"), var=tmp_path / "gvar", verify=False)


def areas(
    bands: list[int], *, lsoas: int = 1, deciles: list[int] | None = None, mix: dict | None = None
) -> SynthAreas:
    """Hand-built inputs: `lsoas` LSOAs E01000001.. with the same band counts and ethnic mix."""
    weights = np.zeros(len(GROUP_COLUMNS))
    for group, count in (mix or {"white_british": 1}).items():
        weights[GROUP_COLUMNS.index(group)] = count
    return SynthAreas(
        lsoa21=np.array([f"E01{k:06d}" for k in range(1, lsoas + 1)]),
        msoa21=np.array([f"E02{k:06d}" for k in range(1, lsoas + 1)]),
        imd_decile=np.array(deciles or [5] * lsoas),
        age_counts=np.tile(bands, (lsoas, 1)),
        ethnicity=np.tile(weights, (lsoas, 1)),
    )


def read(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pq.read_table(out / "people.parquet").to_pandas(),
        pq.read_table(out / "events.parquet").to_pandas(),
    )


def within(observed: float, expected: float, n: int, z: float = 4.5) -> bool:
    """|observed - expected| <= z standard errors of a binomial share (z = 4.5: a false alarm
    about once in 150,000 checks)."""
    return abs(observed - expected) <= z * math.sqrt(expected * (1 - expected) / n)


def flat(outcomes: dict[str, dict], **settings: object) -> Effects:
    """No effects at all (no gradients, no practice effects, no trend unless an outcome sets
    one): every eligible person has the outcome's baseline."""
    zero = {"imd_per_decile": 0, "age_per_decade": 0, "male": 0, "per_year": 0}
    kinds = {kind: {**zero, "ethnicity": dict.fromkeys(GROUPS, 0)} for kind in ("uptake", "rate")}
    condition = {k: v for k, v in zero.items() if k != "per_year"}
    kinds["condition"] = {**condition, "ethnicity": dict.fromkeys(GROUPS, 0)}
    return Effects.from_mapping({**kinds, "practice_sd": 0, "outcomes": outcomes, **settings})


def birth(people: pd.DataFrame) -> pd.Series:
    """The 1st of each person's birth month."""
    return pd.to_datetime(people["birth_month"] + "-01")


def age_on(people: pd.DataFrame, year: int, month: int) -> pd.Series:
    """Whole years in month `month` of `year`, counted from the birth month (as the engines)."""
    born = birth(people)
    return ((year - born.dt.year) * 12 + (month - born.dt.month)) // 12
