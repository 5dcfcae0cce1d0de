"""Ethnicity groupings: NHS 16+1 codes, Census 2021's 19 groups and the 5 high-level groups."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from healthgap.population.ethnicity import (
    CENSUS_2021_GROUPS,
    CENSUS_2021_TO_NHS,
    HIGH_LEVEL_2021_LABELS,
    NHS_ETHNIC_CATEGORIES,
    ethnic_groups,
)
from healthgap.population.schema import ETHNIC_CATEGORY_PATTERN


def test_nhs_codes_are_the_data_dictionary_list():
    codes = [c.code for c in NHS_ETHNIC_CATEGORIES]
    assert codes == [*"ABCDEFGHJKLMNPRSZ", "99"]
    assert all(re.fullmatch(ETHNIC_CATEGORY_PATTERN, code) for code in codes)


def test_census_2021_has_19_groups_coded_1_to_19_in_5_high_level_groups():
    assert [g.ons_code for g in CENSUS_2021_GROUPS] == list(range(1, 20))
    assert len({g.label for g in CENSUS_2021_GROUPS}) == 19
    # ONS: Asian 5 (Bangladeshi, Chinese, Indian, Pakistani, Other Asian), Black 3, Mixed 4,
    # White 5 (incl. Gypsy or Irish Traveller and Roma), Other 2 (Arab, Any other).
    sizes = Counter(g.high_level for g in CENSUS_2021_GROUPS)
    assert sizes == {"Asian": 5, "Black": 3, "Mixed": 4, "White": 5, "Other": 2}
    assert set(HIGH_LEVEL_2021_LABELS) == set(sizes)


def test_every_census_group_maps_back_to_one_nhs_code():
    assert set(CENSUS_2021_TO_NHS) == {g.label for g in CENSUS_2021_GROUPS}
    assert CENSUS_2021_TO_NHS["Gypsy or Irish Traveller"] == "C"
    assert CENSUS_2021_TO_NHS["Roma"] == "C"
    assert CENSUS_2021_TO_NHS["Other White"] == "C"
    assert CENSUS_2021_TO_NHS["Arab"] == "S"
    assert CENSUS_2021_TO_NHS["Chinese"] == "R"


def test_nhs_codes_without_a_census_twin():
    census = {c.code: c.census_2021 for c in NHS_ETHNIC_CATEGORIES}
    assert census["C"] == "Other White"  # not Gypsy/Irish Traveller or Roma: can't tell
    assert census["S"] == "Any other ethnic group"  # not Arab: can't tell
    assert census["Z"] is None
    assert census["99"] is None


def test_chinese_is_other_in_2001_and_asian_in_2021():
    groups = ethnic_groups(pd.Series(["R"]))
    assert groups.loc[0, "broad_group_2001"] == "Other"
    assert groups.loc[0, "census_2021_high_level"] == "Asian"


def test_broad_groups_agree_for_every_code_but_chinese():
    groups = ethnic_groups(pd.Series(list("ABCDEFGHJKLMNPS")))
    assert (groups["broad_group_2001"] == groups["census_2021_high_level"]).all()


def test_ethnic_groups_of_stored_codes():
    codes = pd.Series(["A", "H2", "99", "Z", "n", None], index=list("uvwxyz"))
    groups = ethnic_groups(codes)
    assert groups.index.tolist() == list("uvwxyz")
    assert groups["ethnic_category"].tolist()[:5] == ["A", "H", "99", "Z", "N"]
    assert groups.loc["v", "census_2021_group"] == "Indian"  # local sub-code H2 -> H
    assert groups.loc["y", "census_2021_high_level"] == "Black"
    assert groups.loc["u", "ethnic_category_label"] == "British"
    assert groups.loc[["w", "x", "z"], "census_2021_high_level"].isna().all()
    assert groups.loc["x", "ethnic_category_label"] == "Not stated"
