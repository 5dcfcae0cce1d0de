"""Monitoring series in the results store: `series.parquet` (docs/results.md).

The web app and the reports never see person-level data, so the pipeline publishes the series
that `healthgap.indicators.series.compute_series` computes as aggregates, one row per indicator
× period × area, in the results store beside the annual results:

    healthgap indicators series --population DIR --indicator ID --area CODE ... \\
        --from 2023-04 --to 2026-03 --publish var/results/black-country

`publish_series` writes a new store version carrying every other table of the live version
(`store.publish_beside`, as `healthgap priorities` does). Rows already in the live series
table for another indicator, area or period are kept; rows for the same indicator × area ×
period are replaced by the new ones, so programmes' series can be published one at a time.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.errors import InputDataError
from healthgap.indicators.store import Results, open_results, publish_beside

TABLE = "series"
COLUMNS = [
    "indicator_id", "period_start", "area_type", "area_code", "category_type", "category",
    "numerator", "denominator", "value", "lowercl", "uppercl", "method", "multiplier",
]  # fmt: skip
KEY = ["indicator_id", "area_code", "category_type", "category", "period_start"]


def to_published(series: pd.DataFrame) -> pd.DataFrame:
    """The `series.parquet` columns of a `compute_series` table: `period_start` as a date (the
    first day of the month or quarter), breakdown `all`/`All` (series have no breakdowns yet),
    counts as floats (as in results.parquet)."""
    missing = [c for c in COLUMNS if c not in series.columns and c not in ("category_type",
                                                                          "category")]  # fmt: skip
    if missing:
        raise InputDataError(f"A series table needs the columns {missing}; it has "
                             f"{list(series.columns)}.")  # fmt: skip
    out = series.assign(
        period_start=pd.to_datetime(series["period_start"]).dt.date,
        category_type=series.get("category_type", "all"),
        category=series.get("category", "All"),
    )[COLUMNS]
    return out.astype({"numerator": "float64", "denominator": "float64", "multiplier": "float64"})


def publish_series(results_dir: str | Path, series: pd.DataFrame, info: dict) -> Results:
    """Publish `series` (a `compute_series` table) into the store at `results_dir` as a new
    version, merged with the live version's series table (module docstring)."""
    live = open_results(results_dir)
    new = to_published(series)
    if (live.path / f"{TABLE}.parquet").is_file():
        old = live.table(TABLE)
        keys = pd.MultiIndex.from_frame(new[KEY])
        kept = old[~pd.MultiIndex.from_frame(old[KEY]).isin(keys)]
        new = pd.concat([kept, new], ignore_index=True) if len(kept) else new
    new = new.sort_values(["indicator_id", "area_type", "area_code", "period_start"],
                          ignore_index=True)  # fmt: skip
    return publish_beside(live, TABLE, new, {**info, "rows": len(new)})
