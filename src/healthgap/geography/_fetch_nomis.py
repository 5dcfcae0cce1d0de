"""Nomis (ONS's census and labour-market service): Census 2021 and 2011 tables by LSOA.

Queries are `<nomis host>/<dataset>.data.csv?geography=...&measures=20100&select=...`. Nomis
returns at most 25,000 rows per request and says nothing when more exist, so every query is read
in pages with `RecordOffset=N&RecordLimit=25000` until a page comes back short; each area must
then have every category (a truncated answer fails loudly). Datasets (Nomis API help,
https://www.nomisweb.co.uk/api/v01/help):

- `NM_2027_1`, Census 2021 TS007 age by single year (`c2021_age_102`: code n = age n - 1, 101 =
  "100 years and over"), summed into the mirror's 6 age bands (the bands of TS007A, 5-year
  groups, cannot give "15 years and under");
- `NM_2041_1`, Census 2021 TS021 ethnic group (`c2021_eth_20`: 1-19 the detailed groups);
- `NM_608_1`, Census 2011 KS201EW ethnic group (`cell`: 0 all usual residents; 1 White British,
  2 Irish, 3 Gypsy or Irish Traveller, 4 Other White; 200 all Mixed; 9-13 Indian, Pakistani,
  Bangladeshi, Chinese, Other Asian; 14-16 African, Caribbean, Other Black; 17 Arab; 18 any
  other). Each code's name is checked, so a renumbered table fails rather than shifts columns.

Geographies: `TYPE151` = LSOA 2021, `TYPE298` = LSOA 2011 (England and Wales). Nomis's small-area
census counts carry ONS's cell-key perturbation, so sums of single years differ slightly from
the mirror's custom 6-band table (see docs/data.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.errors import DataSourceError
from healthgap.geography._fetch_base import Context, Recipe, frame_from_csv, pick_columns
from healthgap.geography._read import read_csv

PUBLISHER = "Nomis (ONS)"
PAGE_ROWS = 25_000
AGE_GROUPS = ("Aged 15 years and under", "Aged 16 to 24 years", "Aged 25 to 34 years",
              "Aged 35 to 49 years", "Aged 50 to 64 years", "Aged 65 years and over")  # fmt: skip
AGE_EDGES = (-1, 15, 24, 34, 49, 64, 100)  # band i holds ages in (edge i, edge i+1]
# KS201EW cell -> (mirror column, a word its Nomis name must contain)
KS201EW = {
    0: ("persons", "all"),
    1: ("WhiteBrit", "british"),
    2: ("Irish", "irish"),
    4: ("OtherWhite", "other white"),
    200: ("Mixed", "mixed"),
    9: ("Indian", "indian"),
    10: ("Pakistani", "pakistani"),
    11: ("Bangladeshi", "bangladeshi"),
    12: ("Chinese", "chinese"),
    13: ("OtherAsian", "other asian"),
    14: ("BlkAfrican", "african"),
    15: ("BlkCaribbean", "caribbean"),
    16: ("OtherBlk", "other black"),
    17: ("Arab", "arab"),
    18: ("Other", "other ethnic group"),
}
KS201EW_PLACES = {"msoa11_code": "MSOA11CD", "lad_name": "LAD17NM", "region_name": "RGN11NM"}


def census2021_age6() -> Recipe:
    """Usual residents by LSOA 2021 in the mirror's 6 age bands, from TS007 single years."""
    columns = ("lsoa21_code", "lsoa21_name", "age_group", "usual_residents")

    def build(ctx: Context) -> pd.DataFrame:
        params = {"date": "latest", "geography": "TYPE151", "c2021_age_102": "1...101",
                  "measures": "20100",
                  "select": "geography_code,geography_name,c2021_age_102,obs_value"}  # fmt: skip
        fields = {"lsoa21_code": "GEOGRAPHY_CODE", "lsoa21_name": "GEOGRAPHY_NAME",
                  "age": "C2021_AGE_102", "usual_residents": "OBS_VALUE"}  # fmt: skip
        rows = _categories(ctx, "NM_2027_1", params, fields, "age", 101)
        age = _numbers(rows["age"], "NM_2027_1 age codes") - 1
        band = pd.cut(age, AGE_EDGES, labels=list(AGE_GROUPS))
        people = _numbers(rows["usual_residents"], "NM_2027_1 counts")
        area = pd.Categorical(rows["lsoa21_code"], categories=pd.unique(rows["lsoa21_code"]))
        sums = people.groupby([area, band], observed=True, sort=True).sum()
        names = rows.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["lsoa21_name"]
        codes = sums.index.get_level_values(0).astype(str)
        out = pd.DataFrame({
            "lsoa21_code": codes,
            "lsoa21_name": names.reindex(codes).to_numpy(),
            "age_group": sums.index.get_level_values(1).astype(str),
            "usual_residents": sums.to_numpy().astype(str),
        })  # fmt: skip
        return out

    return Recipe(PUBLISHER, "nomis:NM_2027_1 (TS007)", build, columns=columns)


def census2021_ethnicity() -> Recipe:
    """Usual residents by LSOA 2021 and the 19 detailed ethnic groups of TS021 (long format)."""
    columns = ("lsoa21_code", "lsoa21_name", "ethnic_group", "usual_residents")

    def build(ctx: Context) -> pd.DataFrame:
        select = "geography_code,geography_name,c2021_eth_20_name,obs_value"
        params = {"date": "latest", "geography": "TYPE151", "c2021_eth_20": "1...19",
                  "measures": "20100", "select": select}  # fmt: skip
        fields = {"lsoa21_code": "GEOGRAPHY_CODE", "lsoa21_name": "GEOGRAPHY_NAME",
                  "ethnic_group": "C2021_ETH_20_NAME", "usual_residents": "OBS_VALUE"}  # fmt: skip
        rows = _categories(ctx, "NM_2041_1", params, fields, "ethnic_group", 19)
        area = pd.Categorical(rows["lsoa21_code"], categories=pd.unique(rows["lsoa21_code"]))
        order = np.argsort(area.codes, kind="stable")  # area by area, groups in Nomis's order
        return rows.iloc[order].reset_index(drop=True)

    return Recipe(PUBLISHER, "nomis:NM_2041_1 (TS021)", build, columns=columns)


