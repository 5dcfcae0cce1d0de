"""GOV.UK files (MHCLG English Indices of Deprivation) and other files published as CSV.

IoD2025 File 7 and IoD2019 File 7 ("all ranks, deciles and scores for the indices of
deprivation, and population denominators") are CSV files on assets.publishing.service.gov.uk.
Every IoD column in the mirror's LSOA-level IMD files is a column of File 7: the IoD2019 mirror
files are CSV exports of the xlsx Files 1 (IMD rank and decile), 2 (domain ranks and deciles) and
6 (population denominators), whose columns File 7 repeats under the same names (File 1 drops
the "(where 1 is most deprived ...)" suffixes). So the official fetcher reads File 7 once and
writes each file. Files published only as xlsx workbooks (IoD2019 File 8; IoD2025 Files 8, 10
and 13) are not read: healthgap has no xlsx reader (openpyxl is not a dependency), so those come
from the mirror or a hosted copy of it.

`verbatim` files (the House of Commons Library's QOF outputs on GitHub) are kept byte for byte.
"""

from __future__ import annotations

import pandas as pd

from healthgap.geography._fetch_base import Columns, Context, Recipe, frame_from_csv, pick_columns

GOV_UK = "GOV.UK (MHCLG)"
IOD19_FILE7 = (
    "government/uploads/system/uploads/attachment_data/file/845345/"
    "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
)
IOD25_FILE7 = (
    "media/691ded56d140bbbaa59a2a7d/"
    "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"
)
XLSX_ONLY = {
    "imd2019_indicators": "IoD2019 File 8 (underlying indicators)",
    "imd2025_indicators": "IoD2025 File 8 (underlying indicators)",
    "imd2025_lad24": "IoD2025 File 10 (local authority district summaries)",
    "imd2025_icb24": "IoD2025 File 13 (Integrated Care Board summaries)",
}

RANK = " Rank (where 1 is most deprived)"
DECILE = " Decile (where 1 is most deprived 10% of LSOAs)"
# mirror prefix (IoD2025 files) -> File 7 domain name, and its score column
DOMAINS = {
    "IMD": ("Index of Multiple Deprivation (IMD)", "Index of Multiple Deprivation (IMD) Score"),
    "Income": ("Income", "Income Score (rate)"),
    "Employment": ("Employment", "Employment Score (rate)"),
    "Education": ("Education, Skills and Training", "Education, Skills and Training Score"),
    "Health": ("Health Deprivation and Disability", "Health Deprivation and Disability Score"),
    "Crime": ("Crime", "Crime Score"),
    "Housing_and_Services": (
        "Barriers to Housing and Services",
        "Barriers to Housing and Services Score",
    ),
    "Environment": ("Living Environment", "Living Environment Score"),
}
SUBDOMAINS = {
    "children_and_young_people": "Children and Young People Sub-domain",
    "adult_skills": "Adult Skills Sub-domain",
    "geographical_barriers": "Geographical Barriers Sub-domain",
    "wider_barriers": "Wider Barriers Sub-domain",
    "indoors": "Indoors Sub-domain",
    "outdoors": "Outdoors Sub-domain",
}
_LSOA11 = ("LSOA code (2011)", "LSOA name (2011)", "Local Authority District code (2019)",
           "Local Authority District name (2019)")  # fmt: skip
POPULATION_2015 = (
    "Total population: mid 2015 (excluding prisoners)",
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
    "Population aged 16-59: mid 2015 (excluding prisoners)",
    "Older population aged 60 and over: mid 2015 (excluding prisoners)",
    "Working age population 18-59/64: for use with Employment Deprivation Domain"
    " (excluding prisoners)",
)


def csv_file(host: str, path: str, columns: Columns, publisher: str = GOV_UK) -> Recipe:
    """The `columns` of a published CSV file (read once per run however many sources use it)."""

    def build(ctx: Context) -> pd.DataFrame:
        frame = frame_from_csv(ctx.get(ctx.url(host, path), keep=True), f"{publisher} {path}")
        ctx.advance(len(frame), total=len(frame))
        return pick_columns(frame, columns, f"{publisher} {path}")

    return Recipe(publisher, f"{host}:{path}", build, columns=tuple(columns))


def verbatim(host: str, path: str, publisher: str) -> Recipe:
    """A published file kept byte for byte."""

    def build(ctx: Context) -> bytes:
        body = ctx.get(ctx.url(host, path))
        ctx.advance(1, total=1)
        return body

    return Recipe(publisher, f"{host}:{path}", build, verbatim=True)


def _same(names: tuple[str, ...]) -> dict[str, str]:
    return {name: name for name in names}


IMD2025_LSOA21: dict[str, str] = {
    "lsoa21_code": "LSOA code (2021)",
    **{f"{key}_decile": name + DECILE for key, (name, _) in DOMAINS.items()},
    **{f"{key}_rank": name + RANK for key, (name, _) in DOMAINS.items()},
    **{f"{key}_score": score for key, (_, score) in DOMAINS.items()},
}
IMD2025_SUBDOMAINS: dict[str, str] = {
    "lsoa21_code": "LSOA code (2021)",
    **{
        f"{key}_{part}": name + suffix
        for key, name in SUBDOMAINS.items()
        for part, suffix in (("score", " Score"), ("rank", RANK), ("decile", DECILE))
    },
}
_IMD = DOMAINS["IMD"][0]
IMD2019_FILE1: dict[str, str] = {
    **_same(_LSOA11),
    f"{_IMD} Rank": _IMD + RANK,
    f"{_IMD} Decile": _IMD + DECILE,
}
IMD2019_FILE2: dict[str, str] = {
    **_same(_LSOA11),
    **{column: column for name, _ in DOMAINS.values() for column in (name + RANK, name + DECILE)},
}
IMD2019_FILE6: dict[str, str] = {**_same(_LSOA11), **_same(POPULATION_2015)}
