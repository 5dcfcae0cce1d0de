"""Census 2011 ethnic group by LSOA (ONS KS201EW), on LSOA 2011 or apportioned to LSOA 2021.

The mirror has 14 groups (the four Mixed groups are combined); "Gypsy or Irish Traveller" has
no column and is derived as persons minus the 14 groups (57,680 in England and Wales). This is
2011 data: Census 2021 ethnic group (TS021) by LSOA is not in the mirror. Only English LSOAs
are kept.

On LSOA 2021 (the default) counts are moved with `areas.to_lsoa21`: unchanged and merged LSOAs
keep whole counts; a split 2011 LSOA's counts are shared among its 2021 parts in proportion to
their Census 2021 populations, so those counts are fractional and assume each group was spread
like the 2021 population.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, DataSourceError
from healthgap.geography._cache import cached_table
from healthgap.geography._read import read_csv
from healthgap.geography.areas import to_lsoa21

# mirror column -> healthgap name (KS201EW categories)
ETHNIC_GROUPS: dict[str, str] = {
    "WhiteBrit": "white_british",
    "Irish": "white_irish",
    "OtherWhite": "other_white",
    "Mixed": "mixed",
    "Indian": "indian",
    "Pakistani": "pakistani",
    "Bangladeshi": "bangladeshi",
    "Chinese": "chinese",
    "OtherAsian": "other_asian",
    "BlkAfrican": "black_african",
    "BlkCaribbean": "black_caribbean",
    "OtherBlk": "other_black",
    "Arab": "arab",
    "Other": "other_ethnic_group",
}
GROUP_COLUMNS = [*ETHNIC_GROUPS.values(), "gypsy_irish_traveller"]


def ethnicity2011(config: DataConfig | None = None, *, geography: str = "lsoa21") -> pd.DataFrame:
    """Usual residents by ethnic group, Census 2011, per English LSOA.

    geography "lsoa11": the published counts (lsoa11_code, 15 group columns, persons);
    "lsoa21" (default): the same apportioned to LSOA 2021 (lsoa21_code, ..., persons; floats).
    Group columns: white_british, white_irish, other_white, mixed, indian, pakistani,
    bangladeshi, chinese, other_asian, black_african, black_caribbean, other_black, arab,
    other_ethnic_group, gypsy_irish_traveller.
    """
    if geography not in ("lsoa11", "lsoa21"):
        raise ArgumentError(f"geography must be 'lsoa11' or 'lsoa21', got {geography!r}")
    config = config or DataConfig.from_env()
    counts = cached_table("ethnicity2011", _build, config)
    if geography == "lsoa11":
        return counts
    return to_lsoa21(counts, [*GROUP_COLUMNS, "persons"], config=config)


def _build(paths: dict[str, Path]) -> pd.DataFrame:
    path = paths["census2011_ethnicity"]
    columns = {"lsoa11_code": "lsoa11_code", **ETHNIC_GROUPS, "persons": "persons"}
    counts = read_csv(path, columns, text=("lsoa11_code",))
    counts = counts[counts["lsoa11_code"].str.startswith("E01")]
    groups = list(ETHNIC_GROUPS.values())
    counts["gypsy_irish_traveller"] = counts["persons"] - counts[groups].sum(axis=1)
    negative = counts.loc[counts["gypsy_irish_traveller"] < 0, "lsoa11_code"]
    if len(negative):
        raise DataSourceError(
            f"{path}: the 14 groups exceed persons in {len(negative)} LSOAs: "
            + ", ".join(negative.head(5))
        )
    return counts[["lsoa11_code", *GROUP_COLUMNS, "persons"]].sort_values(
        "lsoa11_code", ignore_index=True
    )