def census2011_ethnicity(places: str) -> Recipe:
    """KS201EW by LSOA 2011 in the mirror's 14 groups, with MSOA, LAD and region from `places`.

    `places` is the output-area lookup source (LSOA11CD -> MSOA11CD, LAD17NM, RGN11NM; Wales
    rows have region "Wales").
    """
    columns = ("lsoa11_code", *(name for name, _ in KS201EW.values()), *KS201EW_PLACES)

    def build(ctx: Context) -> pd.DataFrame:
        params = {"date": "latest", "geography": "TYPE298", "rural_urban": "0",
                  "cell": "0...2,4,200,9...18", "measures": "20100",  # not 3: a remainder
                  "select": "geography_code,cell,cell_name,obs_value"}  # fmt: skip
        fields = {"lsoa11_code": "GEOGRAPHY_CODE", "cell": "CELL", "cell_name": "CELL_NAME",
                  "value": "OBS_VALUE"}  # fmt: skip
        rows = _categories(ctx, "NM_608_1", params, fields, "cell", len(KS201EW))
        _check_cells(_numbers(rows["cell"], "NM_608_1 cell codes"), rows["cell_name"])
        wide = rows.pivot(index="lsoa11_code", columns="cell", values="value")
        wide.columns = [KS201EW[int(code)][0] for code in wide.columns]
        wide = wide.reindex(pd.unique(rows["lsoa11_code"]))[[n for n, _ in KS201EW.values()]]
        lookup = read_csv(ctx.dependency(places), ["LSOA11CD", *KS201EW_PLACES.values()])
        lookup = lookup.drop_duplicates("LSOA11CD").set_index("LSOA11CD")
        unplaced = wide.index.difference(lookup.index)
        if len(unplaced):
            raise DataSourceError(
                f"{len(unplaced)} LSOAs of KS201EW are not in {places} (e.g. {unplaced[0]})."
            )
        placed = lookup.reindex(wide.index).rename(
            columns={v: k for k, v in KS201EW_PLACES.items()}
        )
        return pd.concat([wide, placed], axis=1).rename_axis("lsoa11_code").reset_index()

    return Recipe(PUBLISHER, "nomis:NM_608_1 (KS201EW)", build, needs=(places,), columns=columns)


def _categories(
    ctx: Context,
    dataset: str,
    params: dict[str, str],
    fields: dict[str, str],
    category: str,
    expected: int,
) -> pd.DataFrame:
    """Every page of a Nomis query, `fields` picked; each area must have `expected` rows."""
    rows = pick_columns(_pages(ctx, dataset, params), fields, f"{PUBLISHER} {dataset}")
    per_area = rows.groupby(rows.columns[0], sort=False)[category].nunique()
    short = per_area[per_area != expected]
    if len(short):
        raise DataSourceError(
            f"{PUBLISHER} {dataset}: {len(short):,} areas do not have all {expected} categories"
            f" (e.g. {short.index[0]} has {short.iloc[0]}); the answer was cut short or the"
            " table has changed."
        )
    return rows


def _pages(ctx: Context, dataset: str, params: dict[str, str]) -> pd.DataFrame:
    """All rows of a Nomis CSV query, read `PAGE_ROWS` at a time until a page is short."""
    frames: list[pd.DataFrame] = []
    offset = 0
    ctx.first_url = ctx.first_url or ctx.url("nomis", f"{dataset}.data.csv", params)
    while True:
        paging = {"RecordOffset": offset, "RecordLimit": PAGE_ROWS}
        url = ctx.url("nomis", f"{dataset}.data.csv", {**params, **paging})
        body = ctx.get(url)
        if not body.strip():
            if offset:
                break
            raise DataSourceError(
                f"Nomis returned nothing for {url}: a dataset, geography or category code is"
                " wrong (Nomis answers an empty page rather than an error)."
            )
        frame = frame_from_csv(body, f"{PUBLISHER} {dataset} (rows from {offset:,})")
        frames.append(frame)
        ctx.advance(len(frame))
        offset += len(frame)
        if len(frame) < PAGE_ROWS:
            break
    return pd.concat(frames, ignore_index=True)


def _numbers(values: pd.Series, what: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any():
        bad = values[numbers.isna()].iloc[0]
        raise DataSourceError(f"{PUBLISHER} {what}: {bad!r} is not a number.")
    return numbers.astype("int64")


def _check_cells(cells: pd.Series, names: pd.Series) -> None:
    """Each KS201EW cell code must carry the name expected for it (e.g. 9 = "... Indian")."""
    pairs = pd.DataFrame({"cell": cells, "name": names.str.casefold()}).drop_duplicates()
    for code, (_, word) in KS201EW.items():
        found = pairs.loc[pairs["cell"] == code, "name"]
        if found.empty or not found.str.contains(word, regex=False).all():
            got = repr(found.iloc[0]) if len(found) else "missing"
            raise DataSourceError(
                f"{PUBLISHER} NM_608_1 cell {code} is {got}, not the {word!r} group healthgap"
                " expects: the table's codes have changed."
            )
