"""A tiny open-data mirror written by the tests, in the real files' column layouts.

Ten English LSOAs 2021 in two ICBs (plus one Welsh LSOA where the real files cover E&W):

| LSOA21    | name       | MSOA21 (by name)    | LAD24 | sub-ICB (ODS) | ICB (ODS)       | region |
|-----------|------------|---------------------|-------|---------------|-----------------|--------|
| E01000001 | Alpha 001A | E02000001 Alpha 001 | Alpha | E38000001 01A | E54000001 (QAA) | E12..5 |
| E01000002 | Alpha 001B | E02000001 Alpha 001 | Alpha | E38000001 01A | E54000001 (QAA) | E12..5 |
| E01000003 | Alpha 002A | E02000002 Alpha 002 | Alpha | E38000001 01A | E54000001 (QAA) | E12..5 |
| E01000004 | Beta 001A  | E02000003 Beta 001  | Beta  | E38000002 02B | E54000001 (QAA) | E12..5 |
| E01000005 | Beta 001B  | E02000003 Beta 001  | Beta  | E38000002 02B | E54000001 (QAA) | E12..5 |
| E01000006 | Gamma 001A | E02000004 Gamma 001 | Gamma | E38000003 03C | E54000002 (QBB) | E12..4 |
| E01000007 | Gamma 001B | E02000004 Gamma 001 | Gamma | E38000003 03C | E54000002 (QBB) | E12..4 |
| E01000008 | Gamma 002A | E02000005 Gamma 002 | Gamma | E38000003 03C | E54000002 (QBB) | E12..4 |
| E01000009 | Gamma 002B | E02000005 Gamma 002 | Gamma | E38000003 03C | E54000002 (QBB) | E12..4 |
| E01000010 | Gamma 002C | E02000005 Gamma 002 | Gamma | E38000003 03C | E54000002 (QBB) | E12..4 |

LADs: Alpha E08000001 and Beta E08000002 in the West Midlands (E12..5 = E12000005); Gamma
E06000001 in the East Midlands (E12000004).
IMD 2025: LSOA E0100000k has IMD rank k and decile k (N = 10, so Core20 = ranks 1-2) and
score 50 - 4k. Census 2021 population: every age band of E0100000k holds 10k people (E01000010:
100 per band), so an LSOA's total is 60k. LSOA 2011 -> 2021: E01000001-3 and E01000007-10
unchanged; 2011 E01000090 split (S) into E01000004 and E01000005; 2011 E01000091 and
E01000092 merged (M) into E01000006.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

LSOAS = [f"E010000{k:02d}" for k in range(1, 11)]
NAMES = ["Alpha 001A", "Alpha 001B", "Alpha 002A", "Beta 001A", "Beta 001B", "Gamma 001A",
         "Gamma 001B", "Gamma 002A", "Gamma 002B", "Gamma 002C"]  # fmt: skip
MSOAS = {"Alpha 001": "E02000001", "Alpha 002": "E02000002", "Beta 001": "E02000003",
         "Gamma 001": "E02000004", "Gamma 002": "E02000005"}  # fmt: skip
LAD = ["E08000001"] * 3 + ["E08000002"] * 2 + ["E06000001"] * 5
LAD_NAME = {"E08000001": "Alpha", "E08000002": "Beta", "E06000001": "Gamma"}
SICBL = ["E38000001"] * 3 + ["E38000002"] * 2 + ["E38000003"] * 5
SICBL_NHS = {"E38000001": "01A", "E38000002": "02B", "E38000003": "03C"}
ICB = ["E54000001"] * 5 + ["E54000002"] * 5
ICB_NHS = {"E54000001": "QAA", "E54000002": "QBB"}
AGE_GROUPS = ["Aged 15 years and under", "Aged 16 to 24 years", "Aged 25 to 34 years",
              "Aged 35 to 49 years", "Aged 50 to 64 years", "Aged 65 years and over"]  # fmt: skip
IMD2019_DOMAINS = ["Index of Multiple Deprivation (IMD)", "Income", "Employment",
                   "Education, Skills and Training", "Health Deprivation and Disability", "Crime",
                   "Barriers to Housing and Services", "Living Environment"]  # fmt: skip
LSOA11 = ["E01000001", "E01000002", "E01000003", "E01000090", "E01000091", "E01000092",
          "E01000007", "E01000008", "E01000009", "E01000010"]  # fmt: skip


def write_mirror(root: Path) -> Path:
    """Write the fixture mirror under `root` and return `root`."""
    _lookups(root / "lookups")
    _imd(root)
    _population(root / "population")
    _boundaries(root / "boundaries")
    return root


def _csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)


def _lookups(folder: Path) -> None:
    _csv(
        pd.DataFrame({
            "lsoa21_name": NAMES, "lsoa21_code": LSOAS,
            "sicbl24_name": [f"Sub-ICB {SICBL_NHS[s]}" for s in SICBL], "sicbl24_code": SICBL,
            "sicbl24_code_nhs": [SICBL_NHS[s] for s in SICBL],
            "icb24_name": ["ICB One" if i == "E54000001" else "ICB Two" for i in ICB],
            "icb24_code": ICB, "icb24_code_nhs": [ICB_NHS[i] for i in ICB],
        }),
        folder / "lsoa21_sicbl24_icb24_england.csv",
    )  # fmt: skip
    wards = pd.DataFrame({
        "lsoa21_name": [*NAMES, "Cardiff 001A"], "lsoa21_code": [*LSOAS, "W01000001"],
        "ward24_name": [f"Ward {k}" for k in range(1, 12)],
        "ward24_code": [f"E050000{k:02d}" for k in range(1, 11)] + ["W05000001"],
        "ltla24_name": [LAD_NAME[c] for c in LAD] + ["Cardiff"],
        "ltla24_code": [*LAD, "W06000015"],
    })  # fmt: skip
    _csv(wards, folder / "lsoa21_ward24_lad24_ew.csv")
    _csv(
        pd.DataFrame({
            "ltla24_name": ["Alpha", "Beta", "Gamma"],
            "ltla24_code": ["E08000001", "E08000002", "E06000001"],
            "region24_name": ["West Midlands", "West Midlands", "East Midlands"],
            "region24_code": ["E12000005", "E12000005", "E12000004"],
        }),
        folder / "lad24_region24_england.csv",
    )  # fmt: skip
    _csv(
        pd.DataFrame({
            "lsoa21_code": [*LSOAS, "W01000001"], "ruc21_code": ["UN1"] * 9 + ["RLN1", "UN1"],
            "classification": ["Urban: Nearer to a major town or city"] * 9
            + ["Rural village: Nearer to a major town or city", "Urban: Nearer"],
            "ruc": ["Urban"] * 9 + ["Rural", "Urban"],
        }),
        folder / "ruc21_lsoa21_ew.csv",
    )  # fmt: skip
    change = ["U", "U", "U", "S", "S", "M", "M", "U", "U", "U", "U", "U"]
    _csv(
        pd.DataFrame({
            "lsoa11_name": ["x"] * 12,
            "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000090", "E01000090",
                            "E01000091", "E01000092", "E01000007", "E01000008", "E01000009",
                            "E01000010", "W01000001"],
            "change_code": change, "lsoa21_name": ["x"] * 12,
            "lsoa21_code": [*LSOAS[:6], "E01000006", *LSOAS[6:], "W01000001"],
            "ltla22_name": ["x"] * 12, "ltla22_code": ["E08000001"] * 11 + ["W06000015"],
        }),
        folder / "lsoa11_lsoa21_lad22_ew.csv",
    )  # fmt: skip


def _imd(root: Path) -> None:
    ranks = list(range(1, 11))
    frame = {"lsoa21_code": LSOAS}
    for stem in ("IMD", "Income", "Employment", "Education", "Health", "Crime",
                 "Housing_and_Services", "Environment"):  # fmt: skip
        frame[f"{stem}_decile"] = ranks
        frame[f"{stem}_rank"] = ranks
        frame[f"{stem}_score"] = [50 - 4 * k for k in ranks]
    _csv(pd.DataFrame(frame), root / "imd2025" / "imd2025_lsoa21.csv")
    ids = {
        "LSOA code (2011)": LSOA11,
        "LSOA name (2011)": [f"Old {k}" for k in range(10)],
        "Local Authority District code (2019)": ["E08000001"] * 10,
        "Local Authority District name (2019)": ["Alpha"] * 10,
    }
    for domain in IMD2019_DOMAINS:
        ids[f"{domain} Rank (where 1 is most deprived)"] = ranks[::-1]
        ids[f"{domain} Decile (where 1 is most deprived 10% of LSOAs)"] = ranks[::-1]
    _csv(pd.DataFrame(ids), root / "imd2019" / "imd2019_lsoa11_file2_domain_ranks_deciles.csv")


def _population(folder: Path) -> None:
    rows = [
        (code, name, group, 10 * k)
        for k, (code, name) in enumerate(zip(LSOAS, NAMES, strict=True), start=1)
        for group in AGE_GROUPS
    ] + [("W01000001", "Cardiff 001A", group, 7) for group in AGE_GROUPS]
    frame = pd.DataFrame(
        rows, columns=["lsoa21_code", "lsoa21_name", "age_group", "usual_residents"]
    )
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "census2021_usual_residents_age6_lsoa21_ew.csv.gz", "wt") as handle:
        frame.to_csv(handle, index=False)
    groups = ["WhiteBrit", "Irish", "OtherWhite", "Mixed", "Indian", "Pakistani",
              "Bangladeshi", "Chinese", "OtherAsian", "BlkAfrican", "BlkCaribbean", "OtherBlk",
              "Arab", "Other"]  # fmt: skip
    ethnicity = pd.DataFrame({"lsoa11_code": [*LSOA11, "W01000001"]})
    ethnicity["persons"] = 100
    for group in groups:
        ethnicity[group] = 5  # 14 x 5 = 70, so Gypsy or Irish Traveller = 100 - 70 = 30
    ethnicity["msoa11_code"] = "E02000001"
    ethnicity["lad_name"] = "Alpha"
    ethnicity["region_name"] = "West Midlands"
    _csv(ethnicity, folder / "census2011_ethnicity_lsoa11_ew.csv")


def _square(x: float, y: float, size: float = 0.01) -> list[list[list[list[float]]]]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return [[ring]]


def _boundaries(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    msoa = [
        {"type": "Feature", "properties": {"msoa21_code": code, "msoa21_name": name},
         "geometry": {"type": "MultiPolygon", "coordinates": _square(i * 0.1, 52.0)}}
        for i, (name, code) in enumerate(MSOAS.items())
    ]  # fmt: skip
    lsoa = [
        {"type": "Feature", "properties": {"lsoa21_code": code, "lsoa21_name": name},
         "geometry": {"type": "MultiPolygon", "coordinates": _square(i * 0.02, 52.5)}}
        for i, (code, name) in enumerate(zip(LSOAS, NAMES, strict=True))
    ]  # fmt: skip
    for features, name in ((msoa, "msoa21_england_bsc"), (lsoa, "lsoa21_england_bsc")):
        collection = {"type": "FeatureCollection", "features": features}
        (folder / f"{name}.geojson").write_text(json.dumps(collection), encoding="utf-8")
