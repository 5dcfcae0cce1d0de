"""Ethnic groups: NHS ethnic category codes, the Census 2021 19 groups and the 5 broad groups.

NHS records use the NHS Data Dictionary "Ethnic category" (the 2001 census "16+1" list:
16 groups plus "not stated"; standards.md §5.1). Census 2021 outputs use 19 groups in 5
high-level groups (§5.2). The two lists do not match one to one:

- Census 2021 splits the White "other" group into Gypsy or Irish Traveller, Roma and Other
  White; NHS code C ("Any other White background") covers all three. C is mapped to Other
  White, the largest of the three; Gypsy/Irish Traveller and Roma people recorded as C can't
  be told apart, so those two Census groups get no NHS records.
- Census 2021 has Arab under "Other ethnic group"; NHS code S ("Any other ethnic group")
  covers Arab and all others. S is mapped to "Any other ethnic group".
- Chinese (R) is in "Other ethnic groups" in the NHS (2001) broad groups but in "Asian" in
  Census 2021's. `broad_group_2001` and `high_level_2021` keep the two apart; use the 2021
  one with Census 2021 denominators.
- Z (not stated) and 99 (not known) have no Census group.

The stored code stays the fine-grained one (a local second character kept); the groups are
derived from its first character (`ethnic_groups`). The reverse map from Census 2021 groups
to NHS codes (`CENSUS_2021_TO_NHS`) is many-to-one: Gypsy or Irish Traveller, Roma and Other
White -> C; Arab and Any other ethnic group -> S.

References
----------
NHS Digital, NHS Data Dictionary: Ethnic Category (data element). ONS, Census 2021
dictionary: ethnic group (variable ethnic_group_tb, 19 categories coded 1–19, and the 5
high-level groups); published in table TS021.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.population.schema import ETHNICITY_NOT_KNOWN

ASIAN, BLACK, MIXED, WHITE, OTHER = "Asian", "Black", "Mixed", "White", "Other"
HIGH_LEVEL_2021_LABELS: dict[str, str] = {
    ASIAN: "Asian, Asian British or Asian Welsh",
    BLACK: "Black, Black British, Black Welsh, Caribbean or African",
    MIXED: "Mixed or Multiple ethnic groups",
    WHITE: "White",
    OTHER: "Other ethnic group",
}
"""The 5 Census 2021 high-level groups: short name -> ONS label."""

BROAD_2001_LABELS: dict[str, str] = {
    WHITE: "White",
    MIXED: "Mixed",
    ASIAN: "Asian or Asian British",
    BLACK: "Black or Black British",
    OTHER: "Other ethnic groups",
}
"""The 5 NHS Data Dictionary (2001-based) broad groups: short name -> label."""


@dataclass(frozen=True)
class Census2021Group:
    """One of the 19 Census 2021 ethnic groups: ONS code, label, high-level group (short)."""

    ons_code: int
    label: str
    high_level: str


CENSUS_2021_GROUPS: tuple[Census2021Group, ...] = (
    Census2021Group(1, "Bangladeshi", ASIAN),
    Census2021Group(2, "Chinese", ASIAN),
    Census2021Group(3, "Indian", ASIAN),
    Census2021Group(4, "Pakistani", ASIAN),
    Census2021Group(5, "Other Asian", ASIAN),
    Census2021Group(6, "African", BLACK),
    Census2021Group(7, "Caribbean", BLACK),
    Census2021Group(8, "Other Black", BLACK),
    Census2021Group(9, "White and Asian", MIXED),
    Census2021Group(10, "White and Black African", MIXED),
    Census2021Group(11, "White and Black Caribbean", MIXED),
    Census2021Group(12, "Other Mixed or Multiple ethnic groups", MIXED),
    Census2021Group(13, "English, Welsh, Scottish, Northern Irish or British", WHITE),
    Census2021Group(14, "Irish", WHITE),
    Census2021Group(15, "Gypsy or Irish Traveller", WHITE),
    Census2021Group(16, "Roma", WHITE),
    Census2021Group(17, "Other White", WHITE),
    Census2021Group(18, "Arab", OTHER),
    Census2021Group(19, "Any other ethnic group", OTHER),
)
"""The 19 groups with the codes of ONS's Census 2021 variable ethnic_group_tb (1–19)."""


