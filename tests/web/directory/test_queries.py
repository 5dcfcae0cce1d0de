"""Who can reach an area and a community: the queries brokering uses."""

from __future__ import annotations

import pytest

from healthgap.web.directory.models import CoverageArea
from healthgap.web.directory.queries import champions_reaching, organisations_reaching
from tests.web.directory.factories import (
    WALSALL_LAD,
    WALSALL_LSOA,
    WALSALL_LSOA_2,
    WALSALL_MSOA,
    community,
    make_champion,
)
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


def covering(code, *communities, **fields):
    organisation = make_organisation(**fields)
    CoverageArea.objects.create(organisation=organisation, code=code)
    organisation.communities.add(*(community(c) for c in communities))
    return organisation


def test_coverage_of_an_lsoa_includes_its_msoa_and_local_authority():
    lsoa, msoa, lad = covering(WALSALL_LSOA), covering(WALSALL_MSOA), covering(WALSALL_LAD)
    elsewhere = covering(WALSALL_LSOA_2)  # another Walsall LSOA, in a different MSOA
    covering(WALSALL_LSOA, active=False)
    assert set(organisations_reaching(lsoa21=WALSALL_LSOA)) == {lsoa, msoa, lad}
    assert elsewhere in organisations_reaching(lsoa21=WALSALL_LSOA_2)


def test_community_matching_includes_the_high_level_ethnic_group():
    broad = covering(WALSALL_LAD, "asian-asian-british-or-asian-welsh")
    narrow = covering(WALSALL_LAD, "pakistani")
    covering(WALSALL_LAD, "indian")
    assert set(organisations_reaching(lsoa21=WALSALL_LSOA, community="pakistani")) == {
        broad,
        narrow,
    }
    speaks = covering(WALSALL_LAD, "ur")
    assert list(organisations_reaching(lsoa21=WALSALL_LSOA, community="ur")) == [speaks]


def test_champions_reaching_an_area_by_language_or_community():
    here = make_champion(languages=["pa"], neighbourhoods=[WALSALL_MSOA])
    make_champion(languages=["pa"], neighbourhoods=[WALSALL_LSOA_2])
    withdrawn = make_champion(languages=["pa"], neighbourhoods=[WALSALL_LSOA])
    withdrawn.name = ""
    withdrawn.withdrawn_at = "2026-01-01T00:00Z"
    withdrawn.save()
    other_language = make_champion(languages=["so"], neighbourhoods=[WALSALL_LSOA])
    other_language.communities.add(community("pakistani"))
    assert set(champions_reaching(lsoa21=WALSALL_LSOA)) == {here, other_language}
    assert list(champions_reaching(lsoa21=WALSALL_LSOA, community="pa")) == [here]
    assert list(champions_reaching(lsoa21=WALSALL_LSOA, community="pakistani")) == [other_language]