@dataclass(frozen=True)
class EthnicCategory:
    """An NHS ethnic category national code with its 2001 label, broad group and 2021 group."""

    code: str
    label: str
    broad_group_2001: str | None
    census_2021: str | None


NHS_ETHNIC_CATEGORIES: tuple[EthnicCategory, ...] = (
    EthnicCategory("A", "British", WHITE, "English, Welsh, Scottish, Northern Irish or British"),
    EthnicCategory("B", "Irish", WHITE, "Irish"),
    EthnicCategory("C", "Any other White background", WHITE, "Other White"),
    EthnicCategory("D", "White and Black Caribbean", MIXED, "White and Black Caribbean"),
    EthnicCategory("E", "White and Black African", MIXED, "White and Black African"),
    EthnicCategory("F", "White and Asian", MIXED, "White and Asian"),
    EthnicCategory(
        "G", "Any other mixed background", MIXED, "Other Mixed or Multiple ethnic groups"
    ),
    EthnicCategory("H", "Indian", ASIAN, "Indian"),
    EthnicCategory("J", "Pakistani", ASIAN, "Pakistani"),
    EthnicCategory("K", "Bangladeshi", ASIAN, "Bangladeshi"),
    EthnicCategory("L", "Any other Asian background", ASIAN, "Other Asian"),
    EthnicCategory("M", "Caribbean", BLACK, "Caribbean"),
    EthnicCategory("N", "African", BLACK, "African"),
    EthnicCategory("P", "Any other Black background", BLACK, "Other Black"),
    EthnicCategory("R", "Chinese", OTHER, "Chinese"),
    EthnicCategory("S", "Any other ethnic group", OTHER, "Any other ethnic group"),
    EthnicCategory("Z", "Not stated", None, None),
    EthnicCategory(ETHNICITY_NOT_KNOWN, "Not known", None, None),
)
"""The 16+1 codes plus 99, with labels from the NHS Data Dictionary."""

CENSUS_2021_TO_NHS: dict[str, str] = {
    "Gypsy or Irish Traveller": "C",
    "Roma": "C",
    "Arab": "S",
} | {c.census_2021: c.code for c in NHS_ETHNIC_CATEGORIES if c.census_2021 is not None}
"""Census 2021 group -> the NHS code that holds it (many-to-one for C and S)."""


def ethnic_groups(codes: pd.Series) -> pd.DataFrame:
    """Groupings of stored ethnicity codes (as written by the importer: "A", "R1", "99"...).

    Returns a frame with the input's index and columns `ethnic_category` (the national code:
    the first character, or 99), `ethnic_category_label`, `broad_group_2001`,
    `census_2021_group` and `census_2021_high_level` (short names Asian, Black, Mixed, White,
    Other). Unknown codes, Z and 99 give missing groups.
    """
    national = codes.astype("str").str.upper()
    national = national.where(national == ETHNICITY_NOT_KNOWN, national.str.slice(0, 1))
    table = pd.DataFrame(
        {
            "ethnic_category_label": [c.label for c in NHS_ETHNIC_CATEGORIES],
            "broad_group_2001": [c.broad_group_2001 for c in NHS_ETHNIC_CATEGORIES],
            "census_2021_group": [c.census_2021 for c in NHS_ETHNIC_CATEGORIES],
        },
        index=pd.Index([c.code for c in NHS_ETHNIC_CATEGORIES], dtype="str"),
    )
    high_level = {g.label: g.high_level for g in CENSUS_2021_GROUPS}
    table["census_2021_high_level"] = table["census_2021_group"].map(high_level)
    groups = table.reindex(national.to_numpy())
    groups.index = codes.index
    return pd.concat([national.rename("ethnic_category"), groups], axis=1)
